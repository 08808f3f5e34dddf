/*
 * account.c — who "me" is for the message and settings routes: an
 * enterprise-side user or a staff member, as the (kind, id) pair the
 * notify tables key on; plus the time writer they share.
 */
#include "notify/notify_api.h"
#include "auth/access.h"
#include "core/clock.h"

void notify_me(const zq_req *q, const char **kind, int64_t *id)
{
    const zq_session *s = q->session;
    bool staff = s && s->staff_id;
    *kind = staff ? "staff" : "user";
    *id = !s ? 0 : staff ? s->staff_id : s->user_id;
}

void notify_jw_time(zq_jw *w, const char *key, int64_t t)
{
    zq_jw_key(w, key);
    if (t <= 0) {
        zq_jw_null(w);
        return;
    }
    char iso[26];
    zq_time_iso(t, iso);
    zq_jw_str(w, iso);
}
