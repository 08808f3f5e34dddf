/*
 * cmd_staff.c — `zhengqi staff create` and `zhengqi staff reset-password`:
 * bureau staff accounts from the command line (the first `super` account
 * of a new installation, and recovery when no super can log in). The
 * one-time password is printed alone on the last line; it must be changed
 * at the first login.
 */
#include "cli/cli.h"
#include "audit/audit.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/staff.h"
#include "db/db.h"
#include "sms/sms.h"
#include "core/contact.h"
#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char HELP[] =
    "usage: zhengqi staff create --db URL --username U --phone P --role super|city|district\n"
    "                            [--region CODE] [--name NAME]\n"
    "       zhengqi staff reset-password --db URL --username U\n\n"
    "  create          adds a bureau staff account; district staff need --region (a district-level\n"
    "                  region code, e.g. 350102). Prints a one-time password alone on the last line;\n"
    "                  it must be changed at the first login.\n"
    "  reset-password  gives an account a new one-time password, ends its sessions, lifts its lock.\n";

static const char SQL_RESET[] =
    "UPDATE staff SET password_hash = $1, must_change_password = 1, password_changed_at = $2, updated_at = $2"
    " WHERE username = $3 RETURNING id, phone, region";
static const char SQL_LOCK_CLEAR[] = "DELETE FROM login_lock WHERE subject = $1";

static db_conn *open_db(const char *url, char *err, size_t errlen)
{
    db_conn *c = db_open(url, err, errlen);
    if (!c) return NULL;
    if (db_migrate(c, NULL, err, errlen) != DB_OK) {
        db_close(c);
        return NULL;
    }
    return c;
}

static int create(const char *url, staff_input *in)
{
    char err[512] = "", otp[STAFF_OTP_LEN + 1], hash[AUTH_PW_HASH_MAX], detail[400];
    const char *why;
    int64_t id = 0, now = (int64_t)time(NULL);
    db_conn *c = NULL;
    if (sodium_init() < 0) {
        fprintf(stderr, "zhengqi staff: libsodium failed to initialise\n");
        return 1;
    }
    if ((why = staff_check_username(in->username)) || (why = staff_check_role(in->role)))
        return cli_usage_error("staff", why);
    if (!zq_mobile_valid(in->phone)) return cli_usage_error("staff", "--phone wants a mainland mobile number (1[3-9] + 9 digits)");
    if (in->name && (strlen(in->name) == 0 || strlen(in->name) > 90)) return cli_usage_error("staff", "--name wants 1..30 characters");
    if (!(c = open_db(url, err, sizeof err))) goto fail;
    bool dberr = false;
    if ((why = staff_check_region(c, in->role, in->region, &dberr))) {
        if (dberr) snprintf(err, sizeof err, "%s", db_errmsg(c));
        else snprintf(err, sizeof err, "%s", why);
        goto fail;
    }
    staff_one_time_password(in->phone, otp);
    if (auth_pw_hash(otp, auth_pw_cost_default(), hash) != 0) {
        snprintf(err, sizeof err, "out of memory hashing the password");
        goto fail;
    }
    if (db_begin(c, true) != DB_OK) goto dbfail;
    int rc = staff_insert(c, in, hash, now, &id);
    if (rc == DB_ECONSTRAINT) {
        db_rollback(c);
        snprintf(err, sizeof err, "username '%s' is already taken", in->username);
        goto fail;
    }
    if (rc != DB_OK) goto dbfail;
    db_stmt *s = db_prepare(c, SQL_LOCK_CLEAR);
    if (!s) goto dbfail;
    char subject[64];
    snprintf(subject, sizeof subject, "staff:%s", in->username);
    db_bind_text(s, 1, subject, -1);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE) goto dbfail;
    zq_arena *a = zq_arena_new(4096);
    snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"role\":\"%s\",\"region\":%s%s%s,\"phone\":\"%s\",\"via\":\"cli\"}",
             in->username, in->role, in->region ? "\"" : "", in->region ? in->region : "null", in->region ? "\"" : "",
             a ? audit_mask_phone(a, in->phone) : "***");
    char idtxt[24];
    snprintf(idtxt, sizeof idtxt, "%" PRId64, id);
    audit_actor who = {"system", 0, "zhengqi staff create", NULL};
    audit_entry e = {.action = "staff.create", .object_type = "staff", .object_id = idtxt, .region = in->region,
                     .detail = detail};
    rc = audit_record_as(c, &who, now, &e);
    zq_arena_free(a);
    if (rc != 0 || db_commit(c) != DB_OK) goto dbfail;
    db_close(c);
    printf("staff account created: id %" PRId64 ", username %s, role %s%s%s\n", id, in->username, in->role,
           in->region ? ", region " : "", in->region ? in->region : "");
    printf("one-time password (must be changed at the first login):\n%s\n", otp);
    sodium_memzero(otp, sizeof otp);
    return 0;
