/*
 * cmd_common.c — helpers shared by the subcommands.
 */
#include "cli/cli.h"
#include <stdio.h>
#include <stdlib.h>

int cli_usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "zhengqi %s: %s\nTry 'zhengqi %s --help'.\n", cmd, msg, cmd);
    return 2;
}

const char *cli_default_db(void)
{
    const char *v = getenv("ZQ_DB");
    return v && *v ? v : "sqlite:var/zhengqi.db";
}
