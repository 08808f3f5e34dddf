/*
 * responses.c — the raw submitted responses: GET …/:id/responses?page=
 * (20 a page) and GET …/:id/export (an .xlsx, one row per response, one
 * column per question / matrix row / 「其他」 text, written in constant
 * memory and handed to the response through upload_temp_take /
 * upload_send_fd like the other exports). An anonymous questionnaire's responses carry no firm, member or
 * submission time — only a running number. District staff get their
 * district's responses.
 */
#include "survey/survey_internal.h"
#include "core/clock.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/input.h"
#include "http/scope.h"
#include "upload/upload.h"
#include "handler/kit.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM survey_response WHERE survey_id = CAST($1 AS BIGINT) AND status = 'submitted'"
    " AND ($2 = '' OR region = $2)";
static const char SQL_PAGE[] =
    "SELECT r.id, r.enterprise_id, e.name, r.region, r.submitted_at, r.answers, COALESCE(u.name, '')"
    " FROM survey_response r JOIN enterprise e ON e.id = r.enterprise_id LEFT JOIN app_user u ON u.id = r.updated_by"
    " WHERE r.survey_id = $1 AND r.status = 'submitted' AND ($2 = '' OR r.region = $2)"
    " ORDER BY r.id LIMIT $3 OFFSET $4";

static zq_err load(zq_req *q, zq_resp *r, sv_survey *v, sv_def *d)
{
    if (sv_admin_load(q, r, false, v) != DB_ROW) return r->err;
    if (sv_def_parse(q->arena, v->definition, d) != 0) return zq_fail(r, ZQ_E_INTERNAL, NULL);
    return ZQ_OK;
}

static db_stmt *page_stmt(zq_req *q, int64_t id, int64_t limit, int64_t offset)
{
    db_stmt *s = db_prepare(q->db, SQL_PAGE);
    if (!s) return NULL;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, zq_scope_value(q), -1);
    db_bind_int64(s, 3, limit);
    db_bind_int64(s, 4, offset);
    return s;
}