dbfail:
    snprintf(err, sizeof err, "database error: %s", db_errmsg(c));
    if (db_in_tx(c)) db_rollback(c);
fail:
    fprintf(stderr, "zhengqi staff: %s\n", err);
    if (c) db_close(c);
    return 1;
}

static int reset_password(const char *url, const char *username)
{
    char err[512] = "", otp[STAFF_OTP_LEN + 1], hash[AUTH_PW_HASH_MAX], phone[32] = "", idtxt[24];
    int64_t now = (int64_t)time(NULL), id = 0;
    char region[16] = "";
    bool has_region = false;
    db_conn *c = NULL;
    if (sodium_init() < 0) return 1;
    if (!(c = open_db(url, err, sizeof err))) goto fail;
    /* the phone decides the password policy; the hash comes after */
    staff_one_time_password(NULL, otp);
    if (auth_pw_hash(otp, auth_pw_cost_default(), hash) != 0) {
        snprintf(err, sizeof err, "out of memory hashing the password");
        goto fail;
    }
    if (db_begin(c, true) != DB_OK) goto dbfail;
    db_stmt *s = db_prepare(c, SQL_RESET);
    if (!s) goto dbfail;
    db_bind_text(s, 1, hash, -1);
    db_bind_int64(s, 2, now);
    db_bind_text(s, 3, username, -1);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        id = db_col_int64(s, 0);
        snprintf(phone, sizeof phone, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        has_region = !db_col_is_null(s, 2);
        if (has_region) snprintf(region, sizeof region, "%s", db_col_text(s, 2));
    }
    db_stmt_done(s);
    if (rc == DB_DONE) {
        db_rollback(c);
        snprintf(err, sizeof err, "no staff account '%s'", username);
        goto fail;
    }
    if (rc != DB_ROW) goto dbfail;
    char subject[64];
    snprintf(subject, sizeof subject, "staff:%s", username);
    if (!(s = db_prepare(c, SQL_LOCK_CLEAR))) goto dbfail;
    db_bind_text(s, 1, subject, -1);
    rc = db_step(s);
    db_stmt_done(s);
    if (rc != DB_DONE || auth_session_revoke_all(c, 0, id, 0, now) != 0) goto dbfail;
    snprintf(idtxt, sizeof idtxt, "%" PRId64, id);
    char detail[128];
    snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"via\":\"cli\"}", username);
    audit_actor who = {"system", 0, "zhengqi staff reset-password", NULL};
    audit_entry e = {.action = "staff.reset_password", .object_type = "staff", .object_id = idtxt,
                     .region = has_region ? region : NULL, .detail = detail};
    if (audit_record_as(c, &who, now, &e) != 0 || db_commit(c) != DB_OK) goto dbfail;
    db_close(c);
    printf("password reset for %s (id %" PRId64 "); its sessions are ended\n", username, id);
    printf("one-time password (must be changed at the first login):\n%s\n", otp);
    sodium_memzero(otp, sizeof otp);
    return 0;
dbfail:
    snprintf(err, sizeof err, "database error: %s", db_errmsg(c));
    if (db_in_tx(c)) db_rollback(c);
fail:
    fprintf(stderr, "zhengqi staff: %s\n", err);
    if (c) db_close(c);
    return 1;
}

int cli_staff(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"username", required_argument, 0, 'u'},
        {"phone", required_argument, 0, 'p'}, {"role", required_argument, 0, 'r'},
        {"region", required_argument, 0, 'g'}, {"name", required_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *url = cli_default_db();
    char username[40] = "";
    staff_input in = {0};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    bool is_create = strcmp(sub, "create") == 0, is_reset = strcmp(sub, "reset-password") == 0;
    if (!is_create && !is_reset) return cli_usage_error("staff", "unknown subcommand (create, reset-password)");
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'u':
            if (strlen(optarg) >= sizeof username) return cli_usage_error("staff", "--username is too long");
            snprintf(username, sizeof username, "%s", optarg);
            staff_lower(username);
            break;
        case 'p': in.phone = optarg; break;
        case 'r': in.role = optarg; break;
        case 'g': in.region = optarg; break;
        case 'n': in.name = optarg; break;
        case 'h': fputs(HELP, stdout); return 0;
        case ':': return cli_usage_error("staff", "an option is missing its value");
        default: return cli_usage_error("staff", "unknown option");
        }
    }
    if (optind < argc - 1) return cli_usage_error("staff", "unexpected argument");
    if (!db_url_engine(url)) return cli_usage_error("staff", "--db wants sqlite:PATH or postgres://…");
    if (!username[0]) return cli_usage_error("staff", "--username is required");
    if (is_reset) {
        if (in.phone || in.role || in.region || in.name)
            return cli_usage_error("staff", "reset-password takes only --db and --username");
        return reset_password(url, username);
    }
    if (!in.phone || !in.role) return cli_usage_error("staff", "create needs --username, --phone and --role");
    in.username = username;
    return create(url, &in);
}
