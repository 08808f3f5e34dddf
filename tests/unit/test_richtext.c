/*
 * test_richtext.c — the HTML sanitizer against XSS payloads: script and
 * style, event attributes, javascript:/data: links (with entities, white
 * space and case tricks), SVG and MathML, malformed nesting, comments and
 * CDATA, foreign images; and that allowed markup and text survive.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <strings.h>
#include "core/arena.h"
#include "richtext/richtext.h"

static const char *clean(zq_arena *a, const char *in)
{
    richtext_out o;
    assert_int_equal(richtext_clean(a, in, strlen(in), &o), 0);
    return o.html;
}

/* Nothing executable: no script/style/svg element, no on* attribute, no
 * javascript:/data:/vbscript: URL, no style attribute, in any case. */
static void assert_harmless(const char *html)
{
    static const char *const bad[] = {
        "<script", "<style", "<svg", "<iframe", "<object", "<embed", "<math", "<form", "<base", "<meta",
        "<link", " on", "javascript:", "vbscript:", "data:", "style=", "srcdoc", "<!--", "<![cdata", "xlink", NULL,
    };
    char low[8192];
    size_t n = strlen(html);
    assert_true(n < sizeof low);
    for (size_t i = 0; i <= n; i++) low[i] = (char)(html[i] >= 'A' && html[i] <= 'Z' ? html[i] + 32 : html[i]);
    for (const char *const *b = bad; *b; b++)
        if (strstr(low, *b)) fail_msg("unsafe %s in: %s", *b, html);
}

static void test_allowed_markup_stays(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    const char *in = "<h2>第一条</h2><p>对<strong>出口信用保险</strong>保费给予<em>50%</em>补助。</p>"
                     "<ul><li>一</li><li>二</li></ul><table><thead><tr><th>项目</th></tr></thead>"
                     "<tbody><tr><td colspan=\"2\">补助</td></tr></tbody></table><blockquote>引</blockquote>";
    const char *out = clean(a, in);
    assert_string_equal(out, in);
    richtext_out o;
    assert_int_equal(richtext_clean(a, in, strlen(in), &o), 0);
    assert_non_null(strstr(o.text, "出口信用保险"));
    assert_null(strchr(o.text, '<'));
    zq_arena_free(a);
}

static void test_script_and_style_vanish(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    const char *out = clean(a, "<p>前<script>alert(1)</script>后</p><style>p{color:red}</style><SCRIPT SRC=//x.js></SCRIPT>");
    assert_string_equal(out, "<p>前后</p>");
    out = clean(a, "<scr<script>ipt>alert(1)</script>");
    assert_harmless(out);
    out = clean(a, "<p><noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript></p>");
    assert_harmless(out);
    zq_arena_free(a);
}

static void test_event_and_style_attributes_dropped(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    assert_string_equal(clean(a, "<p onclick=\"alert(1)\" style=\"x\" class=\"c\" id=\"i\">文</p>"), "<p>文</p>");
    assert_string_equal(clean(a, "<b onmouseover=alert(1)>粗</b>"), "<b>粗</b>");
    const char *out = clean(a, "<img src=\"/api/v1/files/12\" onerror=\"alert(1)\">");
    assert_string_equal(out, "<img src=\"/api/v1/files/12\">");
    assert_harmless(clean(a, "<div/onmouseover='alert(1)'>x</div><p/onclick=alert(1)>y"));
    zq_arena_free(a);
}

