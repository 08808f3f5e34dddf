/*
 * cmd_demo.c — `zhengqi seed-demo`: generates the demo city (see demo.h).
 */
#include "cli/cli.h"
#include "app/app.h"
#include "auth/password.h"
#include "core/text.h"
#include "db/db.h"
#include "demo/demo.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char HELP[] =
    "usage: zhengqi seed-demo [--db URL] [--enterprises N] [--seed S] [--logins-file FILE]\n"
    "       zhengqi seed-demo [--db URL] --bulk N\n"
    "  generates demo data once: bureau staff (admin, city, one per district) and N enterprises\n"
    "  (default 400) with their legal representatives; does nothing if demo data exists.\n"
    "  Every demo account's password is Demo@2026. The logins are printed and written to\n"
    "  FILE (default var/demo-logins.txt).\n"
    "  --bulk N adds N (1..1000000) generated enterprises without accounts, for load tests of the\n"
    "  directory and its export (make bench); it may be run again to add more.\n";

static int bulk_seed(db_conn *c, int64_t n)
{
    char err[512] = "";
    int64_t inserted = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = demo_bulk(c, n, (int64_t)time(NULL), &inserted, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    db_close(c);
    if (rc != 0) {
        fprintf(stderr, "zhengqi seed-demo: %s\n", err);
        return 1;
    }
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("bulk: %lld enterprises added in %.1f s\n", (long long)inserted, s);
    return 0;
}

int cli_seed_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"enterprises", required_argument, 0, 'n'},
        {"seed", required_argument, 0, 's'}, {"logins-file", required_argument, 0, 'f'},
        {"bulk", required_argument, 0, 'b'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *url = cli_default_db(), *file = "var/demo-logins.txt";
    int64_t n = 400, seed = 20261128, bulk = 0;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'f': file = optarg; break;
        case 'b': if (!zq_parse_int64(optarg, 1, 1000000, &bulk)) return cli_usage_error("seed-demo", "--bulk wants 1..1000000"); break;
        case 'n': if (!zq_parse_int64(optarg, 0, 1000000, &n)) return cli_usage_error("seed-demo", "--enterprises wants 0..1000000"); break;
        case 's': if (!zq_parse_int64(optarg, 0, INT64_MAX, &seed)) return cli_usage_error("seed-demo", "--seed wants a number"); break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("seed-demo", "an option is missing its value");
        default: return cli_usage_error("seed-demo", "unknown option");
        }
    }
    if (optind < argc) return cli_usage_error("seed-demo", "unexpected argument");
    if (!db_url_engine(url)) return cli_usage_error("seed-demo", "--db wants sqlite:PATH or postgres://…");

    char err[512] = "";
    int applied = 0, skipped = 0;
    db_conn *c = db_open(url, err, sizeof err);
    if (!c) goto fail;
    if (db_migrate(c, &applied, err, sizeof err) != DB_OK) goto fail;
    /* stamped current before seeding: the firms written next get their
     * scores as they are written, and a later start does not recompute a
     * bulk city of load-test firms */
    if (zq_app_upgrade_data(c, err, sizeof err) != DB_OK) goto fail;
    if (bulk) return bulk_seed(c, bulk);
    auth_pw_cost cost = auth_pw_cost_default();
    demo_opts o = {(int)n, (uint64_t)seed, "Demo@2026", cost.ops, cost.mem};
    char *text = NULL;
    size_t textlen = 0;
    FILE *mem = open_memstream(&text, &textlen);
    if (!mem) {
        snprintf(err, sizeof err, "out of memory");
        goto fail;
    }
    int rc = demo_seed(c, &o, mem, &skipped, err, sizeof err);
    fclose(mem);
    db_close(c);
    c = NULL;
    if (rc != 0) {
        free(text);
        goto fail;
    }
    if (skipped) {
        free(text);
        printf("demo data already present; nothing added\n");
        return 0;
    }
    printf("demo data added: %d enterprises, 15 staff\n%s", (int)n, text);
    /* the logins file lets `make run` print them again on later starts */
    char *slash = strrchr(file, '/');
    if (slash) {
        char dir[512];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - file), file);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) fprintf(stderr, "zhengqi seed-demo: cannot create %s\n", dir);
    }
    FILE *f = fopen(file, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    } else {
        fprintf(stderr, "zhengqi seed-demo: cannot write %s: %s\n", file, strerror(errno));
    }
    free(text);
    return 0;
fail:
    fprintf(stderr, "zhengqi seed-demo: %s\n", err);
    if (c) db_close(c);
    return 1;
}
