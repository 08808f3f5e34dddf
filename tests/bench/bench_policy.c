/*
 * bench_policy.c — the policy module's measurements for `make bench`
 * (scripts/bench.d/40-policies.sh), outside the product binary:
 *   bench_policy publish DBURL FIRMS
 *       FIRMS generated approved firms, each with a legal rep account;
 *       one policy aimed at all of them published through the real path
 *       (policy_publish_now: inbox + messages + outbox, committed), then a
 *       plain batched INSERT of the same number of rows of the same shape
 *       into twin tables (prepared statement, 10,000 rows per commit), both
 *       timed here. Prints key=value lines.
 *   bench_policy content DBURL N
 *       N published policies with realistic bodies (one in ten mentions
 *       补贴, one in twenty 跨境电商), for the list and search latency runs.
 */
#include "db/db.h"
#include "demo/demo.h"
#include "policy/policy.h"
#include "richtext/richtext.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 10000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(db_conn *c, const char *what)
{
    fprintf(stderr, "bench_policy: %s: %s\n", what, c ? db_errmsg(c) : "");
    exit(1);
}

static void exec_or_die(db_conn *c, const char *sql)
{
    if (db_exec(c, sql) != DB_OK) die(c, sql);
}

static int64_t count(db_conn *c, const char *sql)
{
    int64_t n = 0;
    if (db_query_int64(c, sql, &n, 0, NULL) != DB_OK) die(c, sql);
    return n;
}

static const char TWINS[] =
    "CREATE TABLE bench_inbox (enterprise_id BIGINT NOT NULL, item_id BIGINT NOT NULL, delivered_at BIGINT NOT NULL,"
    " read_at BIGINT NOT NULL DEFAULT 0, read_by BIGINT, PRIMARY KEY (enterprise_id, item_id));"
    "CREATE INDEX bench_inbox_item ON bench_inbox(item_id, enterprise_id);"
    "CREATE TABLE bench_message (id INTEGER PRIMARY KEY, account_kind VARCHAR(8) NOT NULL, account_id BIGINT NOT NULL,"
    " enterprise_id BIGINT NOT NULL, topic VARCHAR(16) NOT NULL, template_code VARCHAR(64) NOT NULL,"
    " ref_type VARCHAR(32) NOT NULL, ref_id BIGINT NOT NULL, title VARCHAR(200) NOT NULL, body VARCHAR(1000) NOT NULL,"
    " link VARCHAR(300) NOT NULL, created_at BIGINT NOT NULL, read_at BIGINT NOT NULL DEFAULT 0,"
    " UNIQUE (ref_type, ref_id, template_code, account_kind, account_id));"
    "CREATE INDEX bench_message_account ON bench_message(account_kind, account_id, id);"
    "CREATE INDEX bench_message_unread ON bench_message(account_kind, account_id, read_at);"
    "CREATE TABLE bench_outbox (id INTEGER PRIMARY KEY, channel VARCHAR(8) NOT NULL, account_id BIGINT NOT NULL,"
    " body VARCHAR(2000) NOT NULL, status VARCHAR(8) NOT NULL, next_at BIGINT NOT NULL, created_at BIGINT NOT NULL,"
    " UNIQUE (account_id, channel));"
    "CREATE INDEX bench_outbox_due ON bench_outbox(status, next_at)";

