/*
 * gate.c — access decisions for the route table (see access.h).
 */
#include "auth/access.h"
#include "audit/audit.h"
#include "auth/staff_perm.h"
#include "core/arena.h"
#include <string.h>
#include <sodium.h>

static bool method_is_unsafe(zq_method m)
{
    return !(m == ZQ_GET || m == ZQ_HEAD || m == ZQ_OPTIONS);
}

bool auth_has_perm(const zq_session *s, const char *perm)
{
    if (!s || !perm) return false;
    if (s->is_legal_rep) return true;
    if (!s->perms) return false;
    size_t n = strlen(perm);
    for (const char *p = s->perms; (p = strstr(p, perm)) != NULL; p += n) {
        bool start = p == s->perms || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ' ';
        if (start && end) return true;
    }
    return false;
}

/* perm may name alternatives, "a|b": holding any one of them is enough. A
 * route uses that when it serves several write features alike (uploads
 * feed the profile, declarations, questionnaires and consultations). */
static bool has_route_perm(const zq_session *s, const char *perm)
{
    char one[64];
    for (const char *p = perm; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == 0 || n >= sizeof one) return false; /* a malformed table refuses */
        memcpy(one, p, n);
        one[n] = '\0';
        if (auth_has_perm(s, one)) return true;
        p += n + (bar ? 1 : 0);
    }
    return false;
}

bool auth_csrf_ok(const zq_req *q)
{
    const char *sent = zq_req_header(q, ZQ_CSRF_HEADER);
    const char *want = q->session ? q->session->csrf_token : NULL;
    if (!sent || !want) return false;
    size_t n = strlen(want);
    if (strlen(sent) != n) return false;
    return sodium_memcmp(sent, want, n) == 0;
}

/* A signed-in person refused by the route table is recorded: probing for
 * other enterprises' features or the bureau's routes shows in the audit log. */
static zq_err denied(zq_req *q, zq_resp *r, const char *message)
{
    if (q->db) {
        audit_entry a = {
            .action = "access.denied",
            .object_type = "route",
            .object_id = q->route->pattern,
            .result = "denied",
            .detail = q->route->perm,
            .region = q->session && q->session->staff_region ? q->session->staff_region : NULL,
        };
        audit_record(q, &a); /* best effort: the refusal stands either way */
    }
    return zq_fail(r, ZQ_E_FORBIDDEN, message);
}

zq_err auth_deny(zq_req *q, zq_resp *r, const char *message)
{
    return denied(q, r, message);
}

/* The one data scope handlers filter by (http/scope.h): the whole city, or
 * the staff account's district. Only routes that declare ZQ_RF_SCOPED. */
static void set_scope(zq_req *q, unsigned flags)
{
    const zq_session *s = q->session;
    if (s && s->staff_id && (flags & ZQ_RF_SCOPED)) q->scope_region = s->staff_region ? s->staff_region : "";
}

/* Names what is missing: "a|b" routes name their first permission. */
static const char *staff_denied_message(zq_req *q, const char *perm)
{
    char one[64] = "";
    if (perm) {
        size_t n = strcspn(perm, "|");
        if (n < sizeof one) memcpy(one, perm, n), one[n] = '\0';
    }
    const char *m = zq_arena_printf(q->arena, "该操作需要「%s」权限，请联系市级系统管理员分配", staff_perm_label(one));
    return m ? m : "您的角色没有该权限";
}

/* The checks of a route with this access, permission and flags. */
static zq_err gate(zq_req *q, zq_resp *r, zq_access access, const char *perm, unsigned flags)
{
    const zq_session *s = q->session;

    /* A logged-in browser must prove same-origin on every unsafe call, even
     * on public routes, so a forged cross-site form cannot act as the user. */
    if (s && method_is_unsafe(q->method) && !(flags & ZQ_RF_NO_CSRF) && !auth_csrf_ok(q))
        return zq_fail(r, ZQ_E_CSRF, NULL);
    if (access == ZQ_ACCESS_PUBLIC) return ZQ_OK;
    if (!s) return zq_fail(r, ZQ_E_UNAUTHENTICATED, NULL);
    if (s->must_change_password && !(flags & ZQ_RF_ALLOW_PWCHANGE))
        return zq_fail(r, ZQ_E_PASSWORD_CHANGE, NULL);
    /* the password-change flow stays open too: a first login may need both */
    if (s->consent_required && !(flags & (ZQ_RF_ALLOW_CONSENT | ZQ_RF_ALLOW_PWCHANGE)))
        return zq_fail(r, ZQ_E_CONSENT_REQUIRED, NULL);

    switch (access) {
    case ZQ_ACCESS_SESSION:
        set_scope(q, flags); /* a session route serving staff too (file downloads) */
        return ZQ_OK;
    case ZQ_ACCESS_USER:
        return s->user_id ? ZQ_OK : denied(q, r, NULL);
    case ZQ_ACCESS_MEMBER:
        if (!s->user_id) return denied(q, r, NULL);
        if (!s->enterprise_id) return denied(q, r, "请先选择企业");
        if (!s->enterprise_status || strcmp(s->enterprise_status, "approved") != 0)
            return denied(q, r, "企业尚未通过审核，暂不能使用该功能");
        if (perm && !has_route_perm(s, perm))
            return denied(q, r, "您所在的角色没有该权限，请联系企业法人");
        return ZQ_OK;
    case ZQ_ACCESS_STAFF:
        if (!s->staff_id) return denied(q, r, NULL);
        /* every staff route names a catalogue permission; a route without
         * one is a table error and refuses rather than opens */
        if (!perm || !has_route_perm(s, perm)) return denied(q, r, staff_denied_message(q, perm));
        set_scope(q, flags);
        return ZQ_OK;
    case ZQ_ACCESS_PUBLIC:
        break;
    }
    return ZQ_OK;
}

zq_err auth_gate(zq_req *q, zq_resp *r)
{
    const zq_route *rt = q->route;
    return gate(q, r, rt->access, rt->perm, rt->flags);
}

zq_err auth_gate_as(zq_req *q, zq_resp *r, zq_access access, const char *perm)
{
    return gate(q, r, access, perm, 0);
}
