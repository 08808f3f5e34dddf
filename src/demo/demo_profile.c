/*
 * demo_profile.c — profile records for the demo city's approved firms
 * (manual 9.1) that fit the firm (see demo_firm.h): three years of
 * operating figures in the range of its scale, exports and imports only
 * when it trades abroad, headcounts within its staff size, the licence its
 * trade needs (食品生产许可证, 建筑业企业资质, 高新技术企业证书…; some
 * expired), patents for manufacturers and tech firms, software copyrights
 * for software houses, a trademark for the rest, R&D input and a project
 * where research fits, and its industrial park. Values are derived from
 * the enterprise id, so two seedings give the same city. Inserted through
 * the section engine, the path the API's checks guard; then the
 * completeness score is stored.
 */
#include "demo/demo.h"
#include "demo/demo_firm.h"
#include "db/db.h"
#include "core/clock.h"
#include "profile/profile.h"
#include "profile/section.h"
#include <stdio.h>
#include <stdlib.h>
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
    int i = r->sec ? prof_field_index(r->sec, field) : -1;
    if (i >= 0) r->v[i] = (prof_val){.set = true, .i = value};
}

static void ss(rec *r, const char *field, const char *value)
{
    int i = r->sec ? prof_field_index(r->sec, field) : -1;
    if (i >= 0 && value) r->v[i] = (prof_val){.set = true, .s = value};
}

static int put(db_conn *db, rec *r, int64_t eid, int64_t now)
{
    return r->sec ? prof_insert_raw(db, r->sec, eid, now, r->v, NULL) : DB_ERR;
}

/* A value in [lo, hi]. */
static int64_t between(uint64_t *st, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(demo_rand(st) % (uint64_t)(hi - lo + 1));
}

/* ---- the licence a kind of business holds ---- */

typedef struct {
    const char *key;             /* archetype key, or a sector name below */
    const char *name, *level, *issuer, *prefix;
    int years;                   /* validity; 0 = none */
} licence;

static const licence LICENCES[] = {
    {"aquaculture", "水域滩涂养殖证", NULL, "@人民政府", "闽养证", 5},
    {"seafood", "食品生产许可证", NULL, "福州市市场监督管理局", "SC", 5},
    {"frozen_food", "食品生产许可证", NULL, "福州市市场监督管理局", "SC", 5},
    {"snacks", "食品生产许可证", NULL, "福州市市场监督管理局", "SC", 5},
    {"canned", "食品生产许可证", NULL, "福州市市场监督管理局", "SC", 5},
    {"tea", "食品生产许可证", NULL, "福州市市场监督管理局", "SC", 5},
    {"farming", "绿色食品证书", NULL, "中国绿色食品发展中心", "LB", 3},
    {"pharma", "药品生产许可证", NULL, "福建省药品监督管理局", "闽", 5},
    {"medical_trade", "医疗器械经营许可证", NULL, "福州市市场监督管理局", "闽榕食药监械经营许", 5},
    {"pharmacy", "药品经营许可证", NULL, "福州市市场监督管理局", "闽CB", 5},
    {"supermarket", "食品经营许可证", NULL, "@市场监督管理局", "JY", 5},
    {"agri_trade", "食品经营许可证", NULL, "@市场监督管理局", "JY", 5},
    {"restaurant", "食品经营许可证", NULL, "@市场监督管理局", "JY", 5},
    {"hotel", "特种行业许可证", NULL, "福州市公安局", "闽榕特", 0},
    {"trucking", "道路运输经营许可证", NULL, "福州市交通运输局", "闽交运管许可榕字", 4},
    {"cold_chain", "道路运输经营许可证", NULL, "福州市交通运输局", "闽交运管许可榕字", 4},
    {"shipping", "国内水路运输经营许可证", NULL, "福建省交通运输厅", "交闽XK", 5},
    {"forwarding", "报关单位备案证明", NULL, "福州海关", "3501", 0},
    {"building", "建筑业企业资质证书", "施工总承包二级", "福建省住房和城乡建设厅", "D2350", 5},
    {"civil", "建筑业企业资质证书", "施工总承包二级", "福建省住房和城乡建设厅", "D2350", 5},
    {"installation", "建筑业企业资质证书", "专业承包二级", "福建省住房和城乡建设厅", "D2350", 5},
    {"decoration", "建筑业企业资质证书", "专业承包二级", "福州市城乡建设局", "D3350", 5},
    {"design", "工程设计资质证书", "建筑行业乙级", "福建省住房和城乡建设厅", "A2350", 5},
    {"testing", "检验检测机构资质认定证书", NULL, "福建省市场监督管理局", "1813", 6},
    {"hr", "劳务派遣经营许可证", NULL, "福州市人力资源和社会保障局", "闽榕劳派", 3},
    {"travel", "旅行社业务经营许可证", NULL, "福建省文化和旅游厅", "L-FJ-", 0},
    {"property", "物业服务企业信用等级证书", "AA级", "福州市物业管理协会", "FZWY", 2},
    {"realestate", "房地产开发企业资质证书", "二级", "福州市住房保障和房产管理局", "榕房开", 3},
    {"culture", "营业性演出许可证", NULL, "福州市文化和旅游局", "350100", 2},
    {"film", "广播电视节目制作经营许可证", NULL, "福建省广播电视局", "（闽）字第", 2},
    {"telecom", "增值电信业务经营许可证", NULL, "福建省通信管理局", "闽B2-", 5},
    {"software", "软件企业评估证书", NULL, "福建省软件行业协会", "闽RQ-", 1},
};

