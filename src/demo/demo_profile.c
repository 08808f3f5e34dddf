/*
 * demo_profile.c — profile records for the demo city's approved firms
 * (manual 9.1): three years of operating and personnel figures, a
 * qualification (some expired), a patent, and for some firms R&D input, a
 * project and a carrier. Values are derived from the enterprise id, so two
 * seedings give the same city. Inserted through the section engine, the same
 * path the API's checks guard, then the completeness score is stored.
 */
#include "demo/demo.h"
#include "db/db.h"
#include "enterprise/validate.h"
#include "profile/profile.h"
#include "profile/section.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    const prof_section *sec;
    prof_val v[PROF_MAX_FIELDS];
} rec;

static void start(rec *r, const char *section)
{
    memset(r, 0, sizeof *r);
    r->sec = prof_section_by_path(section);
}

static void si(rec *r, const char *field, int64_t value)
{
    int i = prof_field_index(r->sec, field);
    if (i >= 0) r->v[i] = (prof_val){.set = true, .i = value};
}

static void ss(rec *r, const char *field, const char *value)
{
    int i = prof_field_index(r->sec, field);
    if (i >= 0) r->v[i] = (prof_val){.set = true, .s = value};
}

static int put(db_conn *db, rec *r, int64_t eid, int64_t now)
{
    return r->sec ? prof_insert_raw(db, r->sec, eid, now, r->v, NULL) : DB_ERR;
}

int demo_profile(db_conn *db, int64_t eid, int64_t now)
{
    char today[11], d1[16], d2[16], num[32];
    ent_today_shanghai(now, today);
    int year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    uint64_t h = (uint64_t)eid * 2654435761u;
    int64_t base = 500 + (int64_t)(h % 20000);          /* 万元 of revenue in the first year */
    int64_t staff = 20 + (int64_t)(h % 400);
    int rc;
    rec r;

    for (int k = 0; k < 3; k++) {
        int y = year - 3 + k;
        int64_t revenue = base * (100 + k * (int64_t)(5 + h % 15)) / 100;
        start(&r, "operations");
        si(&r, "year", y);
        si(&r, "revenue", revenue * 10000);
        si(&r, "profit", revenue * 10000 * ((int64_t)(h % 17) - 3) / 100);
        si(&r, "tax", revenue * 10000 * 4 / 100);
        si(&r, "export", (h % 3 == 0) ? revenue * 10000 * 30 / 100 : 0);
        si(&r, "import", (h % 4 == 0) ? revenue * 10000 * 10 / 100 : 0);
        si(&r, "assets", revenue * 10000 * 18 / 10);
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;

        int64_t total = staff + k * (int64_t)(h % 12);
        start(&r, "personnel");
        si(&r, "year", y);
        si(&r, "total_staff", total);
        si(&r, "rd_staff", total * 15 / 100);
        si(&r, "degree_staff", total * 55 / 100);
        si(&r, "new_hires", total * 8 / 100);
        si(&r, "insured_staff", total * 95 / 100);
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
    }

    /* a certificate issued five years ago; every third one has run out */
    snprintf(d1, sizeof d1, "%04d-03-15", year - 5);
    snprintf(d2, sizeof d2, "%04d-03-14", h % 3 == 0 ? year - 1 : year + 2);
    snprintf(num, sizeof num, "GR%04d35%06u", year - 5, (unsigned)(h % 1000000));
    start(&r, "qualifications");
    ss(&r, "name", h % 2 ? "高新技术企业证书" : "ISO9001质量管理体系认证");
    ss(&r, "level", h % 2 ? "国家级" : NULL);
    ss(&r, "issuer", h % 2 ? "福建省科学技术厅" : "中国质量认证中心");
    ss(&r, "cert_no", num);
    ss(&r, "issued_on", d1);
    ss(&r, "expires_on", d2);
    if (!(h % 2)) r.v[prof_field_index(r.sec, "level")].set = false;
    if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;

    snprintf(num, sizeof num, "ZL%04d1%07u.%u", year - 2, (unsigned)(h % 10000000), (unsigned)(h % 10));
    snprintf(d1, sizeof d1, "%04d-09-20", year - 1);
    start(&r, "ip");
    ss(&r, "kind", "patent");
    ss(&r, "patent_type", h % 3 ? "utility" : "invention");
    ss(&r, "number", num);
    ss(&r, "title", h % 3 ? "一种节能型生产装置" : "一种数据处理方法及系统");
    ss(&r, "granted_on", d1);
    ss(&r, "status", "valid");
    if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;

    if (h % 2 == 0) {
        start(&r, "tech");
        ss(&r, "kind", "rd");
        si(&r, "year", year - 1);
        si(&r, "rd_staff", staff * 15 / 100);
        si(&r, "rd_spending", base * 10000 * 4 / 100);
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;

        snprintf(d1, sizeof d1, "%04d-01-01", year - 1);
        start(&r, "projects");
        ss(&r, "name", "智能化生产线技术改造项目");
        ss(&r, "type", "技术改造");
        si(&r, "amount", base * 10000 / 5);
        ss(&r, "start_on", d1);
        ss(&r, "status", "ongoing");
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
    }
    if (h % 5 == 0) {
        start(&r, "carriers");
        ss(&r, "name", "福州软件园");
        ss(&r, "kind", "park");
        ss(&r, "relation", "resides");
        ss(&r, "level", "provincial");
        si(&r, "area", 120000 + (int64_t)(h % 50000));
        ss(&r, "address", "福州市鼓楼区软件大道89号");
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
    }
    rc = profile_completeness_refresh(db, eid);
    return rc < 0 ? rc : DB_OK;
}
