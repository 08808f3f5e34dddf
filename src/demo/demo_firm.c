/*
 * demo_firm.c — draws one coherent demo firm (see demo_firm.h): the
 * district by its share of the city, the kind of business by what that
 * district hosts, then a name, scale, staff, capital, founding date,
 * trade, ownership and characteristics that fit both. No allocation and no
 * database access per firm, so `seed-demo --bulk` stays fast.
 */
#include "demo/demo_firm.h"
#include "db/db.h"
#include "enterprise/validate.h"
#include <stdio.h>
#include <string.h>

#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

uint64_t demo_rand(uint64_t *state)
{
    /* splitmix64: tiny, seedable, good enough for demo data */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int demo_pick(uint64_t *state, int n)
{
    return (int)(demo_rand(state) % (uint64_t)n);
}

/* ---- dictionaries ---- */

static const char SQL_CODES[] = "SELECT type, code FROM dict_item WHERE type IN ('industry', 'region')"
                                " AND enabled = 1 AND parent IS NOT NULL";

int demo_avail_load(db_conn *db, demo_avail *av)
{
    memset(av, 0, sizeof *av);
    db_stmt *s = db_prepare(db, SQL_CODES);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *type = db_col_text(s, 0), *code = db_col_text(s, 1);
        if (!type || !code) continue;
        if (strcmp(type, "region") == 0) {
            for (int d = 0; d < DEMO_N_DISTRICTS; d++)
                if (strcmp(DEMO_DISTRICTS[d].code, code) == 0) av->dist_ok[d] = true;
            continue;
        }
        for (int a = 0; a < DEMO_N_ARCHS; a++)
            for (int k = 0; k < DEMO_MAX_DIVS && DEMO_ARCHS[a].divs[k]; k++)
                if (strcmp(DEMO_ARCHS[a].divs[k], code) == 0) av->arch_divs[a] |= (unsigned char)(1u << k);
    }
    db_stmt_done(s);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERR;
    bool any_arch = false, any_dist = false;
    for (int a = 0; a < DEMO_N_ARCHS; a++) any_arch |= av->arch_divs[a] != 0;
    for (int d = 0; d < DEMO_N_DISTRICTS; d++) any_dist |= av->dist_ok[d];
    return any_arch && any_dist ? DB_OK : DB_DONE;
}

/* ---- names ---- */

static const struct {
    const char *name, *pinyin;
} BRANDS[] = {
    {"鑫达", "xinda"},     {"恒信", "hengxin"},   {"闽江", "minjiang"}, {"海峡", "haixia"},    {"榕城", "rongcheng"},
    {"东南", "dongnan"},   {"华兴", "huaxing"},   {"冠捷", "guanjie"},  {"闽榕", "minrong"},   {"榕鑫", "rongxin"},
    {"闽辉", "minhui"},    {"瑞丰", "ruifeng"},   {"永盛", "yongsheng"}, {"宏达", "hongda"},   {"嘉禾", "jiahe"},
    {"联创", "lianchuang"}, {"新榕", "xinrong"},  {"金源", "jinyuan"},  {"天成", "tiancheng"}, {"众诚", "zhongcheng"},
    {"博远", "boyuan"},    {"泰和", "taihe"},     {"汇通", "huitong"},  {"安泰", "antai"},     {"锦程", "jincheng"},
    {"正祥", "zhengxiang"}, {"建宏", "jianhong"}, {"闽兴", "minxing"},  {"福顺", "fushun"},    {"源丰", "yuanfeng"},
    {"长盛", "changsheng"}, {"海润", "hairun"},   {"恒通", "hengtong"}, {"榕晟", "rongsheng"}, {"左海", "zuohai"},
    {"闽都", "mindu"},     {"裕丰", "yufeng"},    {"冠达", "guanda"},   {"华亿", "huayi"},     {"兴闽", "xingmin"},
    {"立信", "lixin"},     {"诚鑫", "chengxin"},  {"鸿运", "hongyun"},  {"佳和", "jiahe"},     {"东方", "dongfang"},
    {"凯盛", "kaisheng"},  {"腾达", "tengda"},    {"百川", "baichuan"}, {"三木", "sanmu"},     {"海欣", "haixin"},
    {"宝成", "baocheng"},  {"利嘉", "lijia"},     {"顺昌", "shunchang"}, {"德鑫", "dexin"},    {"骏丰", "junfeng"},
};
/* first words for the firms after the first len(BRANDS): 字号 of four
 * characters. 21 words against 55 brands (coprime): the first 1,210 firms
 * get distinct 字号 */