/* Sectors without a licence of their own: a quality-management certificate
 * for producers, nothing for the rest. */
static const licence ISO9001 = {"", "ISO9001质量管理体系认证证书", NULL, "中国质量认证中心", "00126Q", 3};
static const licence HIGHTECH = {"", "高新技术企业证书", "国家级", "福建省科学技术厅", "GR", 3};

static const licence *licence_of(const demo_firm *f)
{
    if (f->hightech) return &HIGHTECH;
    for (size_t i = 0; i < sizeof LICENCES / sizeof LICENCES[0]; i++)
        if (strcmp(LICENCES[i].key, f->arch->key) == 0) return &LICENCES[i];
    demo_sector s = f->arch->sector;
    if (s == DEMO_SEC_MFG || s == DEMO_SEC_LIGHT || s == DEMO_SEC_FOOD || s == DEMO_SEC_TECH) return &ISO9001;
    return NULL;
}

static int add_licence(db_conn *db, const demo_firm *f, uint64_t *st, int year, int64_t eid, int64_t now)
{
    const licence *l = licence_of(f);
    if (!l) return DB_OK;
    char issuer[128], num[64], d1[40], d2[48];
    if (l->issuer[0] == '@') snprintf(issuer, sizeof issuer, "%s%s", f->dist->name, l->issuer + 1);
    else snprintf(issuer, sizeof issuer, "%s", l->issuer);
    int issued = (int)between(st, year - (l->years ? l->years : 6), year - 1);
    if (l == &HIGHTECH) /* GR + year + 35 (Fujian) + serial */
        snprintf(num, sizeof num, "GR%04d35%05u", issued, (unsigned)(demo_rand(st) % 100000u));
    else snprintf(num, sizeof num, "%s%04d%08u", l->prefix, issued, (unsigned)(demo_rand(st) % 100000000u));
    snprintf(d1, sizeof d1, "%04d-%02d-%02d", issued, (int)between(st, 1, 12), (int)between(st, 1, 28));
    /* a fifth have let it run out: the profile's expiry reminder has work */
    int until = issued + l->years - (demo_pick(st, 5) == 0 ? l->years - 1 + (l->years == 1) : 0);
    snprintf(d2, sizeof d2, "%04d-%.5s", until, d1 + 5);
    rec r;
    start(&r, "qualifications");
    ss(&r, "name", l->name);
    ss(&r, "level", l->level);
    ss(&r, "issuer", issuer);
    ss(&r, "cert_no", num);
    ss(&r, "issued_on", d1);
    if (l->years) ss(&r, "expires_on", d2);
    return put(db, &r, eid, now);
}

/* ---- intellectual property ---- */

static const char *const COPYRIGHTS[] = {"智慧园区综合管理平台", "企业数据中台系统", "移动办公协同系统",
                                         "物联网设备监控平台", "政务服务事项审批系统", "供应链协同管理平台"};
/* 尼斯分类 of a trademark: by division where the goods say it, else by sector */
static const struct {
    const char *div;
    int cls;
} TRADEMARK_DIV[] = {{"13", 29}, {"14", 30}, {"15", 30}, {"17", 24}, {"18", 25}, {"19", 25}, {"20", 20},
                     {"21", 20}, {"22", 16}, {"23", 16}, {"24", 21}, {"29", 21}, {"61", 43}, {"62", 43},
                     {"80", 45}, {"81", 37}, {"01", 31}, {"04", 31}, {"52", 35}, {"51", 35}};
static const int TRADEMARK_SECTOR[DEMO_N_SECTORS] = {7, 25, 29, 35, 42, 35, 39, 37, 43, 41};

