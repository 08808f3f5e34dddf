/*
 * test_db_url.h — which database a unit test runs against: the URL in
 * ZQ_TEST_DB (e.g. a cluster from scripts/pg-cluster.sh), or else a fresh
 * SQLite file in a new temp directory. zq_test_db_cleanup removes that
 * temp directory again (and does nothing for ZQ_TEST_DB).
 */
#ifndef ZQ_TEST_DB_URL_H
#define ZQ_TEST_DB_URL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes a fresh "sqlite:/tmp/zqdb.XXXXXX/test.db" into buf; NULL on failure. */
static inline const char *zq_test_sqlite_url(char *buf, size_t len)
{
    char dir[] = "/tmp/zqdb.XXXXXX";
    if (!mkdtemp(dir)) return NULL;
    int n = snprintf(buf, len, "sqlite:%s/test.db", dir);
    return n > 0 && (size_t)n < len ? buf : NULL;
}

/* The URL to test against; the buffer is static and lasts the process. */
static inline const char *zq_test_db_url(void)
{
    static char url[512];
    const char *env = getenv("ZQ_TEST_DB");
    if (env && *env) return env;
    if (!url[0] && !zq_test_sqlite_url(url, sizeof url)) return NULL;
    return url;
}

/* Removes the temp directory behind a URL made by zq_test_sqlite_url. */
static inline void zq_test_db_cleanup(const char *url)
{
    static const char prefix[] = "sqlite:/tmp/zqdb.";
    if (!url || strncmp(url, prefix, sizeof prefix - 1) != 0) return;
    const char *slash = strrchr(url, '/');
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(slash - (url + 7)), url + 7);
    if (system(cmd) != 0) fprintf(stderr, "warning: could not remove the temp dir of %s\n", url);
}

#endif
