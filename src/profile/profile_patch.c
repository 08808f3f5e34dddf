/*
 * profile_patch.c — PATCH /api/v1/enterprise (profile.edit): the basic
 * record of an enterprise in force. The request's fields are laid over the
 * current record and the whole result goes through the registration form's
 * checks (src/enterprise/form.c), so a field is valid here exactly when it
 * is valid at registration. Changes apply at once and are audited with
 * before/after values; a request that changes nothing writes nothing.
 * Name, USCC and district are the bureau's to change (manual 9.1): they
 * are checked like the rest, then go into the enterprise's pending change
 * request (change.c) while the values in force stay until approval. Both
 * parts are written in one transaction.
 */
#include "profile/profile.h"
#include "audit/audit.h"
#include "db/db.h"
#include "enterprise/form.h"
#include "http/input.h"
#include "handler/kit.h"
#include "profile/change.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const EDITABLE[] = {
    "legal_rep_name", "legal_rep_phone", "contact_name", "contact_phone", "industry", "characteristics", "scale",
    "business_scope", "term_start", "term_end", "address", "registered_capital", "founded_on", "staff_size",
    "financing_stage", "email", "intro", "customs_code", "trade_type", "name", "uscc", "region", NULL};
static const char *const FORM_KEYS[] = {ENT_FORM_KEYS, NULL};

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

/* The form of a JSON record (q->json swapped for the reader's sake) that
 * replaces enterprise id's (whose disabled dictionary codes stay valid). */
static void read_form(zq_req *q, zq_resp *r, json_t *record, ent_form *f, int64_t id)
{
    json_t *request = q->json;
    q->json = record;
    ent_form_read_for(q, r, f, NULL, id);
    q->json = request;
}

/* {field:[before,after]} of the fields that differ, for the audit record. */
static const char *diff_of(zq_req *q, json_t *before, json_t *after)
{
    json_t *diff = json_object();
    for (int i = 0; FORM_KEYS[i]; i++) {
        json_t *a = json_object_get(before, FORM_KEYS[i]), *b = json_object_get(after, FORM_KEYS[i]);
        if (json_equal(a, b) || (!a && !b)) continue;
        /* the audit log keeps phones masked, like everywhere it shows one */
        if (strstr(FORM_KEYS[i], "_phone")) {
            const char *sa = json_string_value(a), *sb = json_string_value(b);
            json_object_set_new(diff, FORM_KEYS[i],
                                json_pack("[ss]", sa ? audit_mask_phone(q->arena, sa) : "", sb ? audit_mask_phone(q->arena, sb) : ""));
            continue;
        }
        json_object_set_new(diff, FORM_KEYS[i], json_pack("[OO]", a ? a : json_null(), b ? b : json_null()));
    }
    char *detail = json_dumps(diff, JSON_COMPACT);
    json_decref(diff);
    const char *d = detail ? zq_arena_strdup(q->arena, detail) : NULL;
    free(detail);
    return d;
}

/* A requested USCC must not be another live firm's: refused now rather
 * than at the bureau's approval, where the firm could no longer fix it. */
static zq_err check_uscc(zq_req *q, zq_resp *r, json_t *before, int64_t id)
{
    const char *want = json_string_value(json_object_get(q->json, "uscc"));
    const char *now = json_string_value(json_object_get(before, "uscc"));
    if (!want || (now && strcmp(want, now) == 0)) return ZQ_OK;
    bool taken = false;
    if (ent_uscc_taken(q->db, want, id, &taken) != DB_OK) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    if (!taken) return ZQ_OK;
    zq_fail_field(q, r, "uscc", "该统一社会信用代码已被其他企业使用");
    return zq_fail(r, ZQ_E_USCC_REGISTERED, "该统一社会信用代码已被其他企业使用，请核对后再提交");
}

static zq_err enterprise_patch(zq_req *q, zq_resp *r)
{
    int64_t id = q->session->enterprise_id;
    zq_in_only(q, r, EDITABLE);
    if (r->err) return r->err;
    json_t *before = current_form(q, id);
    if (!before) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    json_t *merged = json_deep_copy(before), *applied = NULL;
    const char *key;
    json_t *v;
    json_object_foreach(q->json, key, v) {
        if (json_is_null(v)) json_object_del(merged, key);
        else json_object_set(merged, key, v);
    }
    /* every field, the reviewed ones included, must pass the form's checks */
    ent_form f;
    read_form(q, r, merged, &f, id);
    if (r->err || check_uscc(q, r, before, id) != ZQ_OK) goto done;

    /* what applies at once: the request with name/USCC/district in force */
    applied = json_deep_copy(merged);
    for (int i = 0; PROFILE_REVIEWED[i]; i++) {
        json_t *old = json_object_get(before, PROFILE_REVIEWED[i]);
        if (old) json_object_set(applied, PROFILE_REVIEWED[i], old);
    }
    bool direct = !json_equal(before, applied);
    const char *d = NULL;
    if (direct) {
        /* the form read above is already the one to apply unless a reviewed field differs */
        if (!json_equal(merged, applied)) read_form(q, r, applied, &f, id);
        if (r->err) goto done;
        if (!(d = diff_of(q, before, applied))) {
            zq_fail(r, ZQ_E_INTERNAL, NULL);
            goto done;
        }
    }

    bool reviewed_sent = false;
    for (int i = 0; PROFILE_REVIEWED[i]; i++) reviewed_sent |= json_object_get(q->json, PROFILE_REVIEWED[i]) != NULL;
    /* the route's record, enterprise.update, is for fields applied at once;
     * a change request files its own (enterprise.change.*, profile/change.c) */
    if (!direct) audit_none(q);
    if (!direct && !reviewed_sent) goto done; /* nothing to write */

    int rc = db_begin(q->db, true);
    if (rc != DB_OK) goto db_fail;
    if (direct) {
        if ((rc = ent_form_apply(q, &f, id)) != DB_OK) goto db_fail;
        if ((rc = profile_completeness_refresh(q->db, id)) < 0) goto db_fail;
        if (hk_note(q, q->session->enterprise_id, "enterprise", id, d) != 0) {
            rc = DB_ERR;
            goto db_fail;
        }
    }
    bool changed = false;
    if ((rc = profile_change_submit(q, id, before, q->json, &changed)) != DB_OK) goto db_fail;
    if ((rc = db_commit(q->db)) != DB_OK) goto db_fail;
done:
    json_decref(before);
    json_decref(merged);
    json_decref(applied);
    if (r->err) return r->err;
    zq_jw w;
    zq_resp_json(r, &w, 200);
    rc = profile_write_enterprise(q, id, false, &w);
    return rc == DB_OK ? ZQ_OK : hk_fail_db(q, r, rc);
db_fail:
    json_decref(before);
    json_decref(merged);
    json_decref(applied);
    return hk_fail_db(q, r, rc);
}

static const zq_route routes[] = {
    {ZQ_PATCH, "/api/v1/enterprise", enterprise_patch, ZQ_ACCESS_MEMBER, "profile.edit", ZQ_RF_JSON, 65536, "enterprise.update"},
};
const zq_route_group profile_patch_routes = {routes, sizeof routes / sizeof routes[0]};
