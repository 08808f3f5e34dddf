/*
 * filter.c — the directory's filters (see filter.h). The WHERE clause is
 * put together by the kit's filter builder (handler/filter.h) from fixed
 * fragments, one per filter that is set; the values are bound parameters.
 */
#include "directory/filter.h"
#include "http/scope.h"
#include "handler/kit.h"
#include "handler/filter.h"
#include "core/buf.h"
#include "core/text.h"
#include "dict/dict.h"
#include "http/input.h"
#include <stdio.h>
#include <string.h>

#define Q_MAX_CHARS 100

#define RECHECK "(e.name LIKE $%d ESCAPE '\\' OR e.uscc LIKE $%d ESCAPE '\\')"

/* SQLite's full-text tables: as a set of ids, and alone (the keyword is
 * the only condition: the table answers without a read of any firm). */
#define FTS_SQL(t) {t, "e.id IN (SELECT rowid FROM " t " WHERE " t " MATCH $%d)", \
                    "e.id IN (SELECT rowid FROM " t " WHERE " t " MATCH $%d) AND " RECHECK, "k." t " MATCH $%d"}
static const struct {
    const char *table, *set, *set_recheck, *alone;
} fts_sql[] = {FTS_SQL("enterprise_search"), FTS_SQL("enterprise_gram")};

/* The full-text table of the keyword's path (index into fts_sql), or -1. */
static int fts_of(const dir_filter *f)
{
    return f->kw == DIR_KW_FTS_TRIGRAM ? 0 : f->kw == DIR_KW_FTS_GRAM ? 1 : -1;
}

/* The keyword's condition. An index narrows the firms and the LIKE of the
 * scan decides, so every path gives the scan's answers; the LIKE is left
 * out where the index's answer is already exact (kw_exact). */
static hk_cond keyword(const dir_filter *f)
{
    const char *like[] = {f->name_like, f->uscc_like};
    int t = fts_of(f);
    if (t >= 0 && f->kw_exact) return (hk_cond){.sql = fts_sql[t].set, .text = {f->kw_match}};
    if (t >= 0) return (hk_cond){.sql = fts_sql[t].set_recheck, .text = {f->kw_match, like[0], like[1]}};
    /* PostgreSQL's (gram, firm) table of migration 0027 as a set of ids;
     * a keyword beyond ASCII is no USCC head and its gram is exact */
    if (f->kw == DIR_KW_PG_GRAMS && f->kw_exact)
        return (hk_cond){.sql = "e.id IN (SELECT g.enterprise_id FROM directory_gram g WHERE g.gram = $%d)",
                         .text = {f->kw_gram}};
    if (f->kw == DIR_KW_PG_GRAMS)
        return (hk_cond){.sql = "e.id IN (SELECT g.enterprise_id FROM directory_gram g WHERE g.gram IN ($%d, $%d))"
                                " AND " RECHECK,
                         .text = {f->kw_gram, f->kw_head, like[0], like[1]}};
    /* DIR_KW_PG_LIKE: the planner takes pg_trgm's indexes for these LIKEs
     * by itself. A keyword beyond ASCII is in no USCC: the name alone (the
     * USCC's trigram index and its recheck were 2.6 of the 6 ms a CJK
     * keyword's count cost at 300,000 firms). */
    if (f->kw_wide) return (hk_cond){.sql = "e.name LIKE $%d ESCAPE '\\'", .text = {like[0]}};
    return (hk_cond){.sql = RECHECK, .text = {like[0], like[1]}};
}

