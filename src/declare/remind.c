/*
 * remind.c — the worker's reminder (jobs/tasks.c): on each of the days
 * before a published call closes named by decl_remind_days, every firm
 * with an application it has not submitted (draft, withdrawn) is told once
 * per mark: the notify key (ref_type "decl_remind_<days>", ref_id the
 * application) makes a second run add nothing.
 */
#include "declare/declare.h"
#include "declare/declare_internal.h"
#include "core/arena.h"
#include "core/clock.h"
#include "notify/notify.h"
#include <stdio.h>
#include <string.h>

static const char SQL_DUE[] =
    "SELECT a.id, a.enterprise_id, c.id, c.title, c.open_at, c.close_at FROM decl_app a JOIN decl_call c ON c.id = a.call_id"
    " WHERE c.status = 'published' AND c.close_at > $1 AND c.close_at <= $2 AND a.status IN ('draft', 'withdrawn')"
    " ORDER BY a.id LIMIT 5000";

static int remind_mark(db_conn *db, int64_t now, int lo_days, int days)
{
    zq_arena *a = zq_arena_new(1 << 20);
    if (!a) return DB_ERR;
    int rc = db_begin(db, true);
    if (rc != DB_OK) {
        zq_arena_free(a);
        return rc;
    }
    db_stmt *s = db_prepare(db, SQL_DUE);
    if (!s) {
        rc = DB_ERR;
        goto done;
    }
    db_bind_int64(s, 1, now + (int64_t)lo_days * 86400);
    db_bind_int64(s, 2, now + (int64_t)days * 86400);
    enum { MAX = 5000 };
    int64_t *app = zq_arena_alloc(a, sizeof(int64_t) * MAX), *ent = zq_arena_alloc(a, sizeof(int64_t) * MAX);
    decl_call *calls = zq_arena_alloc(a, sizeof *calls * MAX);
    int n = 0;
    while (app && ent && calls && (rc = db_step(s)) == DB_ROW && n < MAX) {
        app[n] = db_col_int64(s, 0);
        ent[n] = db_col_int64(s, 1);
        calls[n] = (decl_call){.id = db_col_int64(s, 2),
                               .title = zq_arena_strdup(a, db_col_text(s, 3)),
                               .open_at = db_col_int64(s, 4),
                               .close_at = db_col_int64(s, 5)};
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE && rc != DB_ROW) goto done;
    rc = DB_OK;
    for (int i = 0; i < n && rc == DB_OK; i++) {
        char link[64], ref[24], d[8];
        snprintf(link, sizeof link, "/console/declarations/applications/%lld", (long long)app[i]);
        snprintf(ref, sizeof ref, "decl_remind_%d", days);
        snprintf(d, sizeof d, "%d", days);
        notify_msg m = {.topic = "declaration",
                        .template_code = "declaration.reminder",
                        .ref_type = ref,
                        .ref_id = app[i],
                        .params_json = decl_params(a, &calls[i], "days", d, NULL, NULL),
                        .link = link};
        rc = m.params_json ? notify_enterprise(db, now, &m, ent[i], "declaration.submit", NULL) : DB_ERR;
    }
done:
    if (rc == DB_OK) rc = db_commit(db);
    else db_rollback(db);
    zq_arena_free(a);
    return rc;
}

const int decl_remind_days[DECL_REMIND_MARKS] = {3, 1};

int decl_remind_task(db_conn *c, int64_t now, void *ctx)
{
    (void)ctx;
    /* one window per mark, from the next smaller mark (or the close) up to
     * it: a firm whose mark passed while the worker was down hears the
     * nearer mark, never a stale one */
    int rc = DB_OK;
    for (int i = DECL_REMIND_MARKS - 1; i >= 0 && rc == DB_OK; i--)
        rc = remind_mark(c, now, i + 1 < DECL_REMIND_MARKS ? decl_remind_days[i + 1] : 0, decl_remind_days[i]);
    return rc;
}
