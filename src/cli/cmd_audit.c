/*
 * cmd_audit.c — `zhengqi audit verify`: walks the hash chain of the audit
 * log and says whether every record is as written. Exit 0 when intact,
 * 1 with the first broken record's id otherwise.
 */
#include "cli/cli.h"
#include "audit/audit.h"
#include "db/db.h"
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: zhengqi audit verify [--db URL]\n"
    "  recomputes the audit log's hash chain. Prints the number of records and exits 0 when the\n"
    "  chain is intact; prints the first broken record's id and exits 1 when a record was edited,\n"
    "  removed or inserted.\n";

int cli_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *url = cli_default_db();
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify") != 0) return cli_usage_error("audit", "unknown subcommand (verify)");
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("audit", "an option is missing its value");
        default: return cli_usage_error("audit", "unknown option");
        }
    }
    if (optind < argc - 1) return cli_usage_error("audit", "unexpected argument");
    if (!db_url_engine(url)) return cli_usage_error("audit", "--db wants sqlite:PATH or postgres://…");

    char err[512] = "";
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "zhengqi audit: %s\n", err);
        return 1;
    }
    int64_t checked = 0, bad = 0;
    int rc = audit_verify(c, &checked, &bad, err, sizeof err);
    db_close(c);
    if (rc == 0) {
        printf("audit chain intact: %" PRId64 " records\n", checked);
        return 0;
    }
    if (bad) printf("audit chain BROKEN at record %" PRId64 " (%" PRId64 " records before it are intact): %s\n", bad, checked, err);
    else fprintf(stderr, "zhengqi audit: %s\n", err);
    return 1;
}