static void collect(const dir_filter *f, hk_filter *h)
{
    hk_filter_init(h, 1);
    if (f->kw != DIR_KW_NONE) {
        hk_cond k = keyword(f);
        if (k.text[1]) hk_filter_texts(h, k.sql, k.text);
        else hk_filter_text(h, k.sql, k.text[0]);
    }
    hk_filter_text(h, "e.region = $%d", f->scope);
    hk_filter_text(h, "e.region = $%d", f->region);
    /* SQLite without statistics would read every firm of a status (or of a
     * completeness range) from an index and sort them all for one page;
     * "+" keeps such a column off the index, so the page walks ids down
     * and stops after its rows. With a region, (region, status) is exact
     * and already in id order: the index stays. */
    bool region = *f->scope || *f->region;
    hk_filter_text(h, f->lite && !region ? "+e.status = $%d" : "e.status = $%d", f->status);
    hk_filter_text(h, "e.scale = $%d", f->scale);
    hk_filter_text(h, "e.trade_type = $%d", f->trade_type);
    hk_filter_text(h, "e.industry = $%d", f->division);
    hk_filter_text(h, "e.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry' AND d.parent = $%d)",
                   f->section);
    /* a set from the (code, enterprise_id) index, not a probe per firm */
    hk_filter_text(h, "e.id IN (SELECT c.enterprise_id FROM enterprise_characteristic c WHERE c.code = $%d)",
                   f->characteristic);
    if (f->cmin > 0) hk_filter_num(h, f->lite ? "+e.completeness >= $%d" : "e.completeness >= $%d", f->cmin);
    if (f->cmax < 100) hk_filter_num(h, f->lite ? "+e.completeness <= $%d" : "e.completeness <= $%d", f->cmax);
}