zq_err sv_responses(zq_req *q, zq_resp *r)
{
    sv_survey v;
    sv_def d;
    if (load(q, r, &v, &d) != ZQ_OK) return r->err;
    int64_t page, size;
    zq_in_page(q, r, &page, &size, 20, 100);
    if (r->err) return r->err;
    int64_t total = 0;
    const char *p[2] = {zq_arena_printf(q->arena, "%lld", (long long)v.id), zq_scope_value(q)};
    if (db_query_int64(q->db, SQL_COUNT, &total, 2, p) != DB_OK) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    db_stmt *s = page_stmt(q, v.id, size, (page - 1) * size);
    if (!s) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_jw w;
    zq_list_begin(r, &w);
    int rc;
    int64_t n = (page - 1) * size;
    while ((rc = db_step(s)) == DB_ROW) {
        zq_jw_obj(&w);
        zq_jw_kint(&w, "no", ++n);
        if (!v.anonymous) {
            zq_jw_kint(&w, "id", db_col_int64(s, 0));
            zq_jw_kint(&w, "enterprise_id", db_col_int64(s, 1));
            zq_jw_kstr(&w, "enterprise_name", db_col_text(s, 2));
            zq_jw_kstr(&w, "region", db_col_is_null(s, 3) ? NULL : db_col_text(s, 3));
            zq_jw_kstr(&w, "member_name", db_col_text(s, 6));
            zq_jw_ktime(&w, "submitted_at", db_col_int64(s, 4));
        }
        sv_write_answers(&w, db_col_text(s, 5));
        zq_jw_obj_end(&w);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return zq_fail(r, ZQ_E_UNAVAILABLE, NULL);
    zq_list_end(&w, total, page, size);
    return ZQ_OK;
}

/* The cell text of one answer value. */
static const char *cell(zq_arena *a, const sv_question *x, json_t *val)
{
    if (!val || json_is_null(val)) return NULL;
    if (json_is_string(val)) {
        for (size_t k = 0; k < x->noptions; k++)
            if (strcmp(x->options[k].key, json_string_value(val)) == 0) return x->options[k].label;
        return json_string_value(val);
    }
    if (json_is_integer(val)) return zq_arena_printf(a, "%lld", (long long)json_integer_value(val));
    if (json_is_real(val)) return zq_arena_printf(a, "%.10g", json_real_value(val));
    if (json_is_array(val)) {
        const char *out = "";
        size_t i;
        json_t *e;
        json_array_foreach(val, i, e) out = zq_arena_printf(a, "%s%s%s", out, i ? "、" : "", cell(a, x, e));
        return out;
    }
    return NULL;
}

typedef struct {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head;
    lxw_row_t row;
    lxw_col_t col;
} sheet;

static void put(sheet *sh, const char *s, lxw_format *f)
{
    if (s) worksheet_write_string(sh->ws, sh->row, sh->col, s, f);
    sh->col++;
}

static void header(sheet *sh, const sv_survey *v, const sv_def *d, zq_arena *a)
{
    sh->col = 0;
    put(sh, "序号", sh->head);
    if (!v->anonymous) {
        put(sh, "企业", sh->head);
        put(sh, "地区", sh->head);
        put(sh, "填写人", sh->head);
        put(sh, "提交时间", sh->head);
    }
    for (size_t i = 0; i < d->n; i++) {
        const sv_question *x = &d->q[i];
        if (x->type == SV_MATRIX)
            for (size_t k = 0; k < x->nrows; k++)
                put(sh, zq_arena_printf(a, "%s：%s", x->title, x->rows[k].label), sh->head);
        else put(sh, x->title, sh->head);
        bool other = false;
        for (size_t k = 0; k < x->noptions; k++) other |= x->options[k].other;
        if (other) put(sh, zq_arena_printf(a, "%s（其他）", x->title), sh->head);
    }
    sh->row++;
}

static void data_row(sheet *sh, const sv_survey *v, const sv_def *d, zq_arena *a, db_stmt *s, int64_t no)
{
    sh->col = 0;
    worksheet_write_number(sh->ws, sh->row, sh->col++, (double)no, NULL);
    if (!v->anonymous) {
        put(sh, db_col_text(s, 2), NULL);
        put(sh, db_col_is_null(s, 3) ? NULL : db_col_text(s, 3), NULL);
        put(sh, db_col_text(s, 6), NULL);
        char t[20];
        zq_time_local(db_col_int64(s, 4), t);
        put(sh, t, NULL);
    }
    json_t *all = json_loads(db_col_text(s, 5), 0, NULL);
    json_t *ans = json_object_get(all, "answers"), *oth = json_object_get(all, "other");
    for (size_t i = 0; i < d->n; i++) {
        const sv_question *x = &d->q[i];
        json_t *val = json_object_get(ans, x->key);
        if (x->type == SV_MATRIX)
            for (size_t k = 0; k < x->nrows; k++) put(sh, cell(a, x, json_object_get(val, x->rows[k].key)), NULL);
        else put(sh, cell(a, x, val), NULL);
        bool other = false;
        for (size_t k = 0; k < x->noptions; k++) other |= x->options[k].other;
        if (other) put(sh, cell(a, x, json_object_get(oth, x->key)), NULL);
    }
    json_decref(all);
    sh->row++;
}

#define BATCH 500

zq_err sv_export(zq_req *q, zq_resp *r)
{
    sv_survey v;
    sv_def d;
    if (load(q, r, &v, &d) != ZQ_OK) return r->err;
    char path[] = "/tmp/zq-survey-XXXXXX";
    int fd = mkstemp(path);
    sheet sh = {0};
    zq_arena *a = zq_arena_new(1 << 20);
    if (fd < 0 || !a) goto fail;
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    if (!(sh.wb = workbook_new_opt(path, &opt)) || !(sh.ws = workbook_add_worksheet(sh.wb, "答卷"))) goto fail;
    sh.head = workbook_add_format(sh.wb);
    format_set_bold(sh.head);
    header(&sh, &v, &d, q->arena);
    int64_t no = 0;
    for (;;) {
        db_stmt *s = page_stmt(q, v.id, BATCH, no);
        if (!s) goto fail;
        int rc, got = 0;
        while ((rc = db_step(s)) == DB_ROW) {
            data_row(&sh, &v, &d, a, s, ++no);
            got++;
        }
        db_stmt_done(s);
        if (rc != DB_DONE) goto fail;
        /* the per-row strings are done with once written */
        zq_arena_free(a);
        if (!(a = zq_arena_new(1 << 20))) goto fail;
        if (got < BATCH) break;
    }
    lxw_error e = workbook_close(sh.wb);
    sh.wb = NULL;
    zq_arena_free(a);
    a = NULL;
    uint64_t size = 0;
    if (e != LXW_NO_ERROR) goto fail;
    int out = upload_temp_take(path, &size);
    fd = -1; /* the path is unlinked either way */
    if (out < 0) goto fail;
    /* a read that is audited (GET routes declare no action) */
    if (audit_record(q, &(audit_entry){.action = "survey.export", .object_type = "survey",
                                       .object_id = hk_id_str(q, v.id),
                                       .detail = zq_arena_printf(q->arena, "{\"rows\":%lld}", (long long)no),
                                       .region = v.region}) != 0) {
        close(out);
        return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
    }
    upload_send_fd(q, r, out, size, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   zq_arena_printf(q->arena, "问卷答卷-%lld.xlsx", (long long)v.id));
    return ZQ_OK;
fail:
    if (sh.wb) workbook_close(sh.wb);
    if (a) zq_arena_free(a);
    if (fd >= 0) unlink(path);
    return zq_fail(r, ZQ_E_INTERNAL, "导出失败，请稍后重试");
}
