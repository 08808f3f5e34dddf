/*
 * demo_declare.c — the demo city's project declarations (issue 13): Fuzhou
 * calls in every state (draft, 未开始, 申报中, 已截止, results published)
 * and applications at every stage (draft, submitted, 受理'd at the district,
 * returned, district passed, approved, rejected, withdrawn) with their timelines, submitted
 * versions, the required materials (a small PDF per slot, so the review
 * drawer, the receipt and 批量下载 have files) and the city's scores, so
 * every list and chart has something to show. Made by the seeding command,
 * never by a handler.
 */
#include "demo/demo.h"
#include "db/db.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

typedef struct {
    const char *title, *status, *body;
    int open_d, close_d;        /* days from now */
    const char *levels, *criteria;
} demo_call;

static const char SLOTS[] =
    "[{\"key\":\"plan\",\"name\":\"项目计划书\",\"required\":true,\"types\":[\"pdf\",\"docx\"],\"max_mb\":10},"
    "{\"key\":\"license\",\"name\":\"营业执照副本\",\"required\":true,\"types\":[\"pdf\",\"jpg\",\"png\"],\"max_mb\":5},"
    "{\"key\":\"other\",\"name\":\"其他证明材料\",\"required\":false,\"types\":[\"pdf\",\"zip\"],\"max_mb\":10}]";
static const char FIELDS[] =
    "[{\"key\":\"amount\",\"label\":\"申请金额(万元)\",\"type\":\"amount\",\"required\":true,\"min\":1,\"max\":500},"
    "{\"key\":\"export\",\"label\":\"上年度出口额(万美元)\",\"type\":\"number\",\"required\":true,\"min\":0},"
    "{\"key\":\"kind\",\"label\":\"项目类别\",\"type\":\"single\",\"required\":true,\"options\":[\"展会补助\",\"出口信保\",\"海外仓\"]},"
    "{\"key\":\"intro\",\"label\":\"项目简介\",\"type\":\"textarea\",\"required\":false,\"max_length\":2000}]";
static const char CRIT[] = "[{\"name\":\"项目创新性\",\"weight\":40},{\"name\":\"实施可行性\",\"weight\":35},{\"name\":\"带动效应\",\"weight\":25}]";

static const demo_call CALLS[] = {
    {"2026年度福州市外贸发展专项资金项目申报", "published",
     "<p>为支持我市外贸企业开拓国际市场、稳定外贸规模，现组织开展2026年度外贸发展专项资金项目申报。</p>"
     "<p>申报对象为在本市依法注册、上年度有进出口实绩的企业。请先下载申报附件，按要求填写后在线提交。</p>",
     -10, 20, "district,city", CRIT},
    {"跨境电商公共海外仓扶持项目申报", "published",
     "<p>对在境外自建或租赁公共海外仓、为本市企业提供服务的运营主体给予扶持。</p>", 5, 35, "city", "[]"},
    {"2025年度出口信用保险保费补助申报", "closed",
     "<p>对2025年度投保短期出口信用保险的企业按实缴保费给予补助。</p>", -60, -5, "district,city", CRIT},
    {"2025年度境外展会补助项目申报", "results",
     "<p>对企业参加境外重点展会的展位费给予补助。</p>", -120, -60, "district,city", CRIT},
    {"2026年度外贸综合服务企业培育项目（草稿）", "draft", "<p>草稿，尚未发布。</p>", 15, 45, "district,city", "[]"},
};

/* stage of the i-th firm's application in a call that takes submissions */
static const char *const STAGES[] = {"draft", "submitted", "returned", "city_review", "approved", "rejected", "withdrawn"};