/* The keyword as an FTS5 query: one quoted phrase, quotes doubled. */
static const char *fts_phrase(zq_arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = zq_arena_alloc(a, 2 * n + 3), *o = out;
    if (!out) return NULL;
    *o++ = '"';
    for (const char *p = text; *p; p++) {
        if (*p == '"') *o++ = '"';
        *o++ = *p;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* True when the index's answer for text is the LIKE's answer already. A
 * keyword with a character beyond ASCII can only be found in the name (a
 * USCC is ASCII); there zq_gram folds ASCII letters alone, as SQLite's
 * LIKE does, PostgreSQL's grams and LIKE fold nothing (`gram` for both),
 * and the trigram tokenizer folds every cased letter, so for it the
 * keyword's other characters must have no case: CJK ideographs and
 * punctuation, fullwidth digits and punctuation. */
static bool index_exact(const char *text, bool gram)
{
    bool wide = false;
    for (const char *p = text; *p;) {
        uint32_t cp = zq_utf8_next(&p);
        if (cp < 0x80) continue;
        wide = true;
        bool caseless = (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3400 && cp <= 0x4DBF) ||
                        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                        (cp >= 0xFF01 && cp <= 0xFF20) || (cp >= 0x20000 && cp <= 0x3FFFF);
        if (!gram && !caseless) return false;
    }
    return wide;
}

/* Chooses the keyword's path (dir_kw_path) and prepares its values. */
static void keyword_read(zq_req *q, zq_resp *r, dir_filter *f, const char *text)
{
    f->kw = DIR_KW_NONE;
    if (!text || !*text) return;
    bool sqlite = db_conn_engine(q->db) == DB_SQLITE, shrt = zq_utf8_len(text) < 3;
    if (sqlite) {
        f->kw = shrt ? DIR_KW_FTS_GRAM : DIR_KW_FTS_TRIGRAM;
        f->kw_exact = index_exact(text, shrt);
        if (!(f->kw_match = fts_phrase(q->arena, text))) zq_fail(r, ZQ_E_INTERNAL, NULL);
        return;
    }
    if (shrt) {
        f->kw = DIR_KW_PG_GRAMS;
        f->kw_gram = text;
        f->kw_exact = index_exact(text, true);
        char *head = zq_arena_printf(q->arena, "^%s", text);
        if (!head) {
            zq_fail(r, ZQ_E_INTERNAL, NULL);
            return;
        }
        for (char *p = head; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
        f->kw_head = head;
        return;
    }
    /* pg_trgm's index or not, the SQL is the same LIKE (the planner finds
     * the index); dir_search_path tells staff which, not each request */
    f->kw = DIR_KW_PG_LIKE;
    f->kw_wide = index_exact(text, true);
}

/* An optional dictionary code of the query: "" when absent, NULL (with a
 * field error) when it names nothing. */
static const char *code_param(zq_req *q, zq_resp *r, const char *name, const char *type, const char *label)
{
    const char *v = zq_req_query(q, name);
    if (!v || !*v) return "";
    if (strlen(v) > 32 || !dict_has_code(q->db, type, v)) {
        zq_fail_field(q, r, name, zq_arena_printf(q->arena, "%s不存在，请从列表中选择", label));
        return NULL;
    }
    return v;
}

static int64_t score_param(zq_req *q, zq_resp *r, const char *name, int64_t dflt)
{
    const char *v = zq_req_query(q, name);
    int64_t x;
    if (!v || !*v) return dflt;
    if (!zq_parse_int64(v, 0, 100, &x)) {
        zq_fail_field(q, r, name, "完整度须为 0 到 100 的整数");
        return dflt;
    }
    return x;
}

void dir_filter_read(zq_req *q, zq_resp *r, dir_filter *f)
{
    memset(f, 0, sizeof *f);
    f->lite = db_conn_engine(q->db) == DB_SQLITE;
    f->scope = zq_scope_value(q);
    f->region = code_param(q, r, "region", "region", "行政区划");
    const char *status = zq_req_query(q, "status");
    if (status && *status && strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0 &&
        strcmp(status, "rejected") != 0)
        zq_fail_field(q, r, "status", "状态须为 pending（待审核）、approved（已认证）或 rejected（已退回）");
    f->status = status ? status : "";
    const char *text = zq_req_query(q, "q");
    if (text && zq_utf8_len(text) > Q_MAX_CHARS) zq_fail_field(q, r, "q", "关键字不能超过100个字");
    f->name_like = text && *text ? zq_like_pattern(q->arena, text, ZQ_LIKE_CONTAINS) : "";
    f->uscc_like = text && *text ? zq_like_pattern(q->arena, text, ZQ_LIKE_UPPER) : "";
    if (!f->name_like || !f->uscc_like) zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (!r->err) keyword_read(q, r, f, text);
    f->scale = code_param(q, r, "scale", "scale", "企业规模");
    f->trade_type = code_param(q, r, "trade_type", "trade_type", "进出口贸易类型");
    const char *ind = code_param(q, r, "industry", "industry", "行业分类");
    /* a section letter means every division under it */
    bool section = ind && *ind && ind[0] >= 'A' && ind[0] <= 'Z';
    f->division = section ? "" : ind;
    f->section = section ? ind : "";
    f->characteristic = code_param(q, r, "characteristic", "characteristic", "企业特性");
    f->cmin = score_param(q, r, "completeness_min", 0);
    f->cmax = score_param(q, r, "completeness_max", 100);
    if (!r->err && f->cmin > f->cmax) zq_fail_field(q, r, "completeness_max", "完整度上限不能小于下限");
}

const char *dir_filter_where(zq_arena *a, const dir_filter *f, int *nparams)
{
    hk_filter h;
    collect(f, &h);
    *nparams = hk_filter_next(&h) - 1;
    return hk_filter_where(&h, a);
}

const char *dir_filter_from(zq_arena *a, const dir_filter *f, int *nparams, const char **order)
{
    hk_filter h;
    collect(f, &h);
    int t = fts_of(f);
    /* One condition that is a set of ids from an index of its own (an
     * exact keyword, a characteristic): that index answers alone, in id
     * order, without reading one firm. Counting 10,000 matches through a
     * join back to the firms cost 70 ms at 300,000 firms. With more
     * conditions the set is one of them and SQLite walks the better index. */
    const char *table = NULL;
    if (h.n == 1 && t >= 0 && f->kw_exact) {
        h.c[0].sql = fts_sql[t].alone;
        table = fts_sql[t].table;
        *order = "k.rowid";
    } else if (h.n == 1 && f->kw == DIR_KW_PG_GRAMS && f->kw_exact) {
        /* the key (gram, enterprise_id) walks one gram's ids in order */
        h.c[0].sql = "k.gram = $%d";
        table = "directory_gram";
        *order = "k.enterprise_id";
    } else if (h.n == 1 && *f->characteristic) {
        h.c[0].sql = "k.code = $%d";
        table = "enterprise_characteristic";
        *order = "k.enterprise_id";
    } else {
        *order = "e.id";
    }
    *nparams = hk_filter_next(&h) - 1;
    const char *where = hk_filter_where(&h, a);
    if (!where) return NULL;
    return table ? zq_arena_printf(a, " FROM %s k%s", table, where) : zq_arena_printf(a, " FROM enterprise e%s", where);
}

void dir_filter_bind(db_stmt *s, const dir_filter *f)
{
    hk_filter h;
    collect(f, &h);
    hk_filter_bind(&h, s);
}

/* True when the filter sets nothing beyond scope, region, status and industry. */
static bool tally_serves(const dir_filter *f)
{
    return f->kw == DIR_KW_NONE && !*f->scale && !*f->trade_type && !*f->characteristic && f->cmin == 0 &&
           f->cmax == 100;
}

/* The firms of scope/region/status from enterprise_tally (migration 0014),
 * with an industry from enterprise_industry_tally (0032): a sum over a few
 * rows, exact. */
static int64_t tally_count(zq_req *q, const dir_filter *f)
{
    const char *v[5];
    int n = 0;
    const char *sql = zq_arena_printf(q->arena, "SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) FROM %s t WHERE 1 = 1",
                                      *f->division || *f->section ? "enterprise_industry_tally" : "enterprise_tally");
    const struct {
        const char *cond, *val;
    } by[] = {{"t.region = $%d", f->scope},
              {"t.region = $%d", f->region},
              {"t.status = $%d", f->status},
              {"t.industry = $%d", f->division},
              {"t.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry' AND d.parent = $%d)",
               f->section}};
    for (size_t i = 0; i < sizeof by / sizeof by[0] && sql; i++) {
        if (!*by[i].val) continue;
        v[n++] = by[i].val;
        const char *cond = zq_arena_printf(q->arena, by[i].cond, n);
        sql = cond ? zq_arena_printf(q->arena, "%s AND %s", sql, cond) : NULL;
    }
    int64_t total = -1;
    return sql && db_query_int64(q->db, sql, &total, n, v) == DB_OK ? total : -1;
}

static int64_t count_sql(zq_req *q, const dir_filter *f, const char *sql)
{
    db_stmt *s = sql ? db_prepare(q->db, sql) : NULL;
    if (!s) return -1;
    dir_filter_bind(s, f);
    int64_t total = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_stmt_done(s);
    return total;
}

int64_t dir_filter_count(zq_req *q, const dir_filter *f, const char *where)
{
    if (tally_serves(f)) return tally_count(q, f);
    return count_sql(q, f, zq_arena_printf(q->arena, "SELECT COUNT(*) FROM enterprise e%s", where));
}

int64_t dir_filter_count_capped(zq_req *q, const dir_filter *f, const char *from, int64_t cap, bool *capped)
{
    *capped = false;
    if (tally_serves(f)) return tally_count(q, f);
    /* counting stops at cap + 1: a common keyword or a city-wide industry
     * costs at most that many index entries, not one per match */
    int64_t n = count_sql(q, f, zq_arena_printf(q->arena, "SELECT COUNT(*) FROM (SELECT 1%s LIMIT %lld) x", from,
                                                 (long long)cap + 1));
    if (n > cap) {
        *capped = true;
        n = cap;
    }
    return n;
}

const char *dir_search_path(db_conn *c)
{
    if (db_conn_engine(c) == DB_SQLITE) return "fts5_trigram";
    int64_t have = 0;
    /* the index, not the extension: it is what the planner needs */
    if (db_query_int64(c, "SELECT COUNT(*) FROM pg_class WHERE oid = to_regclass('enterprise_name_trgm')", &have, 0,
                       NULL) != DB_OK)
        return NULL;
    return have ? "pg_trgm" : "scan";
}
