/*
 * account.c — who "me" is for the message and settings routes: an
 * enterprise-side user or a staff member, as the (kind, id) pair the
 * notify tables key on.
 */
#include "notify/notify_api.h"
#include "http/session.h"

void notify_me(const zq_req *q, const char **kind, int64_t *id)
{
    const zq_session *s = q->session;
    bool staff = s && s->staff_id;
    *kind = staff ? "staff" : "user";
    *id = !s ? 0 : staff ? s->staff_id : s->user_id;
}
