/*
 * section_engine.c — reading, storing and writing section records from
 * their spec (section.h).
 */
#include "profile/section.h"
#include "db/db.h"
#include "core/clock.h"
#include "core/money.h"
#include "http/input.h"
#include "upload/upload.h"
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#define DEC2_MAX_INT_DIGITS 10

int prof_field_index(const prof_section *sec, const char *name)
{
    for (int i = 0; i < sec->nfields; i++)
        if (strcmp(sec->fields[i].name, name) == 0) return i;
    return -1;
}

static int choice_index(const prof_choice *c, const char *code)
{
    for (int i = 0; c[i].code; i++)
        if (strcmp(c[i].code, code) == 0) return i;
    return -1;
}

int prof_kind_of(const prof_section *sec, const prof_val *v)
{
    if (sec->kind_field < 0) return 0;
    const prof_val *k = &v[sec->kind_field];
    return k->set ? choice_index(sec->fields[sec->kind_field].values, k->s) : -1;
}

/* ---- reading ---- */

/* "100", "12.5", "0.25": digits with at most two decimals, as hundredths. */
static bool parse_dec2(const char *s, int64_t *out)
{
    int64_t v = 0;
    int digits = 0, decimals = 0;
    bool dot = false;
    if (!*s) return false;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (dot || digits == 0 || !p[1]) return false;
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9') return false;
        if (dot && ++decimals > 2) return false;
        if (!dot && ++digits > DEC2_MAX_INT_DIGITS) return false;
        v = v * 10 + (*p - '0');
    }
    for (; decimals < 2; decimals++) v *= 10;
    *out = v;
    return true;
}

