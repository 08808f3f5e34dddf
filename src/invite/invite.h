/*
 * invite.h — district invites (manual 1.3, 1.4): bureau staff create a link
 * `/r/<token>` for a district, share it or its QR code, and registrations
 * that come through it record the invite and the channel (`link`, or `qr`
 * when the link was opened from the QR code, which encodes `?via=qr`).
 * Invites may expire or be revoked. The staff endpoints, the public lookup
 * the SPA uses to pre-select the district, and the two calls registration
 * needs live here.
 */
#ifndef ZQ_INVITE_H
#define ZQ_INVITE_H
#include <stdint.h>
#include "http/req.h"
#include "http/route.h"

typedef struct {
    int64_t id;
    const char *region;   /* arena copy */
    const char *channel;  /* "link" | "qr": what the staff member made it for */
} invite_info;

/* Looks up a live invite (not revoked, not expired at q->now) by token.
 * Returns DB_ROW and fills *out, DB_DONE when there is no such live invite
 * (also for a malformed token), or a negative db_rc. */
int invite_find(zq_req *q, const char *token, invite_info *out);

/* Counts one registration on invite id, inside the caller's transaction.
 * Returns DB_OK, DB_DONE when the invite is no longer live, or a negative
 * db_rc. */
int invite_count_use(zq_req *q, int64_t id);

/* Route groups, listed in match order by src/app/routes.c. */
extern const zq_route_group invite_routes;          /* invite.c */

#endif
