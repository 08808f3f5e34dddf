/*
 * public.c — the portal's 咨询建议: the public Q&A (published, anonymised
 * answered consultations) and the visitor's form, proved by an SMS code
 * (purpose "consult") to the phone given:
 *   GET  /api/v1/consultations?q=&category=&page=   published only, newest first
 *   GET  /api/v1/consultations/:id                  no firm, person or phone in the answer
 *   POST /api/v1/consultations                      {kind, category, title, content, publishable, phone, sms_code}
 */
#include "consult/consult_internal.h"
#include "consult/consult_search.h"
#include "core/contact.h"
#include "dict/dict.h"
#include "core/text.h"
#include "http/input.h"
#include "sms/sms.h"
#include <string.h>

#define CS_PAGE_DEFAULT 10
#define CS_PAGE_MAX 50

static zq_err list(zq_req *q, zq_resp *r)
{
    const char *kw = zq_req_query(q, "q");
    const char *category = zq_req_query(q, "category");
    if (kw && zq_utf8_len(kw) > CS_QUERY_MAX) zq_fail_field(q, r, "q", "搜索词不能超过 50 个字");
    if (category && *category && !dict_has_code(q->db, "consult_category", category))
        zq_fail_field(q, r, "category", "咨询类别不存在");
    int64_t page, size;
    zq_in_page(q, r, &page, &size, CS_PAGE_DEFAULT, CS_PAGE_MAX);
    if (r->err) return r->err;
    cs_query cq = {.kw = kw, .category = category, .page = page, .page_size = size};
    return cs_search_respond(q, r, &cq);
}

static zq_err detail(zq_req *q, zq_resp *r)
{
    cs_row row;
    int rc = cs_load(q, hk_param_id(q, "id"), CS_VIEW_PUBLIC, 0, false, &row);
    if (rc == DB_DONE) return zq_fail(r, ZQ_E_NOT_FOUND, "咨询不存在或未公开");
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    return cs_respond_detail(q, r, row.id, CS_VIEW_PUBLIC, 200);
}

static zq_err visitor_submit(zq_req *q, zq_resp *r)
{
    static const char *const extra[] = {"phone", "sms_code", NULL};
    cs_submission sub;
    cs_read_submission(q, r, extra, &sub);
    if (json_object_get(q->json, "attachments")) zq_fail_field(q, r, "attachments", "未登录时不能上传附件，请登录后提交");
    const char *phone = zq_in_str(q, r, "phone", "手机号", true, 16);
    if (phone && !zq_mobile_valid(phone)) zq_fail_field(q, r, "phone", "请输入正确的手机号");
    const char *code = zq_in_str(q, r, "sms_code", "短信验证码", true, 8);
    if (r->err) return r->err;
    if (db_begin(q->db, true) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    if (sms_verify_code(q, r, phone, "consult", code, "sms_code") != ZQ_OK) {
        /* the failed try is counted (and kept): codes cannot be guessed at leisure */
        if (db_commit(q->db) != DB_OK) return hk_fail_tx_keep(q, r, ZQ_E_INTERNAL, NULL);
        return r->err;
    }
    int64_t id = 0;
    int rc = cs_insert(q, &sub, 0, 0, phone, NULL, &id);
    if (rc != DB_OK) return hk_fail_db(q, r, rc);
    if (hk_note(q, 0, "consultation", id, zq_arena_printf(q->arena, "{\"category\":%s,\"visitor\":true}",
                                                          hk_json_str(q, sub.category))) != 0)
        return hk_fail_db(q, r, DB_ERR);
    if ((rc = db_commit(q->db)) != DB_OK) return hk_fail_db(q, r, rc);
    zq_jw w;
    zq_resp_json(r, &w, 201);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_kstr(&w, "status", "submitted");
    zq_jw_obj_end(&w);
    return zq_jw_ok(&w) ? ZQ_OK : zq_fail(r, ZQ_E_INTERNAL, NULL);
}

static const zq_route routes[] = {
    {ZQ_GET, "/api/v1/consultations", list, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    {ZQ_GET, "/api/v1/consultations/:id", detail, ZQ_ACCESS_PUBLIC, NULL, 0, 0, NULL},
    /* the portal's form: no session, so no CSRF token; the SMS code proves the phone */
    {ZQ_POST, "/api/v1/consultations", visitor_submit, ZQ_ACCESS_PUBLIC, NULL, ZQ_RF_JSON | ZQ_RF_NO_CSRF, 64 << 10,
     "consult.submit"},
};
const zq_route_group consult_public_routes = {routes, sizeof routes / sizeof routes[0]};
