/*
 * targets_check.c — one firm against a targets object, condition by
 * condition, with a reason a person can read (政策计算器: why a policy
 * applies, or the one condition a near miss fails). The same rules as
 * targets_where, decided in C over the firm's row so each condition gets
 * its own verdict.
 */
#include "targets/targets.h"
#include "core/buf.h"
#include <string.h>

#define NAMES_SHOWN 5

static const char SQL_FIRM[] =
    "SELECT e.status, e.region, e.industry, e.scale, e.trade_type, "
    "(SELECT d.parent FROM dict_item d WHERE d.type = 'region' AND d.code = e.region), "
    "(SELECT d.parent FROM dict_item d WHERE d.type = 'industry' AND d.code = e.industry) "
    "FROM enterprise e WHERE e.id = $1";
static const char SQL_CHARS[] = "SELECT code FROM enterprise_characteristic WHERE enterprise_id = $1 ORDER BY code";
static const char SQL_NAME[] = "SELECT name FROM dict_item WHERE type = $1 AND code = $2";

/* "name" of a dictionary item, the code itself when it has none. */
static const char *name_of(db_conn *c, zq_arena *a, const char *type, const char *code)
{
    if (!code || !*code) return "";
    db_stmt *s = db_prepare(c, SQL_NAME);
    const char *out = code;
    if (!s) return out;
    db_bind_text(s, 1, type, -1);
    db_bind_text(s, 2, code, -1);
    if (db_step(s) == DB_ROW) out = zq_arena_strdup(a, db_col_text(s, 0));
    db_stmt_done(s);
    return out ? out : code;
}

/* "甲、乙、丙" of the list's names, "…等 N 项" past a few. */
static const char *names(db_conn *c, zq_arena *a, const char *type, const targets_set *l)
{
    zq_buf b;
    zq_buf_init(&b, 4096);
    for (size_t i = 0; i < l->n && i < NAMES_SHOWN; i++) {
        if (i) zq_buf_puts(&b, "、");
        zq_buf_puts(&b, name_of(c, a, type, l->v[i]));
    }
    if (l->n > NAMES_SHOWN) zq_buf_printf(&b, "等 %zu 项", l->n);
    const char *out = zq_arena_strndup(a, b.data ? b.data : "", b.len);
    zq_buf_free(&b);
    return out;
}

static bool in_set(const targets_set *l, const char *code)
{
    if (!code) return false;
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], code) == 0) return true;
    return false;
}

/* One condition on a single-valued field: the value or its parent in the list. */
static void single(db_conn *c, zq_arena *a, targets_check_item *it, const targets_set *l, const char *type,
                   const char *what, const char *value, const char *parent)
{
    it->applies = l->n > 0;
    if (!it->applies) {
        it->met = true;
        it->reason = "不限";
        return;
    }
    const char *want = names(c, a, type, l);
    if (!value || !*value) {
        it->met = false;
        it->reason = zq_arena_printf(a, "企业未填写%s，适用%s：%s", what, what, want);
        return;
    }
    const char *have = name_of(c, a, type, value);
    it->met = in_set(l, value) || in_set(l, parent);
    it->reason = it->met ? zq_arena_printf(a, "企业%s为%s，在适用范围（%s）内", what, have, want)
                         : zq_arena_printf(a, "企业%s为%s，不在适用范围（%s）内", what, have, want);
}

static int characteristics(db_conn *c, zq_arena *a, const targets_set *l, int64_t id, targets_check_item *it)
{
    it->applies = l->n > 0;
    if (!it->applies) {
        it->met = true;
        it->reason = "不限";
        return DB_OK;
    }
    db_stmt *s = db_prepare(c, SQL_CHARS);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, id);
    const char *hit = NULL;
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        if (!hit && in_set(l, db_col_text(s, 0))) hit = zq_arena_strdup(a, db_col_text(s, 0));
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    it->met = hit != NULL;
    it->reason = hit ? zq_arena_printf(a, "企业具有适用的企业特性：%s", name_of(c, a, "characteristic", hit))
                     : zq_arena_printf(a, "企业不具有任一适用的企业特性（%s）", names(c, a, "characteristic", l));
    return DB_OK;
}

int targets_check(db_conn *c, zq_arena *a, const targets *t, int64_t enterprise_id, targets_verdict *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(c, SQL_FIRM);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, enterprise_id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_stmt_done(s);
        return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERR;
    }
    const char *f[7];
    for (int i = 0; i < 7; i++) f[i] = db_col_dup(a, s, i);
    db_stmt_done(s);
    bool approved = f[0] && strcmp(f[0], "approved") == 0;

    static const char *conds[] = {"regions", "industries", "scales", "characteristics", "trade_types"};
    for (int i = 0; i < 5; i++) out->items[i].condition = conds[i];
    single(c, a, &out->items[0], &t->regions, "region", "所在地区", f[1], f[5]);
    single(c, a, &out->items[1], &t->industries, "industry", "所属行业", f[2], f[6]);
    single(c, a, &out->items[2], &t->scales, "scale", "规模", f[3], NULL);
    if ((rc = characteristics(c, a, &t->characteristics, enterprise_id, &out->items[3])) != DB_OK) return rc;
    single(c, a, &out->items[4], &t->trade_types, "trade_type", "进出口贸易类型", f[4], NULL);
    for (int i = 0; i < 5; i++) out->failed += !out->items[i].met;
    out->met = approved && out->failed == 0;
    return DB_OK;
}