static void dec2_text(int64_t v, char out[32])
{
    if (v % 100 == 0) snprintf(out, 32, "%lld", (long long)(v / 100));
    else if (v % 10 == 0) snprintf(out, 32, "%lld.%lld", (long long)(v / 100), (long long)(v % 100 / 10));
    else snprintf(out, 32, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

static const char *choices_text(zq_req *q, const prof_choice *c)
{
    const char *out = "";
    for (int i = 0; c[i].code; i++) out = zq_arena_printf(q->arena, "%s%s%s", out, i ? "、" : "", c[i].label);
    return out;
}

/* A number written as text: a JSON number may already have lost digits in a double. */
static const char *read_decimal_text(zq_req *q, zq_resp *r, const prof_field *f, bool required)
{
    json_t *j = json_object_get(q->json, f->name);
    if (j && !json_is_null(j) && !json_is_string(j)) {
        zq_fail_field(q, r, f->name, zq_arena_printf(q->arena, "%s须以文本形式填写，如 \"100.5\"", f->label));
        return NULL;
    }
    return zq_in_str(q, r, f->name, f->label, required, 32);
}

static void read_money(zq_req *q, zq_resp *r, const prof_field *f, bool required, prof_val *out)
{
    const char *s = read_decimal_text(q, r, f, required);
    if (!s) return;
    bool neg = f->type == PROF_MONEY_SIGNED && s[0] == '-';
    int64_t yuan = 0;
    zq_money_rc rc = zq_wan_to_yuan(neg ? s + 1 : s, &yuan);
    if (rc != ZQ_MONEY_OK) {
        zq_fail_field(q, r, f->name, zq_arena_printf(q->arena, "%s：%s", f->label, zq_money_message(rc)));
        return;
    }
    out->set = true;
    out->i = neg ? -yuan : yuan;
}

static void read_field(zq_req *q, zq_resp *r, const prof_field *f, bool required, int64_t enterprise_id, prof_val *out)
{
    char today[11];
    bool present = false;
    switch (f->type) {
    case PROF_STR:
        out->s = zq_in_str(q, r, f->name, f->label, required, (size_t)f->max);
        out->set = out->s != NULL;
        break;
    case PROF_INT:
        out->i = zq_in_int(q, r, f->name, f->label, required, f->min, f->max, &present);
        out->set = present;
        break;
    case PROF_YEAR:
        zq_today(q->now, today);
        int this_year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
        out->i = zq_in_int(q, r, f->name, f->label, required, INT64_MIN, INT64_MAX, &present);
        if (present && (out->i < 1949 || out->i > this_year + 1)) {
            zq_fail_field(q, r, f->name, zq_arena_printf(q->arena, "%s须在 1949 到 %d 之间", f->label, this_year + 1));
            present = false;
        }
        out->set = present;
        break;
    case PROF_DATE:
        out->s = zq_in_str(q, r, f->name, f->label, required, 16);
        if (out->s && !zq_date_ymd(out->s, NULL, NULL, NULL)) {
            zq_fail_field(q, r, f->name, zq_arena_printf(q->arena, "%s须为有效日期（YYYY-MM-DD）", f->label));
            out->s = NULL;
        }
        out->set = out->s != NULL;
        break;
    case PROF_MONEY:
    case PROF_MONEY_SIGNED:
        read_money(q, r, f, required, out);
        break;
    case PROF_DEC2: {
        const char *s = read_decimal_text(q, r, f, required);
        if (s && !parse_dec2(s, &out->i)) {
            zq_fail_field(q, r, f->name, zq_arena_printf(q->arena, "%s须为不小于 0 的数字，最多两位小数", f->label));
            s = NULL;
        }
        out->set = s != NULL;
        break;
    }
    case PROF_ENUM:
        out->s = zq_in_str(q, r, f->name, f->label, required, 32);
        if (out->s && choice_index(f->values, out->s) < 0) {
            zq_fail_field(q, r, f->name,
                          zq_arena_printf(q->arena, "请选择有效的%s（%s）", f->label, choices_text(q, f->values)));
            out->s = NULL;
        }
        out->set = out->s != NULL;
        break;
    case PROF_FILE:
        out->i = zq_in_int(q, r, f->name, f->label, required, 1, INT64_MAX, &present);
        if (present && !upload_belongs_to(q->db, out->i, enterprise_id)) {
            zq_fail_field(q, r, f->name, "附件不存在或不属于本企业");
            present = false;
        }
        out->set = present;
        break;
    }
}

static bool given(const zq_req *q, const char *name)
{
    json_t *j = json_object_get(q->json, name);
    return j && !json_is_null(j) && !(json_is_string(j) && json_string_length(j) == 0);
}

void prof_read(zq_req *q, zq_resp *r, const prof_section *sec, int64_t enterprise_id, prof_val *v)
{
    const char *keys[PROF_MAX_FIELDS + 1];
    for (int i = 0; i < sec->nfields; i++) keys[i] = sec->fields[i].name;
    keys[sec->nfields] = NULL;
    memset(v, 0, sizeof *v * (size_t)sec->nfields);
    if (!q->json) { /* no body: every required field is missing */
        q->json = json_object();
        if (!q->json) return;
    }
    zq_in_only(q, r, keys);

    int kind = 0;
    if (sec->kind_field >= 0) {
        read_field(q, r, &sec->fields[sec->kind_field], true, enterprise_id, &v[sec->kind_field]);
        kind = prof_kind_of(sec, v);
    }
    for (int i = 0; i < sec->nfields; i++) {
        const prof_field *f = &sec->fields[i];
        if (i == sec->kind_field) continue;
        if (kind < 0) { /* kind unknown: check the field alone, nothing is required */
            read_field(q, r, f, false, enterprise_id, &v[i]);
            continue;
        }
        if (!(f->kinds & (1u << kind))) {
            if (given(q, f->name))
                zq_fail_field(q, r, f->name,
                              zq_arena_printf(q->arena, "%s不适用于所选类别", f->label));
            continue;
        }
        read_field(q, r, f, (f->required & (1u << kind)) != 0, enterprise_id, &v[i]);
    }
    if (!r->err && sec->check) sec->check(q, r, sec, v);
}

/* ---- SQL ---- */

/* A bounded writer for the SQL builders: once anything does not fit, the
 * text is marked cut and the builder answers false, so a statement is never
 * run truncated (a cut "WHERE …" would widen an UPDATE to every row). */
typedef struct {
    char *buf;
    size_t n, len;
    bool cut;
} sqlw;

static void put(sqlw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sqlw *w, const char *fmt, ...)
{
    if (w->cut) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(w->buf + w->len, w->n - w->len, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= w->n - w->len) {
        w->cut = true;
        w->buf[0] = '\0';
        return;
    }
    w->len += (size_t)k;
}

static bool done(sqlw *w)
{
    return !w->cut;
}

static void cols(sqlw *w, const prof_section *sec)
{
    for (int i = 0; i < sec->nfields; i++) put(w, ", %s", sec->fields[i].name);
}

bool prof_sql_insert(const prof_section *sec, char *buf, size_t n)
{
    sqlw w = {buf, n, 0, n == 0};
    put(&w, "INSERT INTO %s(enterprise_id, created_by, created_at, updated_at", sec->table);
    cols(&w, sec);
    put(&w, ") VALUES ($1, $2, $3, $3");
    for (int i = 0; i < sec->nfields; i++) put(&w, ", $%d", 4 + i);
    put(&w, ") RETURNING id");
    return done(&w);
}

bool prof_sql_update(const prof_section *sec, char *buf, size_t n)
{
    sqlw w = {buf, n, 0, n == 0};
    put(&w, "UPDATE %s SET updated_at = $3", sec->table);
    for (int i = 0; i < sec->nfields; i++) put(&w, ", %s = $%d", sec->fields[i].name, 4 + i);
    put(&w, " WHERE id = $1 AND enterprise_id = $2");
    return done(&w);
}

bool prof_sql_select(const prof_section *sec, bool one, char *buf, size_t n)
{
    sqlw w = {buf, n, 0, n == 0};
    put(&w, "SELECT id, created_at, updated_at");
    cols(&w, sec);
    put(&w, " FROM %s WHERE enterprise_id = $1%s", sec->table, one ? " AND id = $2" : " ORDER BY created_at DESC, id DESC");
    return done(&w);
}

bool prof_sql_delete(const prof_section *sec, char *buf, size_t n)
{
    sqlw w = {buf, n, 0, n == 0};
    put(&w, "DELETE FROM %s WHERE id = $1 AND enterprise_id = $2", sec->table);
    return done(&w);
}

bool prof_sql_year(const prof_section *sec, char *buf, size_t n)
{
    sqlw w = {buf, n, 0, n == 0};
    put(&w, "SELECT id FROM %s WHERE enterprise_id = $1 AND %s = $2 AND id <> $3%s", sec->table, sec->unique_year,
        sec->unique_kind >= 0 ? " AND kind = $4" : "");
    return done(&w);
}

void prof_bind(db_stmt *s, const prof_section *sec, const prof_val *v, int first)
{
    for (int i = 0; i < sec->nfields; i++) {
        int idx = first + i;
        if (!v[i].set) {
            db_bind_null(s, idx);
            continue;
        }
        switch (sec->fields[i].type) {
        case PROF_STR:
        case PROF_DATE:
        case PROF_ENUM: db_bind_text(s, idx, v[i].s, -1); break;
        default: db_bind_int64(s, idx, v[i].i); break;
        }
    }
}

/* ---- writing JSON ---- */

static void write_time(zq_jw *w, const char *key, int64_t t)
{
    char iso[26];
    zq_time_iso(t, iso);
    zq_jw_kstr(w, key, iso);
}

void prof_write_row(db_conn *db, const prof_section *sec, db_stmt *s, const char *today, zq_jw *w)
{
    zq_jw_obj(w);
    zq_jw_kint(w, "id", db_col_int64(s, 0));
    for (int i = 0; i < sec->nfields; i++) {
        const prof_field *f = &sec->fields[i];
        int c = 3 + i;
        bool null = db_col_is_null(s, c);
        char text[32];
        if (f->type == PROF_FILE) {
            zq_jw_key(w, "file");
            if (null) zq_jw_null(w);
            else if (db) upload_write_meta(db, db_col_int64(s, c), w);
            else {
                zq_jw_obj(w);
                zq_jw_kint(w, "id", db_col_int64(s, c));
                zq_jw_obj_end(w);
            }
            continue;
        }
        zq_jw_key(w, f->name);
        if (null) {
            zq_jw_null(w);
            continue;
        }
        switch (f->type) {
        case PROF_INT:
        case PROF_YEAR: zq_jw_int(w, db_col_int64(s, c)); break;
        case PROF_MONEY:
        case PROF_MONEY_SIGNED:
            zq_yuan_to_wan(db_col_int64(s, c), text);
            zq_jw_str(w, text);
            break;
        case PROF_DEC2:
            dec2_text(db_col_int64(s, c), text);
            zq_jw_str(w, text);
            break;
        default: zq_jw_str(w, db_col_text(s, c)); break;
        }
    }
    if (sec->expiry_field) {
        int c = 3 + prof_field_index(sec, sec->expiry_field);
        const char *until = db_col_text(s, c);
        zq_jw_kbool(w, "expired", until && today && strcmp(until, today) < 0);
    }
    write_time(w, "created_at", db_col_int64(s, 1));
    write_time(w, "updated_at", db_col_int64(s, 2));
    zq_jw_obj_end(w);
}

int prof_write_list(db_conn *db, const prof_section *sec, int64_t enterprise_id, const char *today, zq_jw *w)
{
    char sql[PROF_SQL_MAX];
    if (!prof_sql_select(sec, false, sql, sizeof sql)) return DB_ERR;
    db_stmt *s = db_prepare(db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, enterprise_id);
    int rc;
    zq_jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) prof_write_row(db, sec, s, today, w);
    zq_jw_arr_end(w);
    db_stmt_done(s);
    return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int prof_insert_raw(db_conn *db, const prof_section *sec, int64_t enterprise_id, int64_t now, const prof_val *v,
                    int64_t *id)
{
    char sql[PROF_SQL_MAX];
    if (!prof_sql_insert(sec, sql, sizeof sql)) return DB_ERR;
    db_stmt *s = db_prepare(db, sql);
    if (!s) return DB_ERR;
    db_bind_int64(s, 1, enterprise_id);
    db_bind_null(s, 2);
    db_bind_int64(s, 3, now);
    prof_bind(s, sec, v, 4);
    int rc = db_step(s);
    if (rc == DB_ROW && id) *id = db_col_int64(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}
