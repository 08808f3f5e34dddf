/*
 * section_spec.c — the seven sections of docs/profile.md as data, plus the
 * cross-field rules the field types cannot express.
 */
#include "profile/section.h"
#include <string.h>

#define ALL PROF_ALL_KINDS
#define K(i) (1u << (i))
#define COUNT_MAX 10000000  /* people: far above any firm in the city */

static const prof_choice LEVELS4[] = {
    {"national", "国家级"}, {"provincial", "省级"}, {"municipal", "市级"}, {"district", "区级"}, {NULL, NULL}};
static const prof_choice LEVELS5[] = {{"national", "国家级"}, {"provincial", "省级"}, {"municipal", "市级"},
                                      {"district", "区级"},   {"none", "无"},         {NULL, NULL}};

/* ---- helpers for the checks ---- */

static const prof_val *val(const prof_section *sec, const prof_val *v, const char *name)
{
    int i = prof_field_index(sec, name);
    return i >= 0 && v[i].set ? &v[i] : NULL;
}

static void dates_ordered(zq_req *q, zq_resp *r, const prof_section *sec, const prof_val *v, const char *from,
                          const char *to, const char *msg)
{
    const prof_val *a = val(sec, v, from), *b = val(sec, v, to);
    if (a && b && !zq_kvs_get(&r->err_fields, to) && strcmp(b->s, a->s) < 0) zq_fail_field(q, r, to, msg);
}

static void not_above_total(zq_req *q, zq_resp *r, const prof_section *sec, const prof_val *v, const char *name,
                            const char *msg)
{
    const prof_val *t = val(sec, v, "total_staff"), *x = val(sec, v, name);
    if (t && x && x->i > t->i) zq_fail_field(q, r, name, msg);
}

/* ---- 企业资质 ---- */

static const prof_field QUAL[] = {
    {"name", "资质名称", PROF_STR, 0, 100, NULL, ALL, ALL},
    {"level", "资质等级", PROF_STR, 0, 30, NULL, ALL, 0},
    {"issuer", "发证机关", PROF_STR, 0, 100, NULL, ALL, ALL},
    {"cert_no", "证书编号", PROF_STR, 0, 64, NULL, ALL, ALL},
    {"issued_on", "发证日期", PROF_DATE, 0, 0, NULL, ALL, ALL},
    {"expires_on", "有效期至", PROF_DATE, 0, 0, NULL, ALL, 0},
    {"file_id", "附件", PROF_FILE, 0, 0, NULL, ALL, 0},
};

static void qual_check(zq_req *q, zq_resp *r, const prof_section *sec, const prof_val *v)
{
    dates_ordered(q, r, sec, v, "issued_on", "expires_on", "有效期至不能早于发证日期");
}

/* ---- 技术能力: rd (研发投入) | platform (研发平台/中心) | award (科技奖项) ---- */

static const prof_choice TECH_KINDS[] = {
    {"rd", "研发投入"}, {"platform", "研发平台"}, {"award", "科技奖项"}, {NULL, NULL}};
static const prof_field TECH[] = {
    {"kind", "类别", PROF_ENUM, 0, 0, TECH_KINDS, ALL, ALL},
    {"year", "年度", PROF_YEAR, 0, 0, NULL, ALL, ALL},
    {"rd_staff", "研发人员数", PROF_INT, 0, COUNT_MAX, NULL, K(0), K(0)},
    {"rd_spending", "研发投入", PROF_MONEY, 0, 0, NULL, K(0), K(0)},
    {"name", "名称", PROF_STR, 0, 100, NULL, K(1) | K(2), K(1) | K(2)},
    {"level", "级别", PROF_ENUM, 0, 0, LEVELS4, K(1) | K(2), K(1) | K(2)},
    {"approved_by", "认定部门", PROF_STR, 0, 100, NULL, K(1), K(1)},
    {"issuer", "颁发单位", PROF_STR, 0, 100, NULL, K(2), 0},
    {"file_id", "附件", PROF_FILE, 0, 0, NULL, K(2), 0},
};