static int exec_call(db_conn *db, const demo_call *c, int64_t now, int64_t *id)
{
    db_stmt *s = db_prepare(db,
                            "INSERT INTO decl_call(status, title, body_html, body_text, department, contact, targets_json,"
                            " open_at, close_at, levels, slots_json, fields_json, criteria_json, published_at, closed_at,"
                            " results_at, objection_until, created_at, updated_at)"
                            " VALUES ($1, $2, $3, $4, '福州市商务局', '外贸处 0591-87000000', '{}', $5, $6, $7, $8, $9, $10,"
                            " $11, $12, $13, $14, $15, $15) RETURNING id");
    if (!s) return DB_ERR;
    int64_t open = now + (int64_t)c->open_d * DAY, close = now + (int64_t)c->close_d * DAY;
    bool pub = strcmp(c->status, "draft") != 0;
    db_bind_text(s, 1, c->status, -1);
    db_bind_text(s, 2, c->title, -1);
    db_bind_text(s, 3, c->body, -1);
    db_bind_text(s, 4, c->title, -1);
    db_bind_int64(s, 5, open);
    db_bind_int64(s, 6, close);
    db_bind_text(s, 7, c->levels, -1);
    db_bind_text(s, 8, SLOTS, -1);
    db_bind_text(s, 9, FIELDS, -1);
    db_bind_text(s, 10, c->criteria, -1);
    db_bind_int64(s, 11, pub ? open - 2 * DAY : 0);
    db_bind_int64(s, 12, strcmp(c->status, "closed") == 0 || strcmp(c->status, "results") == 0 ? close : 0);
    db_bind_int64(s, 13, strcmp(c->status, "results") == 0 ? close + 20 * DAY : 0);
    db_bind_int64(s, 14, strcmp(c->status, "results") == 0 ? close + 27 * DAY : 0);
    db_bind_int64(s, 15, open - 3 * DAY);
    int rc = db_step(s);
    *id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    return *id ? DB_OK : DB_ERR;
}

static int event(db_conn *db, int64_t app, int64_t at, const char *kind, const char *name, const char *action,
                 const char *level, const char *reason)
{
    db_stmt *s = db_prepare(db, "INSERT INTO decl_event(app_id, at, actor_kind, actor_id, actor_name, action, level, reason)"
                                " VALUES ($1, $2, $3, 0, $4, $5, $6, $7)");
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, app);
    db_bind_int64(s, 2, at);
    db_bind_text(s, 3, kind, -1);
    db_bind_text(s, 4, name, -1);
    db_bind_text(s, 5, action, -1);
    if (level) db_bind_text(s, 6, level, -1);
    else db_bind_null(s, 6);
    if (reason) db_bind_text(s, 7, reason, -1);
    else db_bind_null(s, 7);
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* The one file behind every demo material: a minimal PDF, stored once. */
static const char DEMO_PDF[] = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                               "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%EOF\n";

/* Runs a prepared write to its end and finalizes it: DB_OK or DB_ERR. */
static int run(db_stmt *s)
{
    int rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

static int demo_blob(db_conn *db, int64_t now, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)DEMO_PDF, sizeof DEMO_PDF - 1);
    sodium_bin2hex(hex, 65, h, sizeof h);
    db_stmt *s = db_prepare(db, "INSERT INTO file_blob(sha256, size, chunk_count, created_at) VALUES ($1, $2, 1, $3)"
                                " ON CONFLICT (sha256) DO NOTHING");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, hex, -1);
    db_bind_int64(s, 2, (int64_t)sizeof DEMO_PDF - 1);
    db_bind_int64(s, 3, now);
    if (run(s) != DB_OK ||
        !(s = db_prepare(db, "INSERT INTO file_chunk(sha256, seq, data) VALUES ($1, 0, $2) ON CONFLICT (sha256, seq) DO NOTHING")))
        return DB_ERR;
    db_bind_text(s, 1, hex, -1);
    db_bind_blob(s, 2, DEMO_PDF, sizeof DEMO_PDF - 1);
    return run(s);
}

/* The call's 申报附件 (申报书模板.pdf), and for each firm that applied the
 * download the manual's order asks for first (「请先下载申报附件…」). */
static int demo_template(db_conn *db, int64_t call, const char *sha, int64_t at)
{
    db_stmt *s = db_prepare(db, "INSERT INTO bureau_file(sha256, name, size, mime, created_at)"
                                " VALUES ($1, '申报书模板.pdf', $2, 'application/pdf', $3) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, sha, -1);
    db_bind_int64(s, 2, (int64_t)sizeof DEMO_PDF - 1);
    db_bind_int64(s, 3, at);
    int64_t file = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!file || !(s = db_prepare(db, "INSERT INTO decl_template(call_id, file_id, sort) VALUES ($1, $2, 0)"))) return DB_ERR;
    db_bind_int64(s, 1, call);
    db_bind_int64(s, 2, file);
    return run(s);
}

static int demo_downloaded(db_conn *db, int64_t call, int64_t eid, int64_t at)
{
    db_stmt *s = db_prepare(db, "INSERT INTO decl_download(call_id, enterprise_id, at) VALUES ($1, $2, $3)");
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, call);
    db_bind_int64(s, 2, eid);
    db_bind_int64(s, 3, at);
    return run(s);
}

/* The firm's two required materials (项目计划书, 营业执照副本) on the
 * application; their snapshot for the version into json (size n). */
