/*
 * subscriptions.c — which policy types an enterprise receives (manual 3.1):
 *   GET /api/v1/enterprise/subscriptions        {"default":[…],"extra":[…],"items":[…]}   (policy.view)
 *   PUT /api/v1/enterprise/subscriptions        {"extra":[…]}                               (subscription.manage)
 *   GET /api/v1/admin/subscription-rules        the rules, with names                       (policy.publish)
 *   PUT /api/v1/admin/subscription-rules        {"items":[{condition,value,policy_type}]}   (policy.publish, city staff)
 * Default types are not stored per firm: the rules are applied to the
 * current profile on every read and at every publication (deliver.c), so
 * they follow profile changes. Extra types are the firm's own choice,
 * kept as chosen.
 */
#include "policy/policy_internal.h"
#include "audit/audit.h"
#include "auth/access.h"
#include "http/scope.h"
#include "db/db.h"
#include "dict/dict.h"
#include "http/input.h"
#include <string.h>

#define RULES_MAX 200

static const char SQL_DEFAULTS[] =
    "SELECT DISTINCT r.policy_type FROM subscription_rule r JOIN enterprise e ON e.id = $1"
    " WHERE (r.cond_type = 'trade_type' AND r.cond_value = e.trade_type)"
    " OR (r.cond_type = 'characteristic' AND EXISTS (SELECT 1 FROM enterprise_characteristic ec"
    " WHERE ec.enterprise_id = e.id AND ec.code = r.cond_value))"
    " OR (r.cond_type = 'industry_section' AND EXISTS (SELECT 1 FROM dict_item d WHERE d.type = 'industry'"
    " AND d.code = e.industry AND d.parent = r.cond_value))"
    " ORDER BY r.policy_type";
static const char SQL_EXTRAS[] =
    "SELECT policy_type FROM enterprise_subscription WHERE enterprise_id = $1 ORDER BY policy_type";
static const char SQL_EXTRA_CLEAR[] = "DELETE FROM enterprise_subscription WHERE enterprise_id = $1";
static const char SQL_EXTRA_ADD[] = "INSERT INTO enterprise_subscription(enterprise_id, policy_type) VALUES ($1, $2)";
static const char SQL_RULES[] =
    "SELECT id, cond_type, cond_value, policy_type FROM subscription_rule ORDER BY cond_type, cond_value, policy_type";
static const char SQL_RULES_CLEAR[] = "DELETE FROM subscription_rule";
static const char SQL_RULE_ADD[] =
    "INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ($1, $2, $3)";
static const char SQL_REGION[] = "SELECT region FROM enterprise WHERE id = $1";

/* The one audit call of this file. 0 or -1. */
static int sub_audit(zq_req *q, const char *action, int64_t eid, const char *region, const char *detail)
{
    return audit_record(q, &(audit_entry){.action = action,
                                          .object_type = eid ? "enterprise" : "subscription_rule",
                                          .object_id = eid ? zq_arena_printf(q->arena, "%lld", (long long)eid) : NULL,
                                          .detail = detail,
                                          .enterprise_id = eid,
                                          .region = region});
}

/* The codes a one-column query returns for enterprise eid (arena). */
static int codes(zq_req *q, const char *sql, int64_t eid, const char ***out, int *n)
{
    *n = 0;
    *out = zq_arena_alloc(q->arena, sizeof **out * 64);
    db_stmt *s = *out ? db_prepare(q->db, sql) : NULL;
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, eid);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < 64) (*out)[(*n)++] = zq_arena_strdup(q->arena, db_col_text(s, 0));
    db_stmt_done(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

static bool has(const char *const *v, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i], code) == 0) return true;
    return false;
}