static void publish_bench(db_conn *c, int64_t firms)
{
    char err[256];
    int64_t now = (int64_t)time(NULL), inserted = 0;
    if (demo_bulk(c, firms, now, &inserted, err, sizeof err) != 0) {
        fprintf(stderr, "bench_policy: bulk: %s\n", err);
        exit(1);
    }
    /* every firm approved, with a legal rep who holds every permission */
    exec_or_die(c, "UPDATE enterprise SET status = 'approved'");
    exec_or_die(c, "INSERT INTO app_user(phone, name, password_hash, created_at, updated_at)"
                   " SELECT CAST(10000000000 + id AS TEXT), legal_rep_name, 'x', 0, 0 FROM enterprise");
    exec_or_die(c, "INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at)"
                   " SELECT e.id, u.id, 1, 'active', 0, 0 FROM enterprise e JOIN app_user u"
                   " ON u.phone = CAST(10000000000 + e.id AS TEXT)");
    /* one in ten takes policies by SMS too */
    exec_or_die(c, "INSERT INTO notify_setting(account_kind, account_id, topic, channel, enabled, updated_at)"
                   " SELECT 'user', id, 'policy', 'sms', 1, 0 FROM app_user WHERE id % 10 = 0 ON CONFLICT DO NOTHING");
    exec_or_die(c, "INSERT INTO content_item(kind, status, title, summary, body_html, body_text, department, doc_no,"
                   " targets_json, created_by, updated_by, created_at, updated_at) VALUES ('news', 'draft',"
                   " '福州市促进外贸稳规模优结构若干措施', '十二条措施', '<p>对出口信用保险保费给予补贴。</p>',"
                   " '对出口信用保险保费给予补贴。', '福州市商务局', '榕商务〔2026〕12号', '{}', 1, 1, 0, 0)");
    int64_t item = count(c, "SELECT MAX(id) FROM content_item");
    int64_t approved = count(c, "SELECT COUNT(*) FROM enterprise WHERE status = 'approved'");

    double t0 = now_s();
    int64_t delivered = 0;
    if (policy_publish_now(c, now, item, &delivered) != DB_OK) die(c, "publish");
    double t_pub = now_s() - t0;
    int64_t n_msg = count(c, "SELECT COUNT(*) FROM message");
    int64_t n_out = count(c, "SELECT COUNT(*) FROM notify_outbox");

    /* the baseline: the same numbers of rows, plain prepared INSERTs */
    exec_or_die(c, TWINS);
    static const char ins_inbox[] = "INSERT INTO bench_inbox(enterprise_id, item_id, delivered_at) VALUES ($1, $2, $3)";
    static const char ins_msg[] =
        "INSERT INTO bench_message(account_kind, account_id, enterprise_id, topic, template_code, ref_type, ref_id,"
        " title, body, link, created_at) VALUES ('user', $1, $2, 'policy', 'policy.published', 'policy', $3, $4, $5, $6, $7)";
    static const char ins_out[] =
        "INSERT INTO bench_outbox(channel, account_id, body, status, next_at, created_at) VALUES ('sms', $1, $2, 'pending', $3, $3)";
    const char *title = "新政策：福州市促进外贸稳规模优结构若干措施";
    const char *body = "您的企业收到一条新政策《福州市促进外贸稳规模优结构若干措施》榕商务〔2026〕12号，请及时查看。";
    t0 = now_s();
    int64_t rows = 0;
    if (db_begin(c, true) != DB_OK) die(c, "begin");
    for (int64_t i = 1; i <= delivered + n_msg + n_out; i++) {
        db_stmt *s;
        int64_t k = i;
        if (k <= delivered) {
            s = db_prepare(c, ins_inbox);
            if (!s) die(c, "prepare");
            db_bind_int64(s, 1, k);
            db_bind_int64(s, 2, item);
            db_bind_int64(s, 3, now);
        } else if ((k -= delivered) <= n_msg) {
            s = db_prepare(c, ins_msg);
            if (!s) die(c, "prepare");
            db_bind_int64(s, 1, k);
            db_bind_int64(s, 2, k);
            db_bind_int64(s, 3, item);
            db_bind_text(s, 4, title, -1);
            db_bind_text(s, 5, body, -1);
            db_bind_text(s, 6, "/console/policies/received/1", -1);
            db_bind_int64(s, 7, now);
        } else {
            k -= n_msg;
            s = db_prepare(c, ins_out);
            if (!s) die(c, "prepare");
            db_bind_int64(s, 1, k);
            db_bind_text(s, 2, body, -1);
            db_bind_int64(s, 3, now);
        }
        if (db_step(s) != DB_DONE) die(c, "insert");
        db_stmt_done(s);
        if (++rows % BATCH == 0) {
            if (db_commit(c) != DB_OK || db_begin(c, true) != DB_OK) die(c, "commit");
        }
    }
    if (db_commit(c) != DB_OK) die(c, "commit");
    double t_base = now_s() - t0;
    printf("firms=%lld\napproved=%lld\ninbox=%lld\nmessages=%lld\noutbox=%lld\npublish_s=%.3f\nbaseline_s=%.3f\n"
           "speed_ratio=%.2f\n",
           (long long)firms, (long long)approved, (long long)delivered, (long long)n_msg, (long long)n_out, t_pub,
           t_base, t_pub > 0 ? t_base / t_pub : 0.0);
}