/* ---- 人事信息 ---- */

static const prof_field PERS[] = {
    {"year", "年度", PROF_YEAR, 0, 0, NULL, ALL, ALL},
    {"total_staff", "职工总数", PROF_INT, 0, COUNT_MAX, NULL, ALL, ALL},
    {"rd_staff", "研发人员数", PROF_INT, 0, COUNT_MAX, NULL, ALL, ALL},
    {"degree_staff", "大专及以上学历人数", PROF_INT, 0, COUNT_MAX, NULL, ALL, ALL},
    {"new_hires", "新增就业人数", PROF_INT, 0, COUNT_MAX, NULL, ALL, ALL},
    {"insured_staff", "参保人数", PROF_INT, 0, COUNT_MAX, NULL, ALL, ALL},
};

static void pers_check(zq_req *q, zq_resp *r, const prof_section *sec, const prof_val *v)
{
    not_above_total(q, r, sec, v, "rd_staff", "研发人员数不能超过职工总数");
    not_above_total(q, r, sec, v, "degree_staff", "大专及以上学历人数不能超过职工总数");
    not_above_total(q, r, sec, v, "insured_staff", "参保人数不能超过职工总数");
}

/* ---- 经营数据 (万元) ---- */

static const prof_field OPS[] = {
    {"year", "年度", PROF_YEAR, 0, 0, NULL, ALL, ALL},
    {"revenue", "营业收入", PROF_MONEY, 0, 0, NULL, ALL, ALL},
    {"profit", "利润总额", PROF_MONEY_SIGNED, 0, 0, NULL, ALL, ALL},
    {"tax", "纳税总额", PROF_MONEY, 0, 0, NULL, ALL, ALL},
    {"export", "出口额", PROF_MONEY, 0, 0, NULL, ALL, ALL},
    {"import", "进口额", PROF_MONEY, 0, 0, NULL, ALL, ALL},
    {"assets", "资产总额", PROF_MONEY, 0, 0, NULL, ALL, ALL},
};

/* ---- 知识产权: patent | trademark | copyright ---- */

static const prof_choice IP_KINDS[] = {{"patent", "专利"}, {"trademark", "商标"}, {"copyright", "著作权"}, {NULL, NULL}};
static const prof_choice IP_STATUS[] = {
    {"valid", "有效"}, {"pending", "申请中"}, {"expired", "已过期"}, {"invalid", "已失效"}, {NULL, NULL}};
static const prof_choice PATENT_TYPES[] = {
    {"invention", "发明专利"}, {"utility", "实用新型"}, {"design", "外观设计"}, {NULL, NULL}};
static const prof_field IP[] = {
    {"kind", "类别", PROF_ENUM, 0, 0, IP_KINDS, ALL, ALL},
    {"number", "登记号", PROF_STR, 0, 64, NULL, ALL, ALL},
    {"title", "名称", PROF_STR, 0, 200, NULL, ALL, ALL},
    {"granted_on", "授权日期", PROF_DATE, 0, 0, NULL, ALL, 0},
    {"status", "法律状态", PROF_ENUM, 0, 0, IP_STATUS, ALL, ALL},
    {"patent_type", "专利类型", PROF_ENUM, 0, 0, PATENT_TYPES, K(0), K(0)},
    {"class_no", "商标类别", PROF_INT, 1, 45, NULL, K(1), K(1)},
    {"file_id", "附件", PROF_FILE, 0, 0, NULL, ALL, 0},
};

/* ---- 项目信息 ---- */

static const prof_choice PROJECT_STATUS[] = {
    {"planned", "计划中"}, {"ongoing", "进行中"}, {"completed", "已完成"}, {"suspended", "已暂停"}, {NULL, NULL}};
