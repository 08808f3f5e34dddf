/*
 * cmd_serve.c — `zhengqi serve`: runs the HTTP service until SIGTERM/SIGINT,
 * then stops accepting, lets in-flight requests finish and closes the
 * database cleanly.
 */
#include "cli/cli.h"
#include "app/app.h"
#include "core/text.h"
#include "app/server.h"
#include "http/client.h"
#include "jobs/deliver.h"
#include "jobs/prune.h"
#include "sms/provider.h"
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: zhengqi serve [--listen ADDR:PORT] [--db URL] [--web DIR] [--dev]\n"
    "                     [--threads N] [--idle-timeout S] [--request-timeout S]\n"
    "                     [--max-conns N] [--per-ip-conns N] [--no-access-log]\n"
    "                     [--db-wait MS] [--shutdown-timeout S] [--upload-quota-mb N]\n"
    "                     [--sms-provider log|http] [--sms-url URL] [--sms-secret-file FILE]\n"
    "                     [--trusted-proxy CIDR]... [--wechat-api URL --wechat-appid ID\n"
    "                     --wechat-secret-file FILE]\n\n"
    "  --listen ADDR:PORT   where to listen (env ZQ_LISTEN; default 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
    "  --db URL             sqlite:PATH or postgres://user@host/db (env ZQ_DB; default sqlite:var/zhengqi.db)\n"
    "  --web DIR            built web UI to serve (env ZQ_WEB; e.g. web/dist)\n"
    "  --dev                development mode: SMS codes go to the log, staff login skips the SMS factor\n"
    "  --threads N          HTTP worker threads (default: number of cores; twice that on PostgreSQL)\n"
    "  --idle-timeout S     close connections silent for S seconds (default 30)\n"
    "  --request-timeout S  absolute limit for one request including its body (default 60)\n"
    "  --max-conns N        total connections (default 2048)\n"
    "  --per-ip-conns N     connections from one address (default 256)\n"
    "  --no-access-log      do not write one line per request to stderr\n"
    "  --db-wait MS         longest wait for a database connection before answering 503 (default 2000)\n"
    "  --shutdown-timeout S on SIGTERM, how long in-flight requests may finish (default 10)\n"
    "  --upload-quota-mb N  attachment space of one enterprise in MiB (default 2048)\n"
    "  --sms-provider P     log (default; codes go to stderr and the outbox, see `zhengqi sms outbox`)\n"
    "                       or http (signed JSON POST to --sms-url); --dev always uses log\n"
    "  --sms-url URL        gateway for the http provider: http://host[:port]/path (plain HTTP to a\n"
    "                       relay on the local network; see docs/decisions-sms.md)\n"
    "  --sms-secret-file F  file holding the shared HMAC-SHA256 secret (at least 16 bytes)\n"
    "  --trusted-proxy CIDR a reverse proxy in front (repeatable; env ZQ_TRUSTED_PROXY, a comma- or\n"
    "                       space-separated list; e.g. 127.0.0.1 or 10.0.0.0/8 or fd00::/8). Only for\n"
    "                       requests from these peers is the client address taken from X-Real-IP or\n"
    "                       the right-most X-Forwarded-For entry that is not itself a trusted proxy;\n"
    "                       default none: the socket address, forwarded headers ignored\n"
    "  --wechat-api URL     WeChat API base through the egress relay, http://host[:port] (env ZQ_WECHAT_API);\n"
    "                       unset: no WeChat login, binding or subscription messages\n"
    "  --wechat-appid ID    the mini-program's app id (env ZQ_WECHAT_APPID)\n"
    "  --wechat-secret-file F  file holding its app secret (env ZQ_WECHAT_SECRET holds the secret itself)\n";

/* Reads the shared secret (trailing whitespace dropped) into a malloc'd
 * string; NULL with a reason in err. */