static zq_err answer_subs(zq_req *q, zq_resp *r)
{
    const char **def, **ext;
    int nd, ne;
    int64_t eid = q->session->enterprise_id;
    if (codes(q, SQL_DEFAULTS, eid, &def, &nd) != DB_OK || codes(q, SQL_EXTRAS, eid, &ext, &ne) != DB_OK)
        return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "default");
    zq_jw_arr(&w);
    for (int i = 0; i < nd; i++) zq_jw_str(&w, def[i]);
    zq_jw_arr_end(&w);
    zq_jw_key(&w, "extra");
    zq_jw_arr(&w);
    for (int i = 0; i < ne; i++)
        if (!has(def, nd, ext[i])) zq_jw_str(&w, ext[i]);
    zq_jw_arr_end(&w);
    /* the same with names, for the 默认 / 自选 tags */
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int i = 0; i < nd + ne; i++) {
        const char *code = i < nd ? def[i] : ext[i - nd];
        if (i >= nd && has(def, nd, code)) continue;
        zq_jw_obj(&w);
        zq_jw_kstr(&w, "code", code);
        zq_jw_kstr(&w, "name", pol_type_name(q, code));
        zq_jw_kstr(&w, "source", i < nd ? "default" : "extra");
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err subs_get(zq_req *q, zq_resp *r)
{
    return answer_subs(q, r);
}

static zq_err subs_put(zq_req *q, zq_resp *r)
{
    static const char *const keys[] = {"extra", NULL};
    zq_in_only(q, r, keys);
    int n = 0;
    if (!zq_in_has(q, "extra")) zq_fail_field(q, r, "extra", "请选择自选政策类型（可为空列表）");
    const char **extra = zq_in_str_list(q, r, "extra", "自选政策类型", false, POL_TYPES_MAX, 32, &n);
    for (int i = 0; i < n && !r->err; i++) {
        dict_state st = dict_lookup(q, "policy_type", extra[i], false, NULL);
        if (st == DICT_ERROR) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        if (st != DICT_ENABLED) zq_fail_field(q, r, "extra", "政策类型不存在或已停用，请从列表中选择");
    }
    if (r->err) return r->err;
    int64_t eid = q->session->enterprise_id;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_EXTRA_CLEAR);
    if (!s) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    db_bind_int64(s, 1, eid);
    int rc = db_step(s);
    db_stmt_done(s);
    for (int i = 0; rc == DB_DONE && i < n; i++) {
        if (!(s = db_prepare(q->db, SQL_EXTRA_ADD))) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_int64(s, 1, eid);
        db_bind_text(s, 2, extra[i], -1);
        rc = db_step(s);
        db_stmt_done(s);
    }
    char region[16] = "";
    if (rc == DB_DONE && (s = db_prepare(q->db, SQL_REGION))) {
        db_bind_int64(s, 1, eid);
        if (db_step(s) == DB_ROW) snprintf(region, sizeof region, "%s", db_col_text(s, 0));
        db_stmt_done(s);
    }
    if (rc != DB_DONE || sub_audit(q, "subscription.update", eid, region, zq_arena_printf(q->arena, "{\"extra\":%d}", n)) != 0)
        return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return answer_subs(q, r);
}

/* ---- rules ---- */

static const char *const cond_types[] = {"trade_type", "characteristic", "industry_section", NULL};
static const char *const cond_labels[] = {"进出口贸易", "企业特性", "行业门类"};

static int cond_index(const char *t)
{
    for (int i = 0; t && cond_types[i]; i++)
        if (strcmp(cond_types[i], t) == 0) return i;
    return -1;
}

static const char *cond_value_name(zq_req *q, const char *type, const char *value)
{
    const char *dict = strcmp(type, "industry_section") == 0 ? "industry" : type;
    const char *n = dict_name(q, dict, value);
    return n ? n : value;
}

static zq_err rules_get(zq_req *q, zq_resp *r)
{
    db_stmt *s = db_prepare(q->db, SQL_RULES);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    typedef struct {
        int64_t id;
        const char *t, *v, *p;
    } rule;
    rule rows[RULES_MAX];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < RULES_MAX) {
        rows[n].id = db_col_int64(s, 0);
        rows[n].t = zq_arena_strdup(q->arena, db_col_text(s, 1));
        rows[n].v = zq_arena_strdup(q->arena, db_col_text(s, 2));
        rows[n].p = zq_arena_strdup(q->arena, db_col_text(s, 3));
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_resp_json(r, &w, 200);
    zq_jw_obj(&w);
    zq_jw_key(&w, "items");
    zq_jw_arr(&w);
    for (int i = 0; i < n; i++) {
        int ci = cond_index(rows[i].t);
        zq_jw_obj(&w);
        zq_jw_kint(&w, "id", rows[i].id);
        zq_jw_kstr(&w, "condition", rows[i].t);
        zq_jw_kstr(&w, "condition_name", ci >= 0 ? cond_labels[ci] : rows[i].t);
        zq_jw_kstr(&w, "value", rows[i].v);
        zq_jw_kstr(&w, "value_name", cond_value_name(q, rows[i].t, rows[i].v));
        zq_jw_kstr(&w, "policy_type", rows[i].p);
        zq_jw_kstr(&w, "policy_type_name", pol_type_name(q, rows[i].p));
        zq_jw_obj_end(&w);
    }
    zq_jw_arr_end(&w);
    zq_jw_obj_end(&w);
    return ZQ_OK;
}

