/*
 * fixtures_reg.c — registration, review and invite test fixtures (see
 * fixtures_reg.h).
 */
#include "support/fixtures_reg.h"
#include "support/fixtures.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zr_uscc(int n, char out[19])
{
    char body[24];
    unsigned v = (unsigned)n % 10000000u;
    snprintf(body, sizeof body, "91350102MA%07u", v);
    zt_uscc(body, out);
}

json_t *zr_form(const char *uscc, const char *phone)
{
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s}",
                          "name", "福州闽江贸易有限公司", "uscc", uscc, "applicant_role", "legal_rep",
                          "contact_name", "张三", "contact_phone", phone, "password", ZR_PASSWORD,
                          "region", "350102", "industry", "13", "characteristics", "private", "scale", "small");
    assert_non_null(f);
    /* 我已阅读并同意: the first versions, seeded by migration 0012 */
    json_object_set_new(f, "agree", json_pack("{s:i, s:i}", "terms_version", 1, "privacy_version", 1));
    return f;
}

json_t *zr_form_full(const char *uscc, const char *phone)
{
    json_t *f = zr_form(uscc, phone);
    json_object_set_new(f, "legal_rep_name", json_string("张三"));
    json_object_set_new(f, "legal_rep_phone", json_string(phone));
    json_object_set_new(f, "characteristics", json_pack("[s,s]", "private", "foreign_trade"));
    json_object_set_new(f, "business_scope", json_string("农副食品加工；货物进出口"));
    json_object_set_new(f, "term_start", json_string("2015-03-01"));
    json_object_set_new(f, "term_end", json_string("2045-02-28"));
    json_object_set_new(f, "address", json_string("福州市鼓楼区五四路 1 号"));
    json_object_set_new(f, "registered_capital", json_string("123.4567"));
    json_object_set_new(f, "founded_on", json_string("2015-03-01"));
    json_object_set_new(f, "staff_size", json_string("20_99"));
    json_object_set_new(f, "financing_stage", json_string("angel"));
    json_object_set_new(f, "email", json_string("info@minjiang-trade.cn"));
    json_object_set_new(f, "intro", json_string("专注农产品加工与出口。"));
    json_object_set_new(f, "customs_code", json_string("3501961234"));
    json_object_set_new(f, "trade_type", json_string("export"));
    return f;
}

void zr_set(json_t *form, const char *key, const char *v)
{
    if (v) json_object_set_new(form, key, json_string(v));
    else json_object_del(form, key);
}

char *zr_text(zt_env *e, const char *sql)
{
    db_conn *c = db_pool_acquire(e->app->pool);
    db_stmt *s = db_prepare(c, sql);
    if (!s) fail_msg("prepare failed: %s: %s", sql, db_errmsg(c));
    char *out = NULL;
    int rc = db_step(s);
    if (rc == DB_ROW && !db_col_is_null(s, 0)) out = strdup(db_col_text(s, 0));
    db_stmt_done(s);
    db_pool_release(e->app->pool, c);
    if (rc != DB_ROW && rc != DB_DONE) fail_msg("query failed: %s", sql);
    return out;
}

long long zr_countf(zt_env *e, const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return zt_count(e, sql);
}

void zr_sms_code(zt_env *e, zt_client *c, const char *phone, const char *purpose, char out[16])
{
    /* tests cannot wait out the 60 s resend gap: age this phone's earlier codes */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE sms_code SET created_at = created_at - 61 WHERE phone = '%s'", phone);
    zt_exec(e, sql);
    zt_resp *r = zt_postf(e, c, "/api/v1/sms/send", "{\"phone\":\"%s\",\"purpose\":\"%s\"}", phone, purpose);
    if (r->status != 200 && r->status != 201 && r->status != 202) fail_msg("sms/send %s: %d %s", phone, r->status, r->body);
    zt_resp_free(r);
    snprintf(sql, sizeof sql, "SELECT body FROM sms_outbox WHERE phone = '%s' ORDER BY id DESC LIMIT 1", phone);
    char *body = zr_text(e, sql);
    if (!body) fail_msg("no SMS in the outbox for %s", phone);
    /* the first run of exactly 6 digits in the message */
    out[0] = '\0';
    for (const char *p = body; *p; p++) {
        size_t n = strspn(p, "0123456789");
        if (n == 6) {
            memcpy(out, p, 6);
            out[6] = '\0';
            break;
        }
        if (n) p += n - 1;
    }
    free(body);
    if (!out[0]) fail_msg("no 6-digit code in the SMS to %s", phone);
}

zt_resp *zr_send(zt_env *e, zt_client *c, const char *method, const char *path, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    assert_non_null(s);
    zt_resp *r = zt_req(e, c, method, path, s, NULL);
    free(s);
    return r;
}

zt_resp *zr_register(zt_env *e, zt_client *c, json_t *form)
{
    const char *phone = json_string_value(json_object_get(form, "contact_phone"));
    assert_non_null(phone);
    char code[16];
    zr_sms_code(e, c, phone, "register", code);
    json_t *body = json_deep_copy(form);
    json_object_set_new(body, "sms_code", json_string(code));
    zt_resp *r = zr_send(e, c, "POST", "/api/v1/register", body);
    json_decref(body);
    return r;
}

int64_t zr_register_ok(zt_env *e, zt_client *c, int n, const char *region)
{
    char uscc[19], phone[16];
    zr_uscc(n, uscc);
    snprintf(phone, sizeof phone, "139%08d", n);
    zt_client_init(c);
    snprintf(c->ip, sizeof c->ip, "10.%d.%d.%d", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    json_t *f = zr_form(uscc, phone);
    zr_set(f, "region", region);
    zt_resp *r = zr_register(e, c, f);
    json_decref(f);
    if (r->status != 201) fail_msg("registration %d failed: %d %s", n, r->status, r->body);
    int64_t id = zt_int(r, "current_enterprise_id");
    zt_resp_free(r);
    return id;
}

int64_t zr_staff(zt_env *e, zt_client *c, const char *username, const char *role, const char *region)
{
    int64_t id = zt_make_staff(e, username, role, region, ZT_PASSWORD);
    zt_client_init(c);
    zt_staff_login(e, c, username, ZT_PASSWORD);
    return id;
}
