/*
 * sqlite_gram.c — the FTS5 tokenizer "zq_gram" that migration 0014's
 * enterprise_gram table uses: every character and every pair of adjacent
 * characters of a text is a token, so a one- or two-character keyword is a
 * single-token lookup. FTS5's own trigram tokenizer cannot serve keywords
 * shorter than three characters (they fall back to a scan of every firm),
 * and Chinese names have no word boundaries for the unicode61 tokenizer.
 * ASCII letters are folded to lower case, as SQLite's LIKE folds them; other
 * characters stay as they are. A query text is one token, whatever its
 * length: callers only ask it for keywords of one or two characters.
 * Registered on every SQLite connection (db_sqlite.c) before any statement
 * can touch the table.
 */
#include "db/db_internal.h"
#include <string.h>

#define GRAM_QUERY_BUF 256

/* Bytes in the UTF-8 character at p (1 for a malformed byte, so any input is tokenized). */
static int utf8_len(const unsigned char *p, int left)
{
    int n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 1;
    if (n > left) return 1;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 1;
    return n;
}

static void fold(char *dst, const char *src, int n)
{
    for (int i = 0; i < n; i++) dst[i] = src[i] >= 'A' && src[i] <= 'Z' ? (char)(src[i] - 'A' + 'a') : src[i];
}

static int gram_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv;
    (void)argc;
    /* stateless: any non-NULL handle will do */
    *out = (Fts5Tokenizer *)ctx;
    return SQLITE_OK;
}

static void gram_delete(Fts5Tokenizer *t) { (void)t; }

static int gram_query(void *ctx, const char *text, int n,
                      int (*token)(void *, int, const char *, int, int, int))
{
    char stack[GRAM_QUERY_BUF];
    char *buf = n <= GRAM_QUERY_BUF ? stack : sqlite3_malloc(n);
    if (!buf) return SQLITE_NOMEM;
    fold(buf, text, n);
    int rc = n > 0 ? token(ctx, 0, buf, n, 0, n) : SQLITE_OK;
    if (buf != stack) sqlite3_free(buf);
    return rc;
}

static int gram_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                         int (*token)(void *, int, const char *, int, int, int))
{
    (void)t;
    if (flags & FTS5_TOKENIZE_QUERY) return gram_query(ctx, text, n, token);
    const unsigned char *u = (const unsigned char *)text;
    char buf[8];
    int rc = SQLITE_OK;
    for (int i = 0; i < n && rc == SQLITE_OK;) {
        int a = utf8_len(u + i, n - i);
        fold(buf, text + i, a);
        rc = token(ctx, 0, buf, a, i, i + a);
        if (rc == SQLITE_OK && i + a < n) {
            int b = utf8_len(u + i + a, n - i - a);
            fold(buf + a, text + i + a, b);
            rc = token(ctx, 0, buf, a + b, i, i + a + b);
        }
        i += a;
    }
    return rc;
}

int db_sqlite_gram_register(sqlite3 *db)
{
    /* FTS5 copies the methods; the connection doubles as the (stateless) handle */
    fts5_tokenizer tok = {gram_create, gram_delete, gram_tokenize};
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK) return rc;
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateTokenizer(api, "zq_gram", db, &tok, NULL);
}
