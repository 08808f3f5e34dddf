/*
 * cmd_db.c — `zhengqi migrate` and `zhengqi backup`.
 */
#include "cli/cli.h"
#include "app/app.h"
#include "db/db.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* Parses "--db URL [--out FILE]"; returns 0, or an exit code to stop with. */
static int db_opts(const char *cmd, const char *help, int argc, char **argv, const char **db, const char **out)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"out", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    int ch;
    *db = cli_default_db();
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': *db = optarg; break;
        case 'o':
            if (!out) return cli_usage_error(cmd, "unknown option --out");
            *out = optarg;
            break;
        case 'h': fputs(help, stdout); return -1;
        case ':': return cli_usage_error(cmd, "an option is missing its value");
        default: return cli_usage_error(cmd, "unknown option");
        }
    }
    if (optind < argc) return cli_usage_error(cmd, "unexpected argument");
    if (!db_url_engine(*db)) return cli_usage_error(cmd, "--db wants sqlite:PATH or postgres://…");
    return 0;
}

int cli_migrate(int argc, char **argv)
{
    const char *url;
    int rc = db_opts("migrate", "usage: zhengqi migrate [--db URL]\n  applies every schema migration not yet applied (env ZQ_DB)\n",
                     argc, argv, &url, NULL);
    if (rc) return rc < 0 ? 0 : rc;
    char err[512] = "";
    int applied = 0;
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "zhengqi migrate: %s\n", err);
        return 1;
    }
    rc = db_migrate(c, &applied, err, sizeof err);
    if (rc == DB_OK) rc = zq_app_upgrade_data(c, err, sizeof err);
    db_close(c);
    if (rc != DB_OK) {
        fprintf(stderr, "zhengqi migrate: %s\n", err);
        return 1;
    }
    printf("migrations applied: %d\n", applied);
    return 0;
}

int cli_backup(int argc, char **argv)
{
    const char *url, *out = NULL;
    int rc = db_opts("backup", "usage: zhengqi backup --db sqlite:PATH --out FILE\n"
                               "  consistent online copy of a SQLite database while the service runs.\n"
                               "  PostgreSQL: use pg_dump -Fc (see README).\n",
                     argc, argv, &url, &out);
    if (rc) return rc < 0 ? 0 : rc;
    if (db_url_engine(url) == DB_POSTGRES) {
        fprintf(stderr, "zhengqi backup: PostgreSQL databases are backed up with its own tools, e.g.\n"
                        "  pg_dump -Fc -d '%s' -f zhengqi.dump\n"
                        "and restored with pg_restore; for point-in-time recovery use WAL archiving.\n", url);
        return 1;
    }
    if (!out) return cli_usage_error("backup", "--out FILE is required");
    char err[512] = "";
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "zhengqi backup: %s\n", err);
        return 1;
    }
    rc = db_backup_sqlite(c, out, err, sizeof err);
    db_close(c);
    if (rc != DB_OK) {
        fprintf(stderr, "zhengqi backup: %s\n", err);
        return 1;
    }
    printf("backup written to %s\n", out);
    return 0;
}
