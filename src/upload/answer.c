/*
 * answer.c — the answer to a stored upload (upload_internal.h), one shape
 * for the member path (upload_api.c) and the bureau path (bureau.c).
 */
#include "upload/upload_internal.h"
#include "core/clock.h"
#include "http/req.h"

void up_answer_created(zq_req *q, zq_resp *r, int64_t id, const char *name, size_t size, const char *mime,
                       const char *sha256)
{
    char iso[26];
    zq_time_iso(q->now, iso);
    zq_jw w;
    zq_resp_json(r, &w, 201);
    zq_jw_obj(&w);
    zq_jw_kint(&w, "id", id);
    zq_jw_kstr(&w, "name", name);
    zq_jw_kint(&w, "size", (int64_t)size);
    zq_jw_kstr(&w, "mime", mime);
    zq_jw_kstr(&w, "sha256", sha256);
    zq_jw_kstr(&w, "created_at", iso);
    zq_jw_obj_end(&w);
}
