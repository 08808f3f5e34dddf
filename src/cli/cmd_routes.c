/*
 * cmd_routes.c — `zhengqi routes`: the route table as the server builds its
 * router from it, one route a line (TSV) or as JSON. For operators (what
 * does this build answer, who may call it, what does it audit) and for the
 * web suite's check that every audit action has a Chinese label.
 */
#include "cli/cli.h"
#include "app/routes.h"
#include "core/jsonw.h"
#include <stdio.h>
#include <string.h>

static const char *access_name(zq_access a)
{
    switch (a) {
    case ZQ_ACCESS_PUBLIC: return "public";
    case ZQ_ACCESS_SESSION: return "session";
    case ZQ_ACCESS_USER: return "user";
    case ZQ_ACCESS_MEMBER: return "member";
    case ZQ_ACCESS_STAFF: return "staff";
    }
    return "?";
}

static void print_json(void)
{
    zq_buf b;
    zq_buf_init(&b, 1u << 24);
    zq_jw w;
    zq_jw_init(&w, &b);
    zq_jw_arr(&w);
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
            const zq_route *rt = &zq_all_route_groups[g]->routes[k];
            char methods[96];
            zq_methods_str(rt->methods, methods, sizeof methods);
            zq_jw_obj(&w);
            zq_jw_kstr(&w, "methods", methods);
            zq_jw_kstr(&w, "pattern", rt->pattern);
            zq_jw_kstr(&w, "access", access_name(rt->access));
            zq_jw_kstr(&w, "perm", rt->perm);
            zq_jw_kstr(&w, "audit", rt->audit);
            zq_jw_obj_end(&w);
        }
    zq_jw_arr_end(&w);
    fwrite(b.data, 1, b.len, stdout);
    fputc('\n', stdout);
    zq_buf_free(&b);
}

int cli_routes(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json") != 0)) {
        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            printf("usage: zhengqi routes [--json]\n"
                   "列出全部接口：方法、路径、访问级别、权限、审计动作 (list every route)\n");
            return 0;
        }
        return cli_usage_error("routes", "unknown option");
    }
    if (argc == 2) {
        print_json();
        return 0;
    }
    for (size_t g = 0; g < zq_all_route_groups_n; g++)
        for (size_t k = 0; k < zq_all_route_groups[g]->n; k++) {
            const zq_route *rt = &zq_all_route_groups[g]->routes[k];
            char methods[96];
            zq_methods_str(rt->methods, methods, sizeof methods);
            printf("%s\t%s\t%s\t%s\t%s\n", methods, rt->pattern, access_name(rt->access), rt->perm ? rt->perm : "-",
                   rt->audit ? rt->audit : "-");
        }
    return 0;
}