static const char *const WORDS[] = {
    "外贸", "出口", "进口", "企业", "补助", "奖励", "申报", "专项资金", "商务局", "福州", "跨境", "电商", "信用保险",
    "保费", "融资", "贴息", "展会", "人才", "消费", "零售", "餐饮", "物流", "园区", "科技", "研发", "高新技术",
    "税收", "用地", "稳岗", "服务业", "数字经济", "海外仓", "品牌", "市场", "政策", "措施", "实施", "办法",
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

static void content_bench(db_conn *c, int64_t n)
{
    uint64_t r = 0x9E3779B97F4A7C15ull;
    int64_t now = (int64_t)time(NULL);
    zq_arena *a = zq_arena_new(64 << 20);
    static const char ins[] =
        "INSERT INTO content_item(kind, status, title, summary, body_html, body_text, department, doc_no, targets_json,"
        " published_at, created_by, updated_by, created_at, updated_at)"
        " VALUES ($1, 'published', $2, $3, $4, $5, '福州市商务局', $6, '{}', $7, 1, 1, $7, $7) RETURNING id";
    if (!a || db_begin(c, true) != DB_OK) die(c, "begin");
    for (int64_t i = 0; i < n; i++) {
        char title[256], html[4096] = "<p>", doc[64];
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        snprintf(title, sizeof title, "关于%s%s%s的通知（第%lld号）", WORDS[r % NWORDS], WORDS[(r >> 8) % NWORDS],
                 WORDS[(r >> 16) % NWORDS], (long long)i + 1);
        for (int w = 0; w < 120; w++) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            strcat(html, WORDS[r % NWORDS]);
            strcat(html, w % 12 == 11 ? "。</p><p>" : "，");
        }
        if (i % 10 == 0) strcat(html, "对符合条件的企业给予一次性补贴。");
        if (i % 20 == 0) strcat(html, "支持跨境电商企业建设海外仓。");
        strcat(html, "</p>");
        richtext_out o;
        if (richtext_clean(a, html, strlen(html), &o) != 0) die(NULL, "richtext");
        snprintf(doc, sizeof doc, "榕商务〔2026〕%lld号", (long long)(i % 500) + 1);
        db_stmt *s = db_prepare(c, ins);
        if (!s) die(c, "prepare");
        db_bind_text(s, 1, i % 7 == 3 ? "interpretation" : "news", -1);
        db_bind_text(s, 2, title, -1);
        db_bind_text(s, 3, "政策摘要", -1);
        db_bind_text(s, 4, o.html, -1);
        db_bind_text(s, 5, o.text, -1);
        db_bind_text(s, 6, doc, -1);
        db_bind_int64(s, 7, now - (n - i) * 600);
        if (db_step(s) != DB_ROW) die(c, "insert content");
        int64_t id = db_col_int64(s, 0);
        db_stmt_done(s);
        if (!(s = db_prepare(c, "INSERT INTO content_type(item_id, code) VALUES ($1, $2)"))) die(c, "prepare");
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, (const char *[]){"trade", "tech", "finance", "consume", "talent"}[i % 5], -1);
        if (db_step(s) != DB_DONE) die(c, "insert type");
        db_stmt_done(s);
        if (i % BATCH == BATCH - 1 && (db_commit(c) != DB_OK || db_begin(c, true) != DB_OK)) die(c, "commit");
    }
    exec_or_die(c, "UPDATE content_version SET version = version + 1 WHERE id = 1");
    if (db_commit(c) != DB_OK) die(c, "commit");
    zq_arena_free(a);
    printf("policies=%lld\n", (long long)n);
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "publish") != 0 && strcmp(argv[1], "content") != 0)) {
        fprintf(stderr, "usage: bench_policy publish|content DBURL N\n");
        return 2;
    }
    char err[256];
    db_conn *c = db_open(argv[2], err, sizeof err);
    if (!c) {
        fprintf(stderr, "bench_policy: %s\n", err);
        return 1;
    }
    int applied;
    if (db_migrate(c, &applied, err, sizeof err) != DB_OK) {
        fprintf(stderr, "bench_policy: migrate: %s\n", err);
        return 1;
    }
    long long n = atoll(argv[3]);
    if (strcmp(argv[1], "publish") == 0) publish_bench(c, n);
    else content_bench(c, n);
    db_close(c);
    return 0;
}