static int trademark_class(const demo_firm *f)
{
    for (size_t i = 0; i < sizeof TRADEMARK_DIV / sizeof TRADEMARK_DIV[0]; i++)
        if (strcmp(TRADEMARK_DIV[i].div, f->arch->divs[0]) == 0) return TRADEMARK_DIV[i].cls;
    return TRADEMARK_SECTOR[f->arch->sector];
}

static int add_ip(db_conn *db, const demo_firm *f, uint64_t *st, int year, int64_t eid, int64_t now)
{
    char num[40], title[220], d1[40];
    rec r;
    int rc;
    unsigned p = f->arch->profile;
    snprintf(d1, sizeof d1, "%04d-%02d-%02d", (int)between(st, year - 6, year - 1), (int)between(st, 1, 12),
             (int)between(st, 1, 28));
    if (p & DEMO_P_PATENT) {
        int n = f->hightech ? 2 : 1;
        for (int k = 0; k < n; k++) {
            bool invention = k == 1 || demo_pick(st, 3) == 0;
            snprintf(num, sizeof num, "ZL%04d%d%07u.%u", year - 2 - k, invention ? 1 : 2,
                     (unsigned)(demo_rand(st) % 10000000u), (unsigned)demo_pick(st, 10));
            snprintf(title, sizeof title, k ? "一种%s的制备方法" : "一种%s生产用检测装置", f->arch->keyword);
            start(&r, "ip");
            ss(&r, "kind", "patent");
            ss(&r, "patent_type", invention ? "invention" : "utility");
            ss(&r, "number", num);
            ss(&r, "title", title);
            ss(&r, "granted_on", d1);
            ss(&r, "status", "valid");
            if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
        }
    }
    if (p & DEMO_P_SOFTWARE) {
        snprintf(num, sizeof num, "%04dSR%07u", year - 1, (unsigned)(demo_rand(st) % 10000000u));
        snprintf(title, sizeof title, "%s%sV%d.0", f->brand, COPYRIGHTS[demo_pick(st, 6)], 1 + demo_pick(st, 3));
        start(&r, "ip");
        ss(&r, "kind", "copyright");
        ss(&r, "number", num);
        ss(&r, "title", title);
        ss(&r, "granted_on", d1);
        ss(&r, "status", "valid");
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
    }
    if (!(p & (DEMO_P_PATENT | DEMO_P_SOFTWARE)) || demo_pick(st, 2) == 0) {
        /* the 字号 as a registered trademark in the class of its trade */
        snprintf(num, sizeof num, "%u", 10000000u + (unsigned)(demo_rand(st) % 80000000u));
        start(&r, "ip");
        ss(&r, "kind", "trademark");
        si(&r, "class_no", trademark_class(f));
        ss(&r, "number", num);
        ss(&r, "title", f->brand);
        /* the name was registered as a mark before any patent came */
        snprintf(d1, sizeof d1, "%04d-%02d-%02d", (int)between(st, year - 12, year - 7), (int)between(st, 1, 12),
                 (int)between(st, 1, 28));
        ss(&r, "granted_on", d1);
        ss(&r, "status", "valid");
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
    }
    return DB_OK;
}

/* ---- R&D, projects, park ---- */

static int add_research(db_conn *db, const demo_firm *f, uint64_t *st, int year, int64_t revenue_wan,
                        int64_t staff, int64_t eid, int64_t now)
{
    char title[220], d1[40];
    rec r;
    int rc;
    start(&r, "tech");
    ss(&r, "kind", "rd");
    si(&r, "year", year - 1);
    si(&r, "rd_staff", staff * between(st, 8, 25) / 100);
    si(&r, "rd_spending", revenue_wan * 10000 * between(st, 3, 8) / 100);
    if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;

    bool tech = f->arch->sector == DEMO_SEC_TECH;
    snprintf(title, sizeof title, tech ? "%s关键技术研发及产业化项目" : "%s智能化生产线技术改造项目", f->arch->keyword);
    snprintf(d1, sizeof d1, "%04d-%02d-01", year - 1, (int)between(st, 1, 12));
    start(&r, "projects");
    ss(&r, "name", title);
    ss(&r, "type", tech ? "研发项目" : "技术改造");
    si(&r, "amount", revenue_wan * 10000 * between(st, 5, 20) / 100);
    ss(&r, "start_on", d1);
    ss(&r, "status", "ongoing");
    return put(db, &r, eid, now);
}

