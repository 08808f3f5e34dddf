/*
 * cmd_deliver.c — `zhengqi deliver`: sends what is due in the notification
 * outbox once, without the thread of `serve` (cron, draining after an
 * outage, the bench). Same claims as the worker, so it is safe beside
 * running instances.
 */
#include "cli/cli.h"
#include "app/app.h"
#include "db/db.h"
#include "jobs/deliver.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char HELP[] =
    "usage: zhengqi deliver [--db URL] [--max N]\n"
    "  sends up to N (default 1000000) due SMS and WeChat deliveries of the outbox and prints how many\n"
    "  were sent and how fast. SMS go through the log provider (stderr and `zhengqi sms outbox`);\n"
    "  WeChat through ZQ_WECHAT_API, ZQ_WECHAT_APPID and ZQ_WECHAT_SECRET (see docs/notify.md).\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cli_deliver(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"max", required_argument, 0, 'm'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *url = cli_default_db();
    long max = 1000000;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'm':
            max = strtol(optarg, NULL, 10);
            if (max < 1 || max > 100000000) return cli_usage_error("deliver", "--max wants 1..100000000");
            break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("deliver", "an option is missing its value");
        default: return cli_usage_error("deliver", "unknown option");
        }
    }
    if (optind < argc) return cli_usage_error("deliver", "unexpected argument");
    if (!db_url_engine(url)) return cli_usage_error("deliver", "--db wants sqlite:PATH or postgres://…");
    char err[512] = "";
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) {
        fprintf(stderr, "zhengqi deliver: %s\n", err);
        return 1;
    }
    zq_config cfg;
    zq_config_defaults(&cfg);
    cfg.db_url = url;
    const char *env;
    if ((env = getenv("ZQ_WECHAT_API")) && *env) cfg.wechat_api = env;
    if ((env = getenv("ZQ_WECHAT_APPID")) && *env) cfg.wechat_appid = env;
    if ((env = getenv("ZQ_WECHAT_SECRET")) && *env) cfg.wechat_secret = env;
    int sent = 0;
    double t0 = now_s();
    int rc = jobs_deliver_batch(c, &cfg, (int64_t)time(NULL), (int)max, &sent);
    double dt = now_s() - t0;
    if (rc != DB_OK) fprintf(stderr, "zhengqi deliver: %s\n", db_errmsg(c));
    db_close(c);
    if (rc != DB_OK) return 1;
    printf("sent %d in %.3f s (%.0f/s)\n", sent, dt, dt > 0 ? sent / dt : 0.0);
    return 0;
}
