/*
 * config.c — the defaults of the server's knobs (see config.h).
 */
#include "http/config.h"
#include <string.h>

void zq_config_defaults(zq_config *c)
{
    memset(c, 0, sizeof *c);
    c->listen = "127.0.0.1:8080";
    c->db_url = "sqlite:var/zhengqi.db";
    c->idle_timeout = 30;
    c->request_timeout = 60;
    c->max_conns = 2048;
    c->per_ip_conns = 256;
    c->body_max = 1u << 20;
    c->query_max = 4096;
    c->access_log = true;
    c->db_wait_ms = 2000;
    c->shutdown_timeout = 10;
    c->upload_quota = 2ull << 30;
}
