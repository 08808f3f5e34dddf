/*
 * filter.c — the directory's filters (see filter.h). The WHERE clause is
 * put together from fixed fragments, one per filter that is set, so the
 * planner sees only real conditions (a "$1 = '' OR …" form would hide every
 * index from SQLite); the values are always bound parameters.
 */
#include "directory/filter.h"
#include "core/buf.h"
#include "core/text.h"
#include "dict/dict.h"
#include "enterprise/form.h"
#include "http/input.h"
#include <stdio.h>
#include <string.h>

#define Q_MAX_CHARS 100

/* One condition: its SQL with one "$%d" per value, in bind order. */
typedef struct {
    const char *sql;
    const char *text[2]; /* text values (NULL = unused) */
    int64_t num;         /* used when text[0] is NULL */
} cond;
#define MAX_CONDS 12

static int collect(const dir_filter *f, cond *c)
{
    int n = 0;
#define TEXT(cond_sql, v)                                                                                             \
    if ((v) && *(v)) c[n++] = (cond){cond_sql, {(v), NULL}, 0}
    TEXT("e.region = $%d", f->scope);
    TEXT("e.region = $%d", f->region);
    TEXT("e.status = $%d", f->status);
    if (f->name_like && *f->name_like && f->trigram)
        c[n++] = (cond){"e.id IN (SELECT rowid FROM enterprise_search WHERE name LIKE $%d"
                        " UNION SELECT rowid FROM enterprise_search WHERE uscc LIKE $%d)",
                        {f->name_like, f->uscc_like}, 0};
    else if (f->name_like && *f->name_like)
        c[n++] = (cond){"(e.name LIKE $%d ESCAPE '\\' OR e.uscc LIKE $%d ESCAPE '\\')", {f->name_like, f->uscc_like}, 0};
    TEXT("e.scale = $%d", f->scale);
    TEXT("e.trade_type = $%d", f->trade_type);
    TEXT("e.industry = $%d", f->division);
    TEXT("e.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry' AND d.parent = $%d)", f->section);
    /* a set from the (code, enterprise_id) index, not a probe per firm */
    TEXT("e.id IN (SELECT c.enterprise_id FROM enterprise_characteristic c WHERE c.code = $%d)", f->characteristic);
#undef TEXT
    if (f->cmin > 0) c[n++] = (cond){"e.completeness >= $%d", {NULL, NULL}, f->cmin};
    if (f->cmax < 100) c[n++] = (cond){"e.completeness <= $%d", {NULL, NULL}, f->cmax};
    return n;
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
    const char *scope = ent_staff_scope(q);
    f->scope = scope ? scope : "";
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
    /* FTS5's trigram index answers LIKE only for three characters in a row
     * and without an ESCAPE clause, so a keyword holding a wildcard
     * character, or shorter than three, takes the scan */
    f->trigram = text && zq_utf8_len(text) >= 3 && !strpbrk(text, "%_\\") &&
                 db_conn_engine(q->db) == DB_SQLITE;
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
    cond c[MAX_CONDS];
    int n = collect(f, c), p = 0;
    /* "1 = 1" so callers can always append " AND …" */
    const char *out = " WHERE 1 = 1";
    for (int i = 0; i < n && out; i++) {
        const char *frag = c[i].text[1] ? zq_arena_printf(a, c[i].sql, p + 1, p + 2) : zq_arena_printf(a, c[i].sql, p + 1);
        p += c[i].text[1] ? 2 : 1;
        out = frag ? zq_arena_printf(a, "%s AND %s", out, frag) : NULL;
    }
    *nparams = p;
    return out;
}

void dir_filter_bind(db_stmt *s, const dir_filter *f)
{
    cond c[MAX_CONDS];
    int n = collect(f, c), p = 0;
    for (int i = 0; i < n; i++) {
        if (!c[i].text[0]) {
            db_bind_int64(s, ++p, c[i].num);
            continue;
        }
        db_bind_text(s, ++p, c[i].text[0], -1);
        if (c[i].text[1]) db_bind_text(s, ++p, c[i].text[1], -1);
    }
}

int64_t dir_filter_count(zq_req *q, const dir_filter *f, const char *where)
{
    const char *sql = zq_arena_printf(q->arena, "SELECT COUNT(*) FROM enterprise e%s", where);
    db_stmt *s = sql ? db_prepare(q->db, sql) : NULL;
    if (!s) return -1;
    dir_filter_bind(s, f);
    int64_t total = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_stmt_done(s);
    return total;
}
