/*
 * routing.c — which handling unit gets a new consultation: the rule for
 * its category and the firm's district, falling back to the category in
 * any district, any category in the district, then the catch-all rule.
 */
#include "consult/consult_internal.h"

/* '' sorts before any code, so DESC puts the most specific rule first */
static const char SQL_RULE[] =
    "SELECT unit_id FROM consult_route_rule WHERE (category = $1 OR category = '') AND (region = $2 OR region = '')"
    " ORDER BY category DESC, region DESC LIMIT 1";

int cs_route_unit(db_conn *c, const char *category, const char *region, int64_t *unit)
{
    *unit = 0;
    db_stmt *s = db_prepare(c, SQL_RULE);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, category, -1);
    db_bind_text(s, 2, region ? region : "", -1);
    int rc = db_step(s);
    if (rc == DB_ROW) *unit = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}
