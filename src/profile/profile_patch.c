/*
 * profile_patch.c — PATCH /api/v1/enterprise (profile.edit): the basic
 * record of an enterprise in force. The request's fields are laid over the
 * current record and the whole result goes through the registration form's
 * checks (src/enterprise/form.c), so a field is valid here exactly when it
 * is valid at registration. Changes apply at once and are audited with
 * before/after values; a request that changes nothing writes nothing.
 * Name, USCC and district are the bureau's to change (manual 9.1): a
 * request to change them is refused with where to turn, and nothing of it
 * is stored.
 */
#include "profile/profile.h"
#include "db/db.h"
#include "enterprise/form.h"
#include "http/input.h"
#include "member/member_internal.h"
#include <jansson.h>
#include <string.h>

static const char *const EDITABLE[] = {
    "legal_rep_name", "legal_rep_phone", "contact_name", "contact_phone", "industry", "characteristics", "scale",
    "business_scope", "term_start", "term_end", "address", "registered_capital", "founded_on", "staff_size",
    "financing_stage", "email", "intro", "customs_code", "trade_type", "name", "uscc", "region", NULL};
static const char *const FORM_KEYS[] = {ENT_FORM_KEYS, NULL};
static const char *const REVIEWED[] = {"name", "uscc", "region", NULL};

#define MSG_REVIEWED "企业名称、统一社会信用代码和所属区域的变更需经商务局审核，请携带证明材料联系所属区商务局办理"

/* The current record as the form's JSON object (new reference), NULL on failure. */
static json_t *current_form(zq_req *q, int64_t id)
{
    zq_buf b;
    zq_buf_init(&b, 1u << 20);
    zq_jw w;
    zq_jw_init(&w, &b);
    json_t *all = NULL, *out = NULL;
    if (ent_app_write(q, &w, id, false) != DB_OK || b.overflow) goto fail;
    if (!(all = json_loadb(b.data, b.len, 0, NULL)) || !(out = json_object())) goto fail;
    for (int i = 0; FORM_KEYS[i]; i++) {
        json_t *v = json_object_get(all, FORM_KEYS[i]);
        if (v && !json_is_null(v)) json_object_set(out, FORM_KEYS[i], v);
    }
    json_decref(all);
    zq_buf_free(&b);
    return out;
fail:
    json_decref(all);
    json_decref(out);
    zq_buf_free(&b);
    return NULL;
}

static zq_err enterprise_patch(zq_req *q, zq_resp *r)
{
    int64_t id = q->session->enterprise_id;
    zq_in_only(q, r, EDITABLE);
    if (r->err) return r->err;
    json_t *before = current_form(q, id);
    if (!before) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    json_t *merged = json_deep_copy(before);
    const char *key;
    json_t *v;
    json_object_foreach(q->json, key, v) {
        if (json_is_null(v)) json_object_del(merged, key);
        else json_object_set(merged, key, v);
    }
    for (int i = 0; REVIEWED[i]; i++)
        if (!json_equal(json_object_get(before, REVIEWED[i]), json_object_get(merged, REVIEWED[i])))
            zq_fail_field(q, r, REVIEWED[i], MSG_REVIEWED);
    if (r->err) {
        json_decref(before);
        json_decref(merged);
        return zq_fail(r, ZQ_E_UNPROCESSABLE, MSG_REVIEWED);
    }
    if (json_equal(before, merged)) {
        json_decref(before);
        json_decref(merged);
        goto answer;
    }
    /* the form reader works on q->json: hand it the merged record */
    json_t *request = q->json;
    q->json = merged;
    ent_form f;
    ent_form_read(q, r, &f, NULL);
    q->json = request;
    if (r->err) {
        json_decref(before);
        json_decref(merged);
        return r->err;
    }
    /* before/after of each changed field, for the audit record */
    json_t *diff = json_object();
    for (int i = 0; FORM_KEYS[i]; i++) {
        json_t *a = json_object_get(before, FORM_KEYS[i]), *b = json_object_get(merged, FORM_KEYS[i]);
        if (json_equal(a, b) || (!a && !b)) continue;
        json_object_set_new(diff, FORM_KEYS[i], json_pack("[OO]", a ? a : json_null(), b ? b : json_null()));
    }
    char *detail = json_dumps(diff, JSON_COMPACT);
    json_decref(diff);
    json_decref(before);
    json_decref(merged);
    const char *d = detail ? zq_arena_strdup(q->arena, detail) : "{}";
    free(detail);

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) return mb_fail_db(q, r, rc);
    if ((rc = ent_form_apply(q, &f, id)) != DB_OK) return mb_fail_db(q, r, rc);
    if ((rc = profile_completeness_refresh(q->db, id)) < 0) return mb_fail_db(q, r, rc);
    if (mb_audit(q, "enterprise.update", "enterprise", id, d) != 0) return mb_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return mb_fail_db(q, r, rc);
answer:;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    rc = profile_write_enterprise(q, id, false, &w);
    return rc == DB_OK ? ZQ_OK : mb_fail_db(q, r, rc);
}

static const zq_route routes[] = {
    {ZQ_PATCH, "/api/v1/enterprise", enterprise_patch, ZQ_ACCESS_MEMBER, "profile.edit", ZQ_RF_JSON, 65536},
};
const zq_route_group profile_patch_routes = {routes, sizeof routes / sizeof routes[0]};
