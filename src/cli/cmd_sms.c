/*
 * cmd_sms.c — `zhengqi sms outbox`: prints the SMS outbox, latest first.
 * With the `log` provider (development) the messages, codes included, are
 * read here; the outbox is never readable over HTTP.
 */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/text.h"
#include "db/db.h"
#include "sms/sms.h"
#include "core/contact.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: zhengqi sms outbox [--db URL] [--phone P] [--limit N]\n"
    "  prints the SMS outbox latest first (default 20 messages): time (Asia/Shanghai),\n"
    "  phone, status (sent/failed), provider, text, and the error of a failed delivery.\n";

static const char SQL_ALL[] =
    "SELECT created_at, phone, status, provider, body, error FROM sms_outbox ORDER BY id DESC LIMIT $1";
static const char SQL_PHONE[] =
    "SELECT created_at, phone, status, provider, body, error FROM sms_outbox WHERE phone = $2"
    " ORDER BY id DESC LIMIT $1";

int cli_sms(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"phone", required_argument, 0, 'p'},
        {"limit", required_argument, 0, 'n'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *url = cli_default_db(), *phone = NULL;
    int64_t limit = 20;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "outbox") != 0) return cli_usage_error("sms", "unknown subcommand (outbox)");
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'p': phone = optarg; break;
        case 'n': if (!zq_parse_int64(optarg, 1, 10000, &limit)) return cli_usage_error("sms", "--limit wants 1..10000"); break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("sms", "an option is missing its value");
        default: return cli_usage_error("sms", "unknown option");
        }
    }
    if (optind < argc - 1) return cli_usage_error("sms", "unexpected argument");
    if (!db_url_engine(url)) return cli_usage_error("sms", "--db wants sqlite:PATH or postgres://…");
    if (phone && !zq_mobile_valid(phone)) return cli_usage_error("sms", "--phone wants a mainland mobile number");

    char err[512] = "";
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "zhengqi sms: %s\n", err);
        return 1;
    }
    if (db_migrate(c, NULL, err, sizeof err) != DB_OK) {
        fprintf(stderr, "zhengqi sms: %s\n", err);
        db_close(c);
        return 1;
    }
    db_stmt *s = db_prepare(c, phone ? SQL_PHONE : SQL_ALL);
    if (!s) {
        fprintf(stderr, "zhengqi sms: %s\n", db_errmsg(c));
        db_close(c);
        return 1;
    }
    db_bind_int64(s, 1, limit);
    if (phone) db_bind_text(s, 2, phone, -1);
    int rc, n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        char when[20];
        zq_time_local(db_col_int64(s, 0), when);
        printf("%s  %s  %-6s  %-4s  %s\n", when, db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3),
               db_col_text(s, 4));
        if (!db_col_is_null(s, 5)) printf("    error: %s\n", db_col_text(s, 5));
        n++;
    }
    db_stmt_done(s);
    if (rc != DB_DONE) {
        fprintf(stderr, "zhengqi sms: %s\n", db_errmsg(c));
        db_close(c);
        return 1;
    }
    if (!n) printf("(no messages%s%s)\n", phone ? " to " : "", phone ? phone : "");
    db_close(c);
    return 0;
}
