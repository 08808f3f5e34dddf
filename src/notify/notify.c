/*
 * notify.c — the one delivery call (notify.h): in-app messages and outbox
 * rows written set-based, as INSERT … SELECT over the recipients, so a
 * policy reaching 100,000 firms is three statements, not 100,000 round
 * trips. The template is rendered once per call (its parameters are the
 * same for every recipient); duplicates die on the UNIQUE keys
 * (ON CONFLICT DO NOTHING), which is what makes a second call add nothing.
 */
#include "notify/notify_internal.h"
#include "http/context.h"
#include "jobs/deliver.h"
#include <string.h>

#define NOTIFY_ARENA (256 * 1024)

const notify_topic notify_topics[] = {
    {"policy", "政策推送"},     {"notice", "通知公告"}, {"trade", "外贸监测"}, {"declaration", "项目申报"},
    {"survey", "问卷调查"},     {"consult", "咨询建议"}, {"account", "账号与企业"},
};
const int notify_ntopics = (int)(sizeof notify_topics / sizeof notify_topics[0]);

bool notify_topic_known(const char *topic)
{
    for (int i = 0; topic && i < notify_ntopics; i++)
        if (strcmp(notify_topics[i].code, topic) == 0) return true;
    return false;
}

bool notify_channel_default(const char *topic, const char *channel)
{
    if (strcmp(channel, "inapp") == 0 || strcmp(channel, "wechat") == 0) return true;
    /* SMS costs money and interrupts: on by default only where a person
     * must act by a date or learns the outcome of their own request;
     * broadcasts (policies, notices, surveys) wait for an opt-in */
    static const char *sms_on[] = {"trade", "declaration", "consult", "account"};
    for (size_t i = 0; i < sizeof sms_on / sizeof sms_on[0]; i++)
        if (strcmp(sms_on[i], topic) == 0) return true;
    return false;
}

/* Who receives: the SQL of one recipient row, per kind of call. */
typedef struct {
    const char *kind;      /* 'user' | 'staff' as SQL literal */
    const char *id, *ent, *region;
    const char *from;      /* FROM … WHERE … (no trailing condition) */
    bool wechat;           /* WeChat reaches enterprise-side users only */
} source;

/* Highest $N in sql: the caller's parameters, ours follow. */
static int max_param(const char *sql)
{
    int max = 0;
    for (const char *p = sql; *p; p++) {
        if (*p != '$' || p[1] < '0' || p[1] > '9') continue;
        int n = 0;
        for (p++; *p >= '0' && *p <= '9' && n < 100000; p++) n = n * 10 + (*p - '0');
        if (n > max) max = n;
        p--;
    }
    return max;
}

typedef struct {
    db_conn *c;
    zq_arena *a;
    const notify_msg *m;
    const notify_rendered *rd;
    int64_t now, *added;
    int k;                     /* the caller's parameters end here */
    void (*bind)(db_stmt *s, void *ctx);
    void *ctx;
    const char *perm;
} fan;

/* Our parameters, numbered after the caller's, without gaps (PostgreSQL
 * refuses a parameter the text never uses): the 8th is the title in the
 * message statement and the channel's default in the outbox ones. */
enum { P_TOPIC = 1, P_TPL, P_REF, P_REFID, P_NOW, P_BODY, P_LINK, P_EXTRA, P_PERM };
#define P_TITLE P_EXTRA
#define P_DEFAULT P_EXTRA