static zq_err rules_put(zq_req *q, zq_resp *r)
{
    if (!zq_scope_citywide(q)) return auth_deny(q, r, "订阅规则由市商务局统一维护");
    static const char *const keys[] = {"items", NULL};
    zq_in_only(q, r, keys);
    json_t *items = q->json ? json_object_get(q->json, "items") : NULL;
    if (!json_is_array(items) || json_array_size(items) > RULES_MAX) {
        zq_fail_field(q, r, "items", "规则列表格式不正确（最多 200 条）");
        return r->err;
    }
    size_t n = json_array_size(items);
    const char **t = zq_arena_alloc(q->arena, sizeof *t * (n + 1) * 3);
    if (!t) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    for (size_t i = 0; i < n && !r->err; i++) {
        json_t *it = json_array_get(items, i);
        const char *ct = json_string_value(json_object_get(it, "condition"));
        const char *cv = json_string_value(json_object_get(it, "value"));
        const char *pt = json_string_value(json_object_get(it, "policy_type"));
        const char *field = zq_arena_printf(q->arena, "items.%zu", i);
        int ci = cond_index(ct);
        if (!json_is_object(it) || json_object_size(it) != 3 || ci < 0 || !cv || !pt || strlen(cv) > 32 ||
            strlen(pt) > 32) {
            zq_fail_field(q, r, field, "规则须包含条件（进出口贸易、企业特性或行业门类）、取值和政策类型");
            break;
        }
        const char *dict = ci == 2 ? "industry" : ct;
        dict_state vs = dict_lookup(q, dict, cv, false, NULL), ps = dict_lookup(q, "policy_type", pt, false, NULL);
        if (vs == DICT_ERROR || ps == DICT_ERROR) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
        /* a section is an industry item without a parent: one letter */
        if (vs == DICT_ABSENT || (ci == 2 && strlen(cv) != 1)) zq_fail_field(q, r, field, "条件取值不存在");
        else if (ps != DICT_ENABLED) zq_fail_field(q, r, field, "政策类型不存在或已停用");
        for (size_t k = 0; k < i && !r->err; k++)
            if (strcmp(t[3 * k], ct) == 0 && strcmp(t[3 * k + 1], cv) == 0 && strcmp(t[3 * k + 2], pt) == 0)
                zq_fail_field(q, r, field, "规则重复");
        t[3 * i] = ct;
        t[3 * i + 1] = cv;
        t[3 * i + 2] = pt;
    }
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = db_prepare(q->db, SQL_RULES_CLEAR);
    if (!s) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    int rc = db_step(s);
    db_stmt_done(s);
    for (size_t i = 0; rc == DB_DONE && i < n; i++) {
        if (!(s = db_prepare(q->db, SQL_RULE_ADD))) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
        db_bind_text(s, 1, t[3 * i], -1);
        db_bind_text(s, 2, t[3 * i + 1], -1);
        db_bind_text(s, 3, t[3 * i + 2], -1);
        rc = db_step(s);
        db_stmt_done(s);
    }
    if (rc != DB_DONE ||
        sub_audit(q, "subscription_rule.update", 0, NULL, zq_arena_printf(q->arena, "{\"rules\":%zu}", n)) != 0)
        return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    if (db_commit(q->db) != DB_OK) return pol_fail_tx(q, r, ZQ_E_UNAVAILABLE, NULL);
    return rules_get(q, r);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/enterprise/subscriptions", subs_get, ZQ_ACCESS_MEMBER, "policy.view", 0, 0, NULL},
    {ZQ_PUT, "/api/v1/enterprise/subscriptions", subs_put, ZQ_ACCESS_MEMBER, "subscription.manage", ZQ_RF_JSON, 0, "subscription.update"},
    /* the rules are city-wide data: district staff read them, only city staff change them */
    {ZQ_GET, "/api/v1/admin/subscription-rules", rules_get, ZQ_ACCESS_STAFF, "policy.publish", ZQ_RF_SCOPED, 0, NULL},
    {ZQ_PUT, "/api/v1/admin/subscription-rules", rules_put, ZQ_ACCESS_STAFF, "policy.publish", ZQ_RF_JSON | ZQ_RF_SCOPED, 0, "subscription_rule.update"},
};
const zq_route_group subscription_routes = {routes, sizeof routes / sizeof routes[0]};
