/*
 * cli.h — subcommands of the zhengqi binary. Each returns the process exit
 * code: 0 success, 1 failure, 2 bad usage.
 */
#ifndef ZQ_CLI_H
#define ZQ_CLI_H

int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_seed_demo(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_staff(int argc, char **argv);
int cli_sms(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_prune(int argc, char **argv);
int cli_routes(int argc, char **argv);
int cli_deliver(int argc, char **argv);

/* Shared: prints "zhengqi CMD: MSG" plus a hint to --help, returns 2. */
int cli_usage_error(const char *cmd, const char *msg);
/* Default database URL: $ZQ_DB or sqlite:var/zhengqi.db. */
const char *cli_default_db(void);

#endif
