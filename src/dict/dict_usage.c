/*
 * dict_usage.c — where dictionary codes are stored, so that an item still
 * referenced anywhere is never deleted (dict_admin.c offers to disable it
 * instead) and the editor can show how much an item is used.
 *
 * A module that stores a dictionary code in a new column adds it here:
 * nothing else guards the code against deletion.
 */
#include "dict/dict_internal.h"
#include "db/db.h"
#include <string.h>

typedef struct {
    const char *type;
    const char *unit;    /* "12 家企业" in a refusal */
    const char *count;   /* COUNT(*) of rows holding $1 */
    const char *group;   /* code, COUNT(*) per code for the editor; NULL: history, only checked */
} dict_use;

static const dict_use USES[] = {
    {"region", "家企业", "SELECT COUNT(*) FROM enterprise WHERE region = $1",
     "SELECT region, COUNT(*) FROM enterprise GROUP BY region"},
    {"region", "个商务局账号", "SELECT COUNT(*) FROM staff WHERE region = $1",
     "SELECT region, COUNT(*) FROM staff WHERE region IS NOT NULL GROUP BY region"},
    {"region", "条邀请链接", "SELECT COUNT(*) FROM invite WHERE region = $1",
     "SELECT region, COUNT(*) FROM invite GROUP BY region"},
    {"region", "条变更申请",
     "SELECT COUNT(*) FROM enterprise_change WHERE new_region = $1 OR old_region = $1",
     "SELECT c, COUNT(*) FROM (SELECT new_region AS c FROM enterprise_change WHERE new_region IS NOT NULL"
     " UNION ALL SELECT old_region AS c FROM enterprise_change) x GROUP BY c"},
    /* records keep the district they belonged to; a deleted code would
     * leave them unreadable to district staff */
    {"region", "条审计记录", "SELECT COUNT(*) FROM audit_log WHERE region = $1", NULL},
    {"industry", "家企业", "SELECT COUNT(*) FROM enterprise WHERE industry = $1",
     "SELECT industry, COUNT(*) FROM enterprise WHERE industry IS NOT NULL GROUP BY industry"},
    {"characteristic", "家企业", "SELECT COUNT(*) FROM enterprise_characteristic WHERE code = $1",
     "SELECT code, COUNT(*) FROM enterprise_characteristic GROUP BY code"},
    {"scale", "家企业", "SELECT COUNT(*) FROM enterprise WHERE scale = $1",
     "SELECT scale, COUNT(*) FROM enterprise GROUP BY scale"},
    {"staff_size", "家企业", "SELECT COUNT(*) FROM enterprise WHERE staff_size = $1",
     "SELECT staff_size, COUNT(*) FROM enterprise WHERE staff_size IS NOT NULL GROUP BY staff_size"},
    {"financing_stage", "家企业", "SELECT COUNT(*) FROM enterprise WHERE financing_stage = $1",
     "SELECT financing_stage, COUNT(*) FROM enterprise WHERE financing_stage IS NOT NULL GROUP BY financing_stage"},
    {"trade_type", "家企业", "SELECT COUNT(*) FROM enterprise WHERE trade_type = $1",
     "SELECT trade_type, COUNT(*) FROM enterprise WHERE trade_type IS NOT NULL GROUP BY trade_type"},
};
#define NUSES (sizeof USES / sizeof USES[0])

int dict_usage_text(zq_req *q, const char *type, const char *code, const char **text)
{
    *text = NULL;
    for (size_t i = 0; i < NUSES; i++) {
        if (strcmp(USES[i].type, type) != 0) continue;
        db_stmt *s = db_prepare(q->db, USES[i].count);
        if (!s) return DB_ERR;
        db_bind_text(s, 1, code, -1);
        int rc = db_step(s);
        int64_t n = rc == DB_ROW ? db_col_int64(s, 0) : 0;
        db_stmt_done(s);
        if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
        if (n <= 0) continue;
        *text = *text ? zq_arena_printf(q->arena, "%s、%lld %s", *text, (long long)n, USES[i].unit)
                      : zq_arena_printf(q->arena, "%lld %s", (long long)n, USES[i].unit);
        if (!*text) return DB_ERR;
    }
    return DB_OK;
}

int dict_usage_counts(zq_req *q, const char *type, const char *const *codes, int64_t *counts, int n)
{
    for (int k = 0; k < n; k++) counts[k] = 0;
    for (size_t i = 0; i < NUSES; i++) {
        if (strcmp(USES[i].type, type) != 0 || !USES[i].group) continue;
        db_stmt *s = db_prepare(q->db, USES[i].group);
        if (!s) return DB_ERR;
        int rc;
        while ((rc = db_step(s)) == DB_ROW) {
            const char *c = db_col_text(s, 0);
            for (int k = 0; c && k < n; k++)
                if (strcmp(codes[k], c) == 0) {
                    counts[k] += db_col_int64(s, 1);
                    break;
                }
        }
        db_stmt_done(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    }
    return DB_OK;
}
