/*
 * cmd_prune.c — `zhengqi prune`: one housekeeping pass (src/jobs/prune.h)
 * for deployments that prefer cron to the thread inside `serve`.
 */
#include "cli/cli.h"
#include "db/db.h"
#include "jobs/prune.h"
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

static const char HELP[] =
    "usage: zhengqi prune [--db URL]\n"
    "  deletes SMS codes and rate counters older than two days, login locks that ran out two days\n"
    "  ago, sessions that ended over a day ago and export progress untouched for a day, and prints\n"
    "  how many of each. `serve` does the same every 10 minutes; this is for cron or for a\n"
    "  one-off clean-up.\n";

int cli_prune(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *url = cli_default_db();
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("prune", "an option is missing its value");
        default: return cli_usage_error("prune", "unknown option");
        }
    }
    if (optind < argc) return cli_usage_error("prune", "unexpected argument");
    if (!db_url_engine(url)) return cli_usage_error("prune", "--db wants sqlite:PATH or postgres://…");
    char err[512] = "";
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "zhengqi prune: %s\n", err);
        return 1;
    }
    jobs_pruned p;
    int rc = jobs_prune(c, (int64_t)time(NULL), &p);
    if (rc != DB_OK) fprintf(stderr, "zhengqi prune: %s\n", db_errmsg(c));
    db_close(c);
    if (rc != DB_OK) return 1;
    printf("removed %" PRId64 " sms codes, %" PRId64 " rate counters, %" PRId64 " login locks, %" PRId64 " sessions, %" PRId64
           " export progress rows\n",
           p.sms_codes, p.rate_counters, p.login_locks, p.sessions, p.export_progress);
    return 0;
}
