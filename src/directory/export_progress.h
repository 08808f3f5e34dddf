/*
 * export_progress.h — the progress rows of directory exports (table
 * export_progress, migration 0009). A token is made by the client so it can
 * poll before the download's first byte arrives; it is bound to the staff
 * member who started the export.
 */
#ifndef ZQ_DIRECTORY_EXPORT_PROGRESS_H
#define ZQ_DIRECTORY_EXPORT_PROGRESS_H

#include "db/db.h"
#include <stdbool.h>
#include <stdint.h>

#define EXPORT_TOKEN_LEN 32

/* True for exactly 32 characters of [A-Za-z0-9]. */
bool export_token_ok(const char *token);
/* New running row; DB_ECONSTRAINT when the token is taken. */
int export_progress_start(db_conn *db, const char *token, int64_t staff_id, int64_t total, int64_t now);
int export_progress_update(db_conn *db, const char *token, int64_t done, const char *status, int64_t now);

#endif
