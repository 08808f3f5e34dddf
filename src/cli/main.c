/*
 * main.c — zhengqi's entry point: picks the subcommand.
 */
#include "cli/cli.h"
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"serve", cli_serve, "启动 Web 服务 (start the HTTP service)"},
    {"migrate", cli_migrate, "升级数据库结构 (apply schema migrations)"},
    {"seed-demo", cli_seed_demo, "生成演示数据 (generate demo data)"},
    {"backup", cli_backup, "备份 SQLite 数据库 (online backup)"},
    {"staff", cli_staff, "管理商务局账号 (create / reset bureau staff accounts)"},
    {"sms", cli_sms, "查看短信发件箱 (print the SMS outbox)"},
    {"audit", cli_audit, "校验审计日志 (verify the audit log's hash chain)"},
    {"routes", cli_routes, "列出全部接口及其权限、审计动作 (list the route table)"},
    {"prune", cli_prune, "清理过期数据 (delete expired SMS codes, counters, locks, sessions)"},
    {"deliver", cli_deliver, "发送待发消息 (send due SMS/WeChat deliveries of the outbox once)"},
};

static void usage(FILE *f)
{
    fprintf(f, "zhengqi — 政企互动平台 (government–enterprise platform)\n\n"
               "usage: zhengqi <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'zhengqi <command> --help' explains each command.\n"
               "environment: ZQ_LISTEN, ZQ_DB, ZQ_WEB (defaults for serve's flags)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("zhengqi 0.1.0");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "zhengqi: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