static char *read_secret(const char *path, char *err, size_t errlen)
{
    char buf[4097];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    if (more) {
        snprintf(err, errlen, "%s: secret longer than 4096 bytes", path);
        return NULL;
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t')) n--;
    buf[n] = '\0';
    if (n < 16 || strlen(buf) != n) {
        snprintf(err, errlen, "%s: the secret must be at least 16 bytes of text", path);
        return NULL;
    }
    char *s = strdup(buf);
    sodium_memzero(buf, sizeof buf);
    if (!s) snprintf(err, errlen, "out of memory");
    return s;
}

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
    char perr[256];
    if ((env = getenv("ZQ_TRUSTED_PROXY")) && zq_proxy_add_list(&cfg.trusted_proxies, env, perr, sizeof perr) != 0) {
        fprintf(stderr, "zhengqi serve: ZQ_TRUSTED_PROXY %s\n", perr);
        return 2;
    }

    static const struct option opts[] = {
        {"listen", required_argument, 0, 'l'}, {"db", required_argument, 0, 'd'},
        {"web", required_argument, 0, 'w'}, {"dev", no_argument, 0, 'D'},
        {"threads", required_argument, 0, 't'}, {"idle-timeout", required_argument, 0, 'i'},
        {"request-timeout", required_argument, 0, 'r'}, {"max-conns", required_argument, 0, 'm'},
        {"per-ip-conns", required_argument, 0, 'p'}, {"no-access-log", no_argument, 0, 'q'},
        {"sms-provider", required_argument, 0, 'S'}, {"sms-url", required_argument, 0, 'U'},
        {"sms-secret-file", required_argument, 0, 'K'}, {"trusted-proxy", required_argument, 0, 'P'},
        {"upload-quota-mb", required_argument, 0, 'Q'}, {"db-wait", required_argument, 0, 'W'}, {"shutdown-timeout", required_argument, 0, 'T'},
        {"wechat-api", required_argument, 0, 'X'}, {"wechat-appid", required_argument, 0, 'A'},
        {"wechat-secret-file", required_argument, 0, 'Y'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    unsigned u;
    int ch;
    const char *secret_file = NULL, *wx_secret_file = NULL;
    if ((env = getenv("ZQ_WECHAT_API")) && *env) cfg.wechat_api = env;
    if ((env = getenv("ZQ_WECHAT_APPID")) && *env) cfg.wechat_appid = env;
    if ((env = getenv("ZQ_WECHAT_SECRET")) && *env) cfg.wechat_secret = env;
    bool proxy_flag = false;
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
        case 'Q': if (parse_uint(optarg, 1, 1048576, &u)) return cli_usage_error("serve", "--upload-quota-mb wants 1..1048576"); cfg.upload_quota = (uint64_t)u << 20; break;
        case 'W': if (parse_uint(optarg, 10, 60000, &u)) return cli_usage_error("serve", "--db-wait wants 10..60000 milliseconds"); cfg.db_wait_ms = u; break;
        case 'T': if (parse_uint(optarg, 1, 600, &u)) return cli_usage_error("serve", "--shutdown-timeout wants 1..600 seconds"); cfg.shutdown_timeout = u; break;
        case 'S':
            if (strcmp(optarg, "log") != 0 && strcmp(optarg, "http") != 0)
                return cli_usage_error("serve", "--sms-provider wants log or http");
            cfg.sms_provider = optarg;
            break;
        case 'U': cfg.sms_url = optarg; break;
        case 'K': secret_file = optarg; break;
        case 'X': cfg.wechat_api = optarg; break;
        case 'A': cfg.wechat_appid = optarg; break;
        case 'Y': wx_secret_file = optarg; break;
        case 'P':
            /* the flags replace the environment's list, as every flag does */
            if (!proxy_flag) cfg.trusted_proxies.n = 0;
            proxy_flag = true;
            if (zq_proxy_add_list(&cfg.trusted_proxies, optarg, perr, sizeof perr) != 0) {
                fprintf(stderr, "zhengqi serve: --trusted-proxy %s\n", perr);
                return 2;
            }
            break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("serve", "an option is missing its value");
        default: return cli_usage_error("serve", "unknown option");
        }
    }
    if (optind < argc) return cli_usage_error("serve", "unexpected argument");
    bool http_sms = cfg.sms_provider && strcmp(cfg.sms_provider, "http") == 0;
    if (cfg.dev && http_sms) return cli_usage_error("serve", "--dev uses the log SMS provider; drop --sms-provider http");
    if (!http_sms && (cfg.sms_url || secret_file))
        return cli_usage_error("serve", "--sms-url and --sms-secret-file belong to --sms-provider http");
    char *secret = NULL;
    if (http_sms) {
        char serr[512];
        if (sms_http_url_check(cfg.sms_url, serr, sizeof serr) != 0) return cli_usage_error("serve", serr);
        if (!secret_file) return cli_usage_error("serve", "--sms-provider http needs --sms-secret-file");
        if (!(secret = read_secret(secret_file, serr, sizeof serr))) {
            fprintf(stderr, "zhengqi serve: %s\n", serr);
            return 1;
        }
        cfg.sms_secret = secret;
    } else if (!cfg.dev) {
        fprintf(stderr, "zhengqi serve: warning: SMS provider 'log' — codes are written to this log and the outbox, "
                        "not sent (use --sms-provider http in production)\n");
    }

    char *wx_secret = NULL;
    if (cfg.wechat_api) {
        char werr[512];
        if (zq_httpc_url_check(cfg.wechat_api, "--wechat-api", werr, sizeof werr) != 0) {
            free(secret);
            return cli_usage_error("serve", werr);
        }
        if (wx_secret_file && !(wx_secret = read_secret(wx_secret_file, werr, sizeof werr))) {
            fprintf(stderr, "zhengqi serve: %s\n", werr);
            free(secret);
            return 1;
        }
        if (wx_secret) cfg.wechat_secret = wx_secret;
        if (!cfg.wechat_appid || !cfg.wechat_secret) {
            free(secret);
            free(wx_secret);
            return cli_usage_error("serve", "--wechat-api needs --wechat-appid and --wechat-secret-file (or ZQ_WECHAT_*)");
        }
    }

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
        free(secret);
        free(wx_secret);
        return 1;
    }
    zq_server *srv = zq_server_start(app, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "zhengqi serve: %s\n", err);
        zq_app_free(app);
        free(secret);
        free(wx_secret);
        return 1;
    }
    fprintf(stderr, "zhengqi %s listening on %s (port %u), db %s%s\n", ZQ_VERSION, cfg.listen,
            zq_server_port(srv), cfg.db_url[0] == 's' ? cfg.db_url : "postgres", cfg.dev ? ", dev mode" : "");
    /* a failure to start housekeeping is logged, not fatal: the service is
     * correct without it, its tables only grow */
    jobs_runner *jobs = jobs_runner_start(app->pool, 600);
    if (!jobs) fprintf(stderr, "zhengqi serve: warning: housekeeping thread not started\n");
    /* deliveries wait in the outbox while the worker is missing: log it loudly */
    app->worker = jobs_worker_start(app, cfg.deliver_tick_s);
    if (!app->worker) fprintf(stderr, "zhengqi serve: warning: delivery worker not started\n");
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "zhengqi: signal %d, finishing in-flight requests\n", sig);
    jobs_runner_stop(jobs);
    jobs_worker_stop(app->worker);
    app->worker = NULL;
    zq_server_stop(srv, cfg.shutdown_timeout * 1000u);
    zq_app_free(app);
    if (secret) {
        sodium_memzero(secret, strlen(secret));
        free(secret);
    }
    if (wx_secret) {
        sodium_memzero(wx_secret, strlen(wx_secret));
        free(wx_secret);
    }
    fprintf(stderr, "zhengqi: stopped\n");
    return 0;
}