static int run(fan *f, const char *sql, bool message, const char *body, bool dflt)
{
    if (!sql) return DB_ERR;
    db_stmt *s = db_prepare(f->c, sql);
    if (!s) return DB_ERR;
    if (f->bind) f->bind(s, f->ctx);
    int k = f->k;
    db_bind_text(s, k + P_TOPIC, f->m->topic, -1);
    db_bind_text(s, k + P_TPL, f->m->template_code, -1);
    db_bind_text(s, k + P_REF, f->m->ref_type, -1);
    db_bind_int64(s, k + P_REFID, f->m->ref_id);
    db_bind_int64(s, k + P_NOW, f->now);
    db_bind_text(s, k + P_BODY, body, -1);
    db_bind_text(s, k + P_LINK, f->m->link ? f->m->link : "", -1);
    if (message)
        db_bind_text(s, k + P_TITLE, f->rd->title, -1);
    else
        db_bind_int64(s, k + P_DEFAULT, dflt ? 1 : 0);
    if (f->perm) db_bind_text(s, k + P_PERM, f->perm, -1);
    int rc = db_step(s);
    if (rc == DB_DONE && f->added) *f->added += db_changes(s);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int fan_out(fan *f, const source *src)
{
    zq_arena *a = f->a;
    int k = f->k;
    const char *perm = f->perm ? zq_arena_printf(a,
                                                 " AND (m.is_legal_rep = 1 OR EXISTS (SELECT 1 FROM enterprise_role_perm rp"
                                                 " JOIN enterprise_role rr ON rr.id = rp.role_id WHERE rp.role_id = m.role_id"
                                                 " AND rr.enterprise_id = m.enterprise_id AND rp.perm = $%d))",
                                                 k + P_PERM)
                               : "";
    /* typed where they are selected: PostgreSQL would deduce text here
     * and varchar where the same parameter meets a column below */
    const char *vals = zq_arena_printf(a, "CAST($%d AS VARCHAR), CAST($%d AS VARCHAR), CAST($%d AS VARCHAR), CAST($%d AS BIGINT)",
                                       k + P_TOPIC, k + P_TPL, k + P_REF, k + P_REFID);
    const char *msg = zq_arena_printf(
        a,
        "INSERT INTO message(account_kind, account_id, enterprise_id, topic, template_code, ref_type, ref_id, title, "
        "body, link, created_at) SELECT %s, %s, %s, %s, CAST($%d AS VARCHAR), CAST($%d AS VARCHAR), CAST($%d AS VARCHAR),"
        " CAST($%d AS BIGINT) %s%s ON CONFLICT DO NOTHING",
        src->kind, src->id, src->ent, vals, k + P_TITLE, k + P_BODY, k + P_LINK, k + P_NOW, src->from, perm);
    int rc = run(f, msg, true, f->rd->body, true);
    if (rc != DB_OK) return rc;

    const char *chans[] = {"sms", "wechat"};
    const char *bodies[] = {f->rd->sms, f->rd->wechat};
    for (int i = 0; i < 2; i++) {
        if (!*bodies[i] || (i == 1 && !src->wechat)) continue;
        /* WeChat: only bound members who accepted this template and still
         * hold a send; the worker checks the grant again when it sends */
        const char *wechat =
            i == 1 ? zq_arena_printf(a,
                                     " AND EXISTS (SELECT 1 FROM wechat_binding wb WHERE wb.user_id = %s)"
                                     " AND EXISTS (SELECT 1 FROM wechat_grant wg WHERE wg.user_id = %s AND"
                                     " wg.template_code = $%d AND wg.enabled = 1 AND wg.remaining > 0)",
                                     src->id, src->id, k + P_TPL)
                   : "";
        const char *sql = zq_arena_printf(
            a,
            "INSERT INTO notify_outbox(channel, account_kind, account_id, enterprise_id, region, topic, template_code,"
            " ref_type, ref_id, body, link, status, next_at, created_at) SELECT '%s', %s, %s, %s, %s, %s, CAST($%d AS VARCHAR),"
            " CAST($%d AS VARCHAR),"
            " 'pending', CAST($%d AS BIGINT), CAST($%d AS BIGINT) %s%s%s AND COALESCE((SELECT ns.enabled FROM"
            " notify_setting ns WHERE ns.account_kind = %s AND ns.account_id = %s AND ns.topic = $%d AND ns.channel ="
            " '%s'), CAST($%d AS INTEGER)) = 1 ON CONFLICT DO NOTHING",
            chans[i], src->kind, src->id, src->ent, src->region, vals, k + P_BODY, k + P_LINK, k + P_NOW, k + P_NOW,
            src->from, perm, wechat, src->kind, src->id, k + P_TOPIC, chans[i], k + P_DEFAULT);
        if ((rc = run(f, sql, false, bodies[i], notify_channel_default(f->m->topic, chans[i]))) != DB_OK) return rc;
    }
    return DB_OK;
}

/* Renders, then fans out over src. */
static int deliver(db_conn *c, int64_t now, const notify_msg *m, const char *perm, const source *src, int k,
                   void (*bind)(db_stmt *s, void *ctx), void *ctx, int64_t *added)
{
    if (added) *added = 0;
    if (!m || !m->topic || !m->template_code || !m->ref_type || !notify_topic_known(m->topic)) return DB_ERR;
    zq_arena *a = zq_arena_new(NOTIFY_ARENA);
    if (!a) return DB_ERR;
    notify_rendered rd;
    int rc = notify_render(c, a, m, now, &rd);
    if (rc == DB_DONE) rc = DB_ERR; /* a module naming a template that is not there is a bug */
    if (rc == DB_OK) {
        int64_t n = 0;
        fan f = {c, a, m, &rd, now, &n, k, bind, ctx, perm};
        rc = fan_out(&f, src);
        if (added) *added = n;
    }
    zq_arena_free(a);
    return rc;
}

int notify_enterprises_sql(db_conn *c, int64_t now, const notify_msg *m, const char *perm, const char *ent_sql,
                           void (*bind)(db_stmt *s, void *ctx), void *ctx, int64_t *added)
{
    if (!ent_sql) return DB_ERR;
    zq_arena *a = zq_arena_new(64 * 1024);
    if (!a) return DB_ERR;
    source src = {"'user'", "m.user_id", "m.enterprise_id", "e.region",
                  zq_arena_printf(a,
                                  "FROM membership m JOIN enterprise e ON e.id = m.enterprise_id JOIN app_user u ON"
                                  " u.id = m.user_id WHERE m.enterprise_id IN (%s) AND m.status = 'active' AND"
                                  " u.disabled = 0",
                                  ent_sql),
                  true};
    int rc = src.from ? deliver(c, now, m, perm, &src, max_param(ent_sql), bind, ctx, added) : DB_ERR;
    zq_arena_free(a);
    return rc;
}

static void bind_id(db_stmt *s, void *ctx)
{
    db_bind_int64(s, 1, *(const int64_t *)ctx);
}

int notify_enterprise(db_conn *c, int64_t now, const notify_msg *m, int64_t enterprise_id, const char *perm,
                      int64_t *added)
{
    return notify_enterprises_sql(c, now, m, perm, "SELECT CAST($1 AS BIGINT)", bind_id, &enterprise_id, added);
}

int notify_account(db_conn *c, int64_t now, const notify_msg *m, const char *kind, int64_t account_id)
{
    static const source user = {"'user'", "u.id", "0", "''", "FROM app_user u WHERE u.id = CAST($1 AS BIGINT) AND u.disabled = 0",
                                true};
    static const source staff = {"'staff'", "st.id", "0", "COALESCE(st.region, '')",
                                 "FROM staff st WHERE st.id = CAST($1 AS BIGINT) AND st.disabled = 0", false};
    const source *src = kind && strcmp(kind, "staff") == 0 ? &staff : kind && strcmp(kind, "user") == 0 ? &user : NULL;
    if (!src) return DB_ERR;
    return deliver(c, now, m, NULL, src, 1, bind_id, &account_id, NULL);
}

void notify_kick(struct zq_app *app)
{
    if (app) jobs_worker_kick(app->worker);
}