static int demo_materials(db_conn *db, int64_t app, int64_t eid, const char *sha, int64_t at, char *json, size_t n)
{
    static const char *const SLOT[][2] = {{"plan", "项目计划书.pdf"}, {"license", "营业执照副本.pdf"}};
    size_t used = (size_t)snprintf(json, n, "[");
    for (int i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(db, "INSERT INTO upload(enterprise_id, sha256, name, size, mime, created_at)"
                                    " VALUES ($1, $2, $3, $4, 'application/pdf', $5) RETURNING id");
        if (!s) return DB_ERR;
        db_bind_int64(s, 1, eid);
        db_bind_text(s, 2, sha, -1);
        db_bind_text(s, 3, SLOT[i][1], -1);
        db_bind_int64(s, 4, (int64_t)sizeof DEMO_PDF - 1);
        db_bind_int64(s, 5, at);
        int64_t up = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
        db_stmt_done(s);
        if (!up || !(s = db_prepare(db, "INSERT INTO decl_material(app_id, slot_key, upload_id, sort) VALUES ($1, $2, $3, 0)")))
            return DB_ERR;
        db_bind_int64(s, 1, app);
        db_bind_text(s, 2, SLOT[i][0], -1);
        db_bind_int64(s, 3, up);
        if (run(s) != DB_OK) return DB_ERR;
        used += (size_t)snprintf(json + used, used < n ? n - used : 0,
                                 "%s{\"slot\":\"%s\",\"upload_id\":%lld,\"name\":\"%s\",\"size\":%zu,\"sha256\":\"%s\"}",
                                 i ? "," : "", SLOT[i][0], (long long)up, SLOT[i][1], sizeof DEMO_PDF - 1, sha);
    }
    if (used + 2 > n) return DB_ERR;
    snprintf(json + used, n - used, "]");
    return DB_OK;
}

