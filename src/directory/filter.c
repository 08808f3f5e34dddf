/*
 * filter.c — the directory's filters (see filter.h). The WHERE clause is
 * one fixed text; an empty parameter switches its condition off, so the
 * statement never depends on input.
 */
#include "directory/filter.h"
#include "core/text.h"
#include "dict/dict.h"
#include "enterprise/form.h"
#include "http/input.h"
#include <string.h>

#define Q_MAX_CHARS 100

static const char WHERE[] =
    " WHERE ($1 = '' OR e.region = $1) AND ($2 = '' OR e.region = $2) AND ($3 = '' OR e.status = $3)"
    " AND ($4 = '' OR e.name LIKE $4 ESCAPE '\\' OR e.uscc LIKE $5 ESCAPE '\\')"
    " AND ($6 = '' OR e.scale = $6) AND ($7 = '' OR e.trade_type = $7) AND ($8 = '' OR e.industry = $8)"
    " AND ($9 = '' OR e.industry IN (SELECT d.code FROM dict_item d WHERE d.type = 'industry' AND d.parent = $9))"
    " AND ($10 = '' OR EXISTS (SELECT 1 FROM enterprise_characteristic c"
    "                          WHERE c.enterprise_id = e.id AND c.code = $10))"
    " AND e.completeness >= $11 AND e.completeness <= $12";
#define WHERE_PARAMS 12

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
    (void)a;
    (void)f;
    *nparams = WHERE_PARAMS;
    return WHERE;
}

static void bind_text(db_stmt *s, int i, const char *v)
{
    db_bind_text(s, i, v ? v : "", -1);
}

void dir_filter_bind(db_stmt *s, const dir_filter *f)
{
    bind_text(s, 1, f->scope);
    bind_text(s, 2, f->region);
    bind_text(s, 3, f->status);
    bind_text(s, 4, f->name_like);
    bind_text(s, 5, f->uscc_like);
    bind_text(s, 6, f->scale);
    bind_text(s, 7, f->trade_type);
    bind_text(s, 8, f->division);
    bind_text(s, 9, f->section);
    bind_text(s, 10, f->characteristic);
    db_bind_int64(s, 11, f->cmin);
    db_bind_int64(s, 12, f->cmax);
}