static const char *const BRAND2[] = {"恒丰", "嘉诚", "富达", "金诚", "永丰", "宏信", "鼎盛", "昌隆", "瑞祥", "景泰",
                                     "元亨", "盛达", "华通", "广源", "同创", "弘毅", "裕隆", "正和", "德润", "祥瑞",
                                     "东升"};

void demo_brand(int64_t i, char out[32], const char **pinyin)
{
    int nb = COUNT(BRANDS);
    /* 13 is coprime with the pool size: neighbours get unrelated names */
    int b = (int)((i * 13) % nb);
    *pinyin = BRANDS[b].pinyin;
    if (i < nb) snprintf(out, 32, "%s", BRANDS[b].name);
    else snprintf(out, 32, "%s%s", BRAND2[(i - nb) % COUNT(BRAND2)], BRANDS[b].name);
}

static const char *const SURNAMES[] = {"陈", "林", "黄", "郑", "王", "吴", "张", "刘", "李", "杨", "许", "蔡",
                                       "游", "翁", "何", "江", "施", "叶", "卓", "高", "潘", "薛", "方", "邱"};
/* the first surnames weigh more: 陈林黄郑 are half of Fuzhou */
static const int SURNAME_W[] = {16, 15, 10, 8, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1, 2, 1, 1, 1, 1};
static const char *const GIVEN[] = {"志强", "建华", "丽娟", "晓明", "雪梅", "文斌", "海燕", "国平", "秀英", "永福",
                                    "思远", "婷婷", "伟", "敏", "俊杰", "佳怡", "宏伟", "榕生", "闽生", "春燕",
                                    "德明", "美玲", "少华", "金水", "炳辉", "依依", "家豪", "秋菊", "振华", "清华",
                                    "月娥", "文龙", "建平", "丽萍", "铭", "晨曦", "子涵", "锦辉", "福清", "宇航"};

static int pick_weighted(uint64_t *st, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) total += w[i];
    if (total <= 0) return 0;
    int r = demo_pick(st, total);
    for (int i = 0; i < n; i++) {
        if (r < w[i]) return i;
        r -= w[i];
    }
    return n - 1;
}

void demo_person(uint64_t *st, char out[16])
{
    snprintf(out, 16, "%s%s", SURNAMES[pick_weighted(st, SURNAME_W, COUNT(SURNAMES))], GIVEN[demo_pick(st, COUNT(GIVEN))]);
}

/* ---- credit codes ---- */

