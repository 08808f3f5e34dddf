/*
 * cmd_serve.c — `zhengqi serve`: runs the HTTP service until SIGTERM/SIGINT,
 * then stops accepting, lets in-flight requests finish and closes the
 * database cleanly.
 */
#include "cli/cli.h"
#include "app/app.h"
#include "core/text.h"
#include "http/server.h"
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: zhengqi serve [--listen ADDR:PORT] [--db URL] [--web DIR] [--dev]\n"
    "                     [--threads N] [--idle-timeout S] [--request-timeout S]\n"
    "                     [--max-conns N] [--per-ip-conns N] [--no-access-log]\n\n"
    "  --listen ADDR:PORT   where to listen (env ZQ_LISTEN; default 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
    "  --db URL             sqlite:PATH or postgres://user@host/db (env ZQ_DB; default sqlite:var/zhengqi.db)\n"
    "  --web DIR            built web UI to serve (env ZQ_WEB; e.g. web/dist)\n"
    "  --dev                development mode: SMS codes go to the log, staff login skips the SMS factor\n"
    "  --threads N          HTTP worker threads (default: number of cores)\n"
    "  --idle-timeout S     close connections silent for S seconds (default 30)\n"
    "  --request-timeout S  absolute limit for one request including its body (default 60)\n"
    "  --max-conns N        total connections (default 2048)\n"
    "  --per-ip-conns N     connections from one address (default 256)\n"
    "  --no-access-log      do not write one line per request to stderr\n";

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    int64_t v;
    if (!zq_parse_int64(s, min, max, &v)) return -1;
    *out = (unsigned)v;
    return 0;
}

int cli_serve(int argc, char **argv)
{
    zq_config cfg;
    zq_config_defaults(&cfg);
    const char *env;
    if ((env = getenv("ZQ_LISTEN")) && *env) cfg.listen = env;
    cfg.db_url = cli_default_db();
    if ((env = getenv("ZQ_WEB")) && *env) cfg.web_dir = env;

    static const struct option opts[] = {
        {"listen", required_argument, 0, 'l'}, {"db", required_argument, 0, 'd'},
        {"web", required_argument, 0, 'w'}, {"dev", no_argument, 0, 'D'},
        {"threads", required_argument, 0, 't'}, {"idle-timeout", required_argument, 0, 'i'},
        {"request-timeout", required_argument, 0, 'r'}, {"max-conns", required_argument, 0, 'm'},
        {"per-ip-conns", required_argument, 0, 'p'}, {"no-access-log", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    unsigned u;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'l': cfg.listen = optarg; break;
        case 'd': cfg.db_url = optarg; break;
        case 'w': cfg.web_dir = optarg; break;
        case 'D': cfg.dev = true; break;
        case 'q': cfg.access_log = false; break;
        case 't': if (parse_uint(optarg, 1, 256, &u)) return cli_usage_error("serve", "--threads wants 1..256"); cfg.threads = (int)u; break;
        case 'i': if (parse_uint(optarg, 1, 3600, &u)) return cli_usage_error("serve", "--idle-timeout wants 1..3600 seconds"); cfg.idle_timeout = u; break;
        case 'r': if (parse_uint(optarg, 1, 3600, &u)) return cli_usage_error("serve", "--request-timeout wants 1..3600 seconds"); cfg.request_timeout = u; break;
        case 'm': if (parse_uint(optarg, 1, 1000000, &u)) return cli_usage_error("serve", "--max-conns wants 1..1000000"); cfg.max_conns = u; break;
        case 'p': if (parse_uint(optarg, 1, 1000000, &u)) return cli_usage_error("serve", "--per-ip-conns wants 1..1000000"); cfg.per_ip_conns = u; break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("serve", "an option is missing its value");
        default: return cli_usage_error("serve", "unknown option");
        }
    }
    if (optind < argc) return cli_usage_error("serve", "unexpected argument");

    /* Signals are taken by sigwait below, so worker threads never see them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[512] = "";
    zq_app *app = zq_app_new(&cfg, err, sizeof err);
    if (!app) {
        fprintf(stderr, "zhengqi serve: %s\n", err);
        return 1;
    }
    zq_server *srv = zq_server_start(app, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "zhengqi serve: %s\n", err);
        zq_app_free(app);
        return 1;
    }
    fprintf(stderr, "zhengqi %s listening on %s (port %u), db %s%s\n", ZQ_VERSION, cfg.listen,
            zq_server_port(srv), cfg.db_url[0] == 's' ? cfg.db_url : "postgres", cfg.dev ? ", dev mode" : "");
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "zhengqi: signal %d, finishing in-flight requests\n", sig);
    zq_server_stop(srv, 10000);
    zq_app_free(app);
    fprintf(stderr, "zhengqi: stopped\n");
    return 0;
}