static int add_park(db_conn *db, const demo_firm *f, uint64_t *st, int64_t eid, int64_t now)
{
    const char *park = f->dist->park;
    bool national = strstr(park, "经济技术开发区") || strstr(park, "高新技术产业开发区") || strstr(park, "综合实验区");
    char addr[200];
    snprintf(addr, sizeof addr, "福建省福州市%s%s", f->dist->name, park);
    rec r;
    start(&r, "carriers");
    ss(&r, "name", park);
    ss(&r, "kind", "park");
    ss(&r, "relation", "resides");
    ss(&r, "level", national ? "national" : "provincial");
    si(&r, "area", between(st, 50000, 300000) * 100);
    ss(&r, "address", addr);
    return put(db, &r, eid, now);
}

/* ---- figures ---- */

/* 万元 of yearly revenue that fit a scale */
static int64_t revenue_of(uint64_t *st, const char *scale)
{
    if (strcmp(scale, "large") == 0) return between(st, 40000, 300000);
    if (strcmp(scale, "medium") == 0) return between(st, 5000, 40000);
    if (strcmp(scale, "small") == 0) return between(st, 500, 5000);
    return between(st, 30, 500);
}

/* a headcount inside the firm's staff size */
static int64_t staff_of(uint64_t *st, const char *size)
{
    if (strcmp(size, "1000_plus") == 0) return between(st, 1000, 3500);
    if (strcmp(size, "300_999") == 0) return between(st, 300, 950);
    if (strcmp(size, "100_299") == 0) return between(st, 100, 280);
    if (strcmp(size, "20_99") == 0) return between(st, 20, 95);
    return between(st, 3, 19);
}

int demo_profile(db_conn *db, int64_t eid, const demo_firm *f, int64_t now)
{
    char today[11];
    zq_today(now, today);
    int year = atoi(today);
    uint64_t st = (uint64_t)eid * 2654435761u ^ 0x70726f66ull;
    int64_t base = revenue_of(&st, f->scale), staff = staff_of(&st, f->staff_size);
    bool exports = strcmp(f->trade, "export") == 0 || strcmp(f->trade, "both") == 0;
    bool imports = strcmp(f->trade, "import") == 0 || strcmp(f->trade, "both") == 0;
    int64_t export_pct = exports ? between(&st, 30, 85) : 0, import_pct = imports ? between(&st, 8, 40) : 0;
    int64_t margin = between(&st, -3, 12), growth = between(&st, -5, 15);
    demo_sector sec = f->arch->sector;
    int64_t rd_pct = sec == DEMO_SEC_TECH ? 30 : (f->arch->profile & DEMO_P_RD) ? 12 : 0;
    int64_t degree_pct = sec == DEMO_SEC_TECH ? 85 : sec == DEMO_SEC_BIZ ? 60 : sec == DEMO_SEC_HOSP ? 15 : 35;
    int rc;
    rec r;

    for (int k = 0; k < 3; k++) {
        /* a trend plus the year's own ups and downs */
        int64_t revenue = base * (100 + k * growth + (k ? between(&st, -4, 4) : 0)) / 100;
        start(&r, "operations");
        si(&r, "year", year - 3 + k);
        si(&r, "revenue", revenue * 10000);
        si(&r, "profit", revenue * 10000 * margin / 100);
        si(&r, "tax", revenue * 10000 * 4 / 100);
        si(&r, "export", revenue * 10000 * export_pct / 100);
        si(&r, "import", revenue * 10000 * import_pct / 100);
        si(&r, "assets", revenue * 10000 * 18 / 10);
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;

        int64_t total = staff + k * staff * growth / 200;
        if (total < 1) total = 1;
        start(&r, "personnel");
        si(&r, "year", year - 3 + k);
        si(&r, "total_staff", total);
        si(&r, "rd_staff", total * rd_pct / 100);
        si(&r, "degree_staff", total * degree_pct / 100);
        si(&r, "new_hires", total * 8 / 100);
        si(&r, "insured_staff", total * 95 / 100);
        if ((rc = put(db, &r, eid, now)) != DB_OK) return rc;
    }
    if ((rc = add_licence(db, f, &st, year, eid, now)) != DB_OK) return rc;
    if ((rc = add_ip(db, f, &st, year, eid, now)) != DB_OK) return rc;
    if ((f->arch->profile & DEMO_P_RD) && (f->hightech || demo_pick(&st, 2) == 0) &&
        (rc = add_research(db, f, &st, year, base, staff, eid, now)) != DB_OK)
        return rc;
    if ((f->arch->profile & DEMO_P_PARK) && strcmp(f->scale, "micro") != 0 &&
        (rc = add_park(db, f, &st, eid, now)) != DB_OK)
        return rc;
    rc = profile_completeness_refresh(db, eid);
    return rc < 0 ? rc : DB_OK;
}
