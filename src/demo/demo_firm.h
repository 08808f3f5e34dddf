/*
 * demo_firm.h — what a generated demo firm is made of, so that its name,
 * industry, business scope, scale, capital, staff, trade and district
 * belong together as they would in a real Fuzhou directory. Archetypes
 * (demo_arch.c) describe one kind of business each; districts
 * (demo_place.c) say which kinds settle where and on which roads;
 * demo_firm.c draws one firm from both. seed-demo and `--bulk N` use the
 * same tables; everything is const and derived from the caller's
 * generator state, so a seed gives the same city every time.
 */
#ifndef ZQ_DEMO_FIRM_H
#define ZQ_DEMO_FIRM_H
#include <stdbool.h>
#include <stdint.h>

struct db_conn;

/* The broad kind of business: districts weigh these (demo_place.c). */
typedef enum {
    DEMO_SEC_MFG,      /* machinery, electronics, chemicals, metals, vehicles, ships */
    DEMO_SEC_LIGHT,    /* textiles, garments, shoes, crafts, furniture, plastics */
    DEMO_SEC_FOOD,     /* fisheries, food processing, tea, farming */
    DEMO_SEC_TRADE,    /* wholesale and retail */
    DEMO_SEC_TECH,     /* software, internet, R&D, testing */
    DEMO_SEC_BIZ,      /* consulting, advertising, HR, leasing, property */
    DEMO_SEC_LOGI,     /* road and water transport, forwarding, storage */
    DEMO_SEC_BUILD,    /* construction and decoration */
    DEMO_SEC_HOSP,     /* hotels and restaurants, repairs, household services */
    DEMO_SEC_CULT,     /* culture, film, sport, leisure */
    DEMO_N_SECTORS
} demo_sector;

#define DEMO_MAX_DIVS 2
#define DEMO_MAX_WORDS 4
#define DEMO_MAX_HOMES 6

typedef struct {
    const char *key;                       /* short id for messages */
    demo_sector sector;
    int weight;                            /* relative frequency inside its sector */
    const char *divs[DEMO_MAX_DIVS];       /* GB/T 4754 divisions it registers under; first is usual */
    const char *words[DEMO_MAX_WORDS];     /* 行业词 of the name (NULL-terminated) */
    const char *keyword;                   /* a word its 经营范围 always contains (checked by tests) */
    const char *scope;                     /* 经营范围, ends with the 依法须经批准 clause */
    const char *intro;                     /* 企业简介 */
    int scale_w[4];                        /* weights of large, medium, small, micro */
    int trade_w[4];                        /* weights of none, export, import, both */
    int foreign_pct, state_pct;            /* ownership: 外资/港澳台, 国有; the rest 民营 */
    int tech_pct;                          /* 高新技术企业 among its small-and-larger firms */
    int since;                             /* earliest founding year that makes sense */
    const char *homes[DEMO_MAX_HOMES];     /* districts (codes) where it clusters; NULL-terminated */
    unsigned profile;                      /* DEMO_P_* bits: which profile records fit */
    bool home_only;                        /* found only in its homes (the sea, the bay's steelworks) */
} demo_arch;

/* Profile records that fit an archetype (demo_profile.c). */
#define DEMO_P_PATENT 1u      /* invention / utility patents */
#define DEMO_P_SOFTWARE 2u    /* software copyrights */
#define DEMO_P_RD 4u          /* R&D input and a technology project */
#define DEMO_P_PARK 8u        /* sits in an industrial or software park */

typedef struct {
    const char *code, *name, *slug;        /* 350102, 鼓楼区, gulou (staff username) */
    const char *prefix;                    /* 名称 prefix besides 福州/福建: 福清市, 长乐, … or NULL */
    int weight;                            /* share of the city's firms */
    int sector_w[DEMO_N_SECTORS];
    const char *roads[8];                  /* 街道/路 of the district, NULL-terminated */
    const char *park;                      /* its industrial park, for profile carriers */
} demo_district;

extern const demo_arch DEMO_ARCHS[];
extern const int DEMO_N_ARCHS;
extern const demo_district DEMO_DISTRICTS[];
extern const int DEMO_N_DISTRICTS;

/* The 依法须经批准 clause every scope ends with. */
#define DEMO_SCOPE_TAIL "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"

/* Which archetypes and districts the database's dictionaries accept
 * (enabled division / district codes); the generator draws only those. */
#define DEMO_ARCH_CAP 96
typedef struct {
    unsigned char arch_divs[DEMO_ARCH_CAP]; /* bit k: divs[k] is an enabled division */
    bool dist_ok[16];
} demo_avail;

/* Fills av from the dictionaries. DB_OK, or a db_rc; DB_DONE when no
 * archetype or no district is usable (dictionaries not migrated). */
int demo_avail_load(struct db_conn *db, demo_avail *av);

/* One generated firm; strings point into the tables or the buffers here. */
typedef struct demo_firm {
    const demo_arch *arch;
    const demo_district *dist;
    const char *industry;                  /* a division of arch, NULL when left empty */
    const char *scale, *staff_size, *stage, *trade;
    const char *chars[6];
    int nchars;
    bool hightech, foreign_owned, state_owned;
    int64_t capital_yuan;
    char name[192];
    char brand[32];                        /* 字号 */
    char person[16];                       /* legal representative */
    char address[192];
    char founded[11];
    char customs[11];                      /* "" unless the firm trades abroad */
    char email[64];
} demo_firm;

/* Generator state: splitmix64. */
uint64_t demo_rand(uint64_t *state);
int demo_pick(uint64_t *state, int n);

/* The i-th seeded firm's 字号 (distinct for the first thousand firms)
 * into out, and its pinyin for the e-mail address. */
void demo_brand(int64_t i, char out[32], const char **pinyin);

/* Draws a firm. district: an index into DEMO_DISTRICTS, or -1 to draw one
 * by weight. brand: the 字号; pinyin: for the e-mail (NULL: no e-mail).
 * year: the current year (founding dates stay before it). no_industry:
 * leave the industry empty (the manual's 重点提示 asks such firms to fill
 * it in). */
void demo_firm_make(uint64_t *state, const demo_avail *av, int district, const char *brand, const char *pinyin,
                    int year, bool no_industry, demo_firm *f);

/* A valid USCC of a 企业 (91) in district `region` (6 digits): the nine
 * body characters drawn from st, or (uscc_index) the index written in base
 * 31, which keeps bulk firms distinct. */
void demo_uscc_random(uint64_t *st, const char *region, char out[19]);
void demo_uscc_index(const char *region, int64_t index, char out[19]);

/* A legal representative's or contact's name: common Fujian surnames. */
void demo_person(uint64_t *state, char out[16]);

#endif