static void test_links(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    assert_string_equal(clean(a, "<a href=\"https://www.mofcom.gov.cn/a?b=1&amp;c=2\" target=\"_top\">商务部</a>"),
                        "<a href=\"https://www.mofcom.gov.cn/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">商务部</a>");
    assert_string_equal(clean(a, "<a href=\"http://x.cn\" target=\"_blank\" rel=\"opener\">x</a>"),
                        "<a href=\"http://x.cn\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
    static const char *const evil[] = {
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"//evil.example/\">x</a>",
        "<a href=\"/relative\">x</a>",
        "<a href=\"http:\">x</a>",
        NULL,
    };
    for (const char *const *e = evil; *e; e++) {
        const char *out = clean(a, *e);
        assert_harmless(out);
        if (strcmp(out, "x") != 0) fail_msg("%s gave %s", *e, out);
    }
    zq_arena_free(a);
}

static void test_images_only_own_files(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    assert_string_equal(clean(a, "<img src=\"https://evil.example/x.png\">"), "");
    assert_string_equal(clean(a, "<img src=\"data:image/png;base64,AAAA\">"), "");
    assert_string_equal(clean(a, "<img src=\"/api/v1/files/1/../../x\">"), "");
    assert_string_equal(clean(a, "<img src=\"/api/v1/files/7\" alt=\"&quot;onerror=x\">"),
                        "<img src=\"/api/v1/files/7\" alt=\"&quot;onerror=x\">");
    zq_arena_free(a);
}

static void test_svg_math_and_frames_vanish(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    static const char *const evil[] = {
        "<svg onload=alert(1)><script>alert(2)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<base href=\"javascript:/\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=stylesheet href=\"javascript:alert(1)\">",
        "<video><source onerror=\"alert(1)\"></video>",
        NULL,
    };
    for (const char *const *e = evil; *e; e++) assert_harmless(clean(a, *e));
    zq_arena_free(a);
}

static void test_malformed_comments_cdata(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(1 << 20);
    static const char *const evil[] = {
        "<p><b><i>嵌套</p></b></i><li>孤立",
        "<!-- <script>alert(1)</script> -->正文",
        "<!--><script>alert(1)</script>-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<p title=\"</p><script>alert(1)</script>\">x</p>",
        "<<script>alert(1);//<</script>",
        "<img src=\"/api/v1/files/3\"\"onerror=alert(1)>",
        "<a href=\"https://x.cn\"onclick=alert(1)>x</a>",
        "<table><tr><td><script>alert(1)</script></td></tr></table>",
        "<p>未闭合<a href=\"javascript:alert(1)\"",
        "</p></p></div><p>",
        "<?xml-stylesheet href=\"javascript:alert(1)\"?><p>x</p>",
        "<!DOCTYPE html><html><head><script>alert(1)</script></head><body onload=alert(1)>x</body></html>",
        NULL,
    };
    for (const char *const *e = evil; *e; e++) assert_harmless(clean(a, *e));
    /* bare text gets the paragraph the parser implies */
    assert_string_equal(clean(a, "<!-- 注释 -->正文"), "<p>正文</p>");
    /* very deep nesting is flattened, its text kept */
    char deep[4096] = "";
    for (int i = 0; i < 200; i++) strcat(deep, "<b>"); /* past RT_MAX_DEPTH, below libxml2's own cap */
    strcat(deep, "深");
    const char *out = clean(a, deep);
    assert_non_null(strstr(out, "深"));
    zq_arena_free(a);
}

static void test_text_escaped_and_limits(void **st)
{
    (void)st;
    zq_arena *a = zq_arena_new(4 << 20);
    assert_string_equal(clean(a, "1 &lt; 2 &amp;&amp; 3 &gt; 2"), "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>");
    assert_string_equal(clean(a, ""), "");
    richtext_out o;
    static char big[RICHTEXT_MAX_IN + 2];
    memset(big, 'a', sizeof big - 1);
    assert_int_equal(richtext_clean(a, big, sizeof big - 1, &o), -1);
    assert_true(richtext_link_ok("https://x.cn"));
    assert_false(richtext_link_ok("javascript:alert(1)"));
    zq_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed_markup_stays),
        cmocka_unit_test(test_script_and_style_vanish),
        cmocka_unit_test(test_event_and_style_attributes_dropped),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_images_only_own_files),
        cmocka_unit_test(test_svg_math_and_frames_vanish),
        cmocka_unit_test(test_malformed_comments_cdata),
        cmocka_unit_test(test_text_escaped_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