static const prof_field PROJ[] = {
    {"name", "项目名称", PROF_STR, 0, 200, NULL, ALL, ALL},
    {"type", "项目类型", PROF_STR, 0, 30, NULL, ALL, ALL},
    {"amount", "项目金额", PROF_MONEY, 0, 0, NULL, ALL, 0},
    {"start_on", "开始日期", PROF_DATE, 0, 0, NULL, ALL, ALL},
    {"end_on", "结束日期", PROF_DATE, 0, 0, NULL, ALL, 0},
    {"status", "项目状态", PROF_ENUM, 0, 0, PROJECT_STATUS, ALL, ALL},
    {"description", "项目简介", PROF_STR, 0, 2000, NULL, ALL, 0},
};

static void proj_check(zq_req *q, zq_resp *r, const prof_section *sec, const prof_val *v)
{
    dates_ordered(q, r, sec, v, "start_on", "end_on", "结束日期不能早于开始日期");
}

/* ---- 载体信息 ---- */

static const prof_choice CARRIER_KINDS[] = {{"incubator", "孵化器"}, {"accelerator", "加速器"},
                                            {"maker_space", "众创空间"}, {"park", "产业园区"},
                                            {"platform", "公共服务平台"}, {"other", "其他"}, {NULL, NULL}};
static const prof_choice RELATIONS[] = {{"operates", "运营"}, {"resides", "入驻"}, {NULL, NULL}};
static const prof_field CARR[] = {
    {"name", "载体名称", PROF_STR, 0, 200, NULL, ALL, ALL},
    {"kind", "载体类型", PROF_ENUM, 0, 0, CARRIER_KINDS, ALL, ALL},
    {"relation", "与载体关系", PROF_ENUM, 0, 0, RELATIONS, ALL, ALL},
    {"level", "载体级别", PROF_ENUM, 0, 0, LEVELS5, ALL, 0},
    {"area", "面积", PROF_DEC2, 0, 0, NULL, ALL, 0},
    {"address", "地址", PROF_STR, 0, 200, NULL, ALL, 0},
};

#define N(a) (int)(sizeof a / sizeof a[0])
/* carriers' `kind` is a plain attribute: no field depends on it */
static const prof_section S_QUAL = {"qualifications", "enterprise_qualification", "企业资质", QUAL, N(QUAL), -1, NULL, -1, "expires_on", qual_check};
static const prof_section S_TECH = {"tech", "enterprise_tech", "技术能力", TECH, N(TECH), 0, "year", 0, NULL, NULL};
static const prof_section S_PERS = {"personnel", "enterprise_personnel", "人事信息", PERS, N(PERS), -1, "year", -1, NULL, pers_check};
static const prof_section S_OPS = {"operations", "enterprise_operation", "经营数据", OPS, N(OPS), -1, "year", -1, NULL, NULL};
static const prof_section S_IP = {"ip", "enterprise_ip", "知识产权", IP, N(IP), 0, NULL, -1, NULL, NULL};
static const prof_section S_PROJ = {"projects", "enterprise_project", "项目信息", PROJ, N(PROJ), -1, NULL, -1, NULL, proj_check};
static const prof_section S_CARR = {"carriers", "enterprise_carrier", "载体信息", CARR, N(CARR), -1, NULL, -1, NULL, NULL};

static const prof_section *const ALL_SECTIONS[] = {&S_QUAL, &S_TECH, &S_PERS, &S_OPS, &S_IP, &S_PROJ, &S_CARR};

const prof_section *const *prof_sections(size_t *n)
{
    *n = sizeof ALL_SECTIONS / sizeof ALL_SECTIONS[0];
    return ALL_SECTIONS;
}

const prof_section *prof_section_by_path(const char *path)
{
    for (size_t i = 0; i < sizeof ALL_SECTIONS / sizeof ALL_SECTIONS[0]; i++)
        if (strcmp(ALL_SECTIONS[i]->path, path) == 0) return ALL_SECTIONS[i];
    return NULL;
}