/* One application of firm (eid, region) at stage, with its history. */
static int application(db_conn *db, int64_t call, int64_t open, int64_t eid, const char *region, const char *stage,
                       int n, int64_t now, const char *sha)
{
    const char *status = stage;
    if ((strcmp(stage, "city_review") == 0 || strcmp(stage, "district_review") == 0) && !region) status = "submitted";
    char fields[200], no[32];
    snprintf(fields, sizeof fields, "{\"amount\":%d,\"export\":%d,\"kind\":\"展会补助\",\"intro\":\"拓展东盟及中东市场\"}",
             20 + n * 15, 300 + n * 120);
    snprintf(no, sizeof no, "SB2026%04lld%06lld", (long long)(call % 10000), (long long)(eid % 1000000));
    bool submitted = strcmp(stage, "draft") != 0;
    int64_t sub_at = open + (int64_t)(n + 1) * 3600 * 7;
    if (sub_at > now) sub_at = now - 3600;
    db_stmt *s = db_prepare(db,
                            "INSERT INTO decl_app(call_id, enterprise_id, region, status, no, fields_json, version, submitted_at,"
                            " return_reason, return_deadline, decided_at, created_at, updated_at)"
                            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, call);
    db_bind_int64(s, 2, eid);
    if (region) db_bind_text(s, 3, region, -1);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, status, -1);
    if (submitted) db_bind_text(s, 5, no, -1);
    else db_bind_null(s, 5);
    db_bind_text(s, 6, fields, -1);
    db_bind_int64(s, 7, submitted ? 1 : 0);
    db_bind_int64(s, 8, submitted ? sub_at : 0);
    bool returned = strcmp(stage, "returned") == 0, decided = !strcmp(stage, "approved") || !strcmp(stage, "rejected");
    if (returned) db_bind_text(s, 9, "请补充上年度出口报关单汇总表", -1);
    else db_bind_null(s, 9);
    db_bind_int64(s, 10, returned ? now + 5 * DAY : 0);
    db_bind_int64(s, 11, decided ? sub_at + 2 * DAY : 0);
    db_bind_int64(s, 12, sub_at - DAY);
    int rc = db_step(s);
    int64_t app = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_stmt_done(s);
    if (!app) return DB_ERR;
    if (event(db, app, sub_at - DAY, "user", "企业经办人", "create", NULL, NULL) != DB_OK) return DB_ERR;
    char mats[1024];
    if (demo_materials(db, app, eid, sha, sub_at - DAY, mats, sizeof mats) != DB_OK) return DB_ERR;
    if (!submitted) return DB_OK;
    if (event(db, app, sub_at, "user", "企业经办人", "submit", NULL, NULL) != DB_OK) return DB_ERR;
    if (!(s = db_prepare(db, "INSERT INTO decl_version(app_id, version, fields_json, materials_json, submitted_at)"
                             " VALUES ($1, 1, $2, $3, $4)")))
        return DB_ERR;
    db_bind_int64(s, 1, app);
    db_bind_text(s, 2, fields, -1);
    db_bind_text(s, 3, mats, -1);
    db_bind_int64(s, 4, sub_at);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) return DB_ERR;
    if (strcmp(stage, "withdrawn") == 0) return event(db, app, sub_at + 3600, "user", "企业经办人", "withdraw", NULL, NULL);
    if (strcmp(status, "submitted") == 0) return DB_OK;
    /* every review starts with the district's 受理 (all demo calls with applications have a district level) */
    if (event(db, app, sub_at + DAY / 2, "staff", "区县审核员", "accept", "district", NULL) != DB_OK) return DB_ERR;
    if (strcmp(stage, "district_review") == 0) return DB_OK;
    if (returned) return event(db, app, sub_at + DAY, "staff", "区县审核员", "return", "district", "请补充上年度出口报关单汇总表");
    if (strcmp(stage, "rejected") == 0)
        return event(db, app, sub_at + DAY, "staff", "区县审核员", "reject", "district", "上年度无出口实绩，不符合申报条件");
    if (strcmp(stage, "city_review") == 0 || strcmp(stage, "approved") == 0)
        if (event(db, app, sub_at + DAY, "staff", "区县审核员", "pass", "district", "材料齐全，同意推荐") != DB_OK) return DB_ERR;
    if (strcmp(stage, "approved") != 0) return DB_OK;
    if (event(db, app, sub_at + 2 * DAY, "staff", "市级审核员", "pass", "city", "同意") != DB_OK) return DB_ERR;
    if (!(s = db_prepare(db, "INSERT INTO decl_score(app_id, staff_id, scores_json, total, at) VALUES ($1, 0, $2, $3, $4)")))
        return DB_ERR;
    db_bind_int64(s, 1, app);
    db_bind_text(s, 2, "{\"项目创新性\":88,\"实施可行性\":82,\"带动效应\":76}", -1);
    db_bind_int64(s, 3, 88 * 40 + 82 * 35 + 76 * 25);
    db_bind_int64(s, 4, sub_at + 2 * DAY);
    rc = db_step(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

int demo_declarations(db_conn *db, int64_t now)
{
    enum { FIRMS = 7 };
    int64_t ent[FIRMS];
    char regions[FIRMS][16];
    int nf = 0;
    db_stmt *s = db_prepare(db, "SELECT id, region FROM enterprise WHERE status = 'approved' ORDER BY id LIMIT 7");
    if (!s) return DB_ERR;
    while (db_step(s) == DB_ROW && nf < FIRMS) {
        ent[nf] = db_col_int64(s, 0);
        snprintf(regions[nf], sizeof regions[nf], "%s", db_col_is_null(s, 1) ? "" : db_col_text(s, 1));
        nf++;
    }
    db_stmt_done(s);
    if (db_begin(db, true) != DB_OK) return DB_ERR;
    char sha[65];
    if (demo_blob(db, now, sha) != DB_OK) goto fail;
    for (size_t c = 0; c < sizeof CALLS / sizeof CALLS[0]; c++) {
        int64_t id;
        if (exec_call(db, &CALLS[c], now, &id) != DB_OK) goto fail;
        const char *st = CALLS[c].status;
        int64_t open = now + (int64_t)CALLS[c].open_d * DAY;
        /* every call but the city-only one has a template (that one shows 申报 without a download) */
        bool tpl = strcmp(CALLS[c].levels, "city") != 0;
        if (tpl && demo_template(db, id, sha, open - DAY) != DB_OK) goto fail;
        if (strcmp(st, "draft") == 0 || open > now) continue;
        for (int i = 0; i < nf; i++) {
            if (tpl && demo_downloaded(db, id, ent[i], open + i * 3600) != DB_OK) goto fail;
            /* an open call has every stage; a closed one the finished ones; results: decided only */
            const char *stage = STAGES[i % 7];
            /* the closed call's late reviews: one still at the district, one accepted by it */
            if (strcmp(st, "closed") == 0 && strcmp(stage, "draft") == 0) stage = "district_review";
            if (strcmp(st, "closed") == 0 && strcmp(stage, "withdrawn") == 0) stage = "district_review";
            if (strcmp(st, "results") == 0) stage = i % 2 ? "rejected" : "approved";
            if (application(db, id, open, ent[i], *regions[i] ? regions[i] : NULL, stage, i, now, sha) != DB_OK) goto fail;
        }
    }
    return db_commit(db);
fail:
    db_rollback(db);
    return DB_ERR;
}