static const char USCC_ALPHA[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void uscc_finish(const char *region, char out[19])
{
    out[0] = '9';
    out[1] = '1';
    memcpy(out + 2, region, 6);
    out[17] = ent_uscc_check_char(out);
    out[18] = '\0';
}

void demo_uscc_random(uint64_t *st, const char *region, char out[19])
{
    for (int i = 8; i < 17; i++) out[i] = USCC_ALPHA[demo_pick(st, 31)];
    uscc_finish(region, out);
}

void demo_uscc_index(const char *region, int64_t index, char out[19])
{
    for (int i = 16; i >= 8; i--) {
        out[i] = USCC_ALPHA[index % 31];
        index /= 31;
    }
    uscc_finish(region, out);
}

/* ---- the firm ---- */

static int pick_district(uint64_t *st, const demo_avail *av)
{
    int w[16] = {0};
    for (int d = 0; d < DEMO_N_DISTRICTS; d++) w[d] = av->dist_ok[d] ? DEMO_DISTRICTS[d].weight : 0;
    return pick_weighted(st, w, DEMO_N_DISTRICTS);
}

static bool is_home(const demo_arch *a, const char *code)
{
    for (int k = 0; k < DEMO_MAX_HOMES && a->homes[k]; k++)
        if (strcmp(a->homes[k], code) == 0) return true;
    return false;
}

/* The kind of business: a sector by the district's mix, then an archetype
 * of it, six times as likely where it clusters (and only there for a
 * home_only one: no shipyard in the hills of 永泰). */
static int pick_arch(uint64_t *st, const demo_avail *av, const demo_district *dist)
{
    int secw[DEMO_N_SECTORS] = {0};
    int w[DEMO_ARCH_CAP] = {0};
    for (int a = 0; a < DEMO_N_ARCHS; a++) {
        bool home = is_home(&DEMO_ARCHS[a], dist->code);
        if (!av->arch_divs[a] || (DEMO_ARCHS[a].home_only && !home)) continue;
        w[a] = DEMO_ARCHS[a].weight * (home ? 6 : 1);
        secw[DEMO_ARCHS[a].sector] = dist->sector_w[DEMO_ARCHS[a].sector];
    }
    int sec = pick_weighted(st, secw, DEMO_N_SECTORS);
    for (int a = 0; a < DEMO_N_ARCHS; a++)
        if ((int)DEMO_ARCHS[a].sector != sec) w[a] = 0;
    return pick_weighted(st, w, DEMO_N_ARCHS);
}

static const char *const SCALES[] = {"large", "medium", "small", "micro"};
static const char *const TRADES[] = {"none", "export", "import", "both"};

/* staff size and registered capital (万元) that fit a scale */
static void size_firm(uint64_t *st, int scale, demo_firm *f)
{
    static const int CAP[4][6] = {{5000, 8000, 10000, 20000, 30000, 50000},
                                  {1000, 2000, 3000, 5000, 6000, 8000},
                                  {100, 200, 300, 500, 800, 1000},
                                  {10, 30, 50, 50, 100, 200}};
    static const char *const STAFF[4][4] = {{"1000_plus", "1000_plus", "300_999", "300_999"},
                                            {"100_299", "100_299", "100_299", "300_999"},
                                            {"20_99", "20_99", "20_99", "lt20"},
                                            {"lt20", "lt20", "lt20", "20_99"}};
    f->capital_yuan = (int64_t)CAP[scale][demo_pick(st, 6)] * 10000;
    f->staff_size = STAFF[scale][demo_pick(st, 4)];
}

static void add_char(demo_firm *f, const char *code)
{
    if (f->nchars < COUNT(f->chars)) f->chars[f->nchars++] = code;
}

static void characterize(uint64_t *st, int scale, demo_firm *f)
{
    const demo_arch *a = f->arch;
    int own = demo_pick(st, 100);
    f->foreign_owned = own < a->foreign_pct;
    f->state_owned = !f->foreign_owned && own < a->foreign_pct + a->state_pct;
    /* Taiwanese capital is the usual foreign capital in Fuzhou */
    add_char(f, f->foreign_owned ? (demo_pick(st, 5) < 3 ? "hmt" : "foreign") : f->state_owned ? "state" : "private");
    bool techy = a->tech_pct >= 30;
    f->hightech = scale != 3 && demo_pick(st, 100) < a->tech_pct;
    if (f->hightech) add_char(f, "hightech");
    if (techy && scale >= 2 && demo_pick(st, 2) == 0) add_char(f, "tech_sme");
    if (f->hightech && (scale == 1 || scale == 2) && demo_pick(st, 4) == 0) add_char(f, "srdi");
    bool goods = a->sector == DEMO_SEC_MFG || a->sector == DEMO_SEC_LIGHT || a->sector == DEMO_SEC_FOOD ||
                 a->sector == DEMO_SEC_TRADE;
    if (goods && scale <= 1 && demo_pick(st, 10) < 8) add_char(f, "above_scale");
    bool listed = scale == 0 && !f->state_owned && demo_pick(st, 4) == 0;
    if (listed) add_char(f, "listed");
    if (strcmp(f->trade, "none") != 0) add_char(f, "foreign_trade");

    if (listed) f->stage = "listed";
    else if (f->state_owned) f->stage = "not_needed";
    else if (techy) {
        static const char *const T[4][4] = {{"pre_ipo", "c_plus", "not_needed", "pre_ipo"},
                                            {"b", "c_plus", "a", "not_needed"},
                                            {"angel", "a", "none", "b"},
                                            {"none", "none", "angel", "not_needed"}};
        f->stage = T[scale][demo_pick(st, 4)];
    } else {
        static const char *const P[4][4] = {{"not_needed", "not_needed", "pre_ipo", "not_needed"},
                                            {"not_needed", "none", "not_needed", "a"},
                                            {"none", "not_needed", "none", "not_needed"},
                                            {"none", "none", "not_needed", "none"}};
        f->stage = P[scale][demo_pick(st, 4)];
    }
}

static void make_name(uint64_t *st, int scale, const char *brand, demo_firm *f)
{
    const demo_arch *a = f->arch;
    int nw = 0;
    while (nw < DEMO_MAX_WORDS && a->words[nw]) nw++;
    const char *word = a->words[demo_pick(st, nw)];
    /* big firms are more often companies limited by shares */
    const char *form = scale == 0 && demo_pick(st, 2) == 0 ? "股份有限公司" : scale == 1 && demo_pick(st, 6) == 0 ? "股份有限公司" : "有限公司";
    int p = demo_pick(st, 100);
    if (f->foreign_owned && p < 50 && strlen(brand) <= 6) {
        snprintf(f->name, sizeof f->name, "%s（福建）%s%s", brand, word, form);
        return;
    }
    const char *prefix;
    if (f->state_owned) prefix = scale <= 1 ? "福建省" : "福州市";
    else if (f->dist->prefix && p < 35) prefix = f->dist->prefix;
    else if (p < (scale <= 1 ? 65 : 80)) prefix = "福州";
    else prefix = "福建";
    snprintf(f->name, sizeof f->name, "%s%s%s%s", prefix, brand, word, form);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static void make_address(uint64_t *st, demo_firm *f)
{
    static const char *const TOWN_STREETS[] = {"建设路", "人民路", "中山路", "新华路", "工业路", "滨海路", "园区路", "兴业路"};
    static const char *const BUILDINGS[] = {"国际大厦", "商务中心", "金融中心", "创业大厦", "财富广场", "科技大厦"};
    const demo_district *d = f->dist;
    int nr = 0;
    while (nr < COUNT(d->roads) && d->roads[nr]) nr++;
    const char *road = d->roads[demo_pick(st, nr)];
    int no = 1 + demo_pick(st, 399);
    char where[128];
    /* an area (镇、街道、开发区) gets one of its streets; a road stands alone */
    bool is_road = (ends_with(road, "路") || ends_with(road, "大道") || ends_with(road, "街")) && !ends_with(road, "街道");
    if (is_road) snprintf(where, sizeof where, "%s", road);
    else snprintf(where, sizeof where, "%s%s", road, TOWN_STREETS[demo_pick(st, COUNT(TOWN_STREETS))]);
    demo_sector s = f->arch->sector;
    bool office = s == DEMO_SEC_TECH || s == DEMO_SEC_BIZ || s == DEMO_SEC_TRADE || s == DEMO_SEC_CULT;
    if (strcmp(road, "软件大道") == 0 && s == DEMO_SEC_TECH)
        snprintf(f->address, sizeof f->address, "福建省福州市%s软件大道89号福州软件园%c区%d号楼%d层", d->name,
                 "ABCF"[demo_pick(st, 4)], 1 + demo_pick(st, 40), 1 + demo_pick(st, 6));
    else if (office && is_road && demo_pick(st, 3))
        snprintf(f->address, sizeof f->address, "福建省福州市%s%s%d号%s%d%02d室", d->name, where, no,
                 BUILDINGS[demo_pick(st, COUNT(BUILDINGS))], 2 + demo_pick(st, 25), 1 + demo_pick(st, 20));
    else snprintf(f->address, sizeof f->address, "福建省福州市%s%s%d号", d->name, where, no);
}

void demo_firm_make(uint64_t *st, const demo_avail *av, int district, const char *brand, const char *pinyin, int year,
                    bool no_industry, demo_firm *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->brand, sizeof f->brand, "%s", brand);
    f->dist = &DEMO_DISTRICTS[district >= 0 ? district : pick_district(st, av)];
    int ai = pick_arch(st, av, f->dist);
    f->arch = &DEMO_ARCHS[ai];
    const demo_arch *a = f->arch;

    unsigned divs = av->arch_divs[ai];
    int k = (divs & 2u) && (!(divs & 1u) || demo_pick(st, 4) == 0) ? 1 : 0;
    f->industry = no_industry ? NULL : a->divs[k];

    int scale = pick_weighted(st, a->scale_w, 4);
    f->scale = SCALES[scale];
    size_firm(st, scale, f);
    f->trade = TRADES[pick_weighted(st, a->trade_w, 4)];
    characterize(st, scale, f);
    make_name(st, scale, brand, f);
    demo_person(st, f->person);
    make_address(st, f);

    /* big firms have been around longer; micro firms are mostly recent */
    int lo = a->since, hi = year - 1;
    if (scale == 0) hi = year - 8;
    if (scale == 3 && lo < year - 12) lo = year - 12;
    if (lo > hi) lo = hi;
    int y = lo + demo_pick(st, hi - lo + 1);
    snprintf(f->founded, sizeof f->founded, "%04d-%02d-%02d", y, 1 + demo_pick(st, 12), 1 + demo_pick(st, 28));

    if (strcmp(f->trade, "none") != 0) {
        /* 海关编码: district 3501, zone (2 = development zone), ownership, serial */
        bool zone = strcmp(f->dist->code, "350105") == 0 || strcmp(f->dist->code, "350181") == 0;
        char own = f->foreign_owned ? '4' : f->state_owned ? '1' : '6';
        snprintf(f->customs, sizeof f->customs, "3501%c%c%04d", zone ? '2' : '9', own, demo_pick(st, 10000));
    }
    if (pinyin) snprintf(f->email, sizeof f->email, "%s%d@example.com", pinyin, y);
}
