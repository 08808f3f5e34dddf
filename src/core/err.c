/*
 * err.c — error enum → HTTP status, machine code, default Chinese message.
 */
#include "core/err.h"

static const struct {
    int status;
    const char *code;
    const char *message;
} err_table[ZQ_E__COUNT] = {
    [ZQ_OK] = {200, "ok", "成功"},
    [ZQ_E_BAD_REQUEST] = {400, "bad_request", "请求格式不正确"},
    [ZQ_E_VALIDATION] = {400, "validation_failed", "提交的内容有误，请检查后重试"},
    [ZQ_E_BAD_JSON] = {400, "invalid_json", "请求内容不是有效的 JSON"},
    [ZQ_E_UNAUTHENTICATED] = {401, "unauthenticated", "请先登录"},
    [ZQ_E_LOGIN] = {401, "invalid_credentials", "账号或密码错误"},
    [ZQ_E_FORBIDDEN] = {403, "forbidden", "您没有执行此操作的权限"},
    [ZQ_E_CSRF] = {403, "csrf_failed", "安全校验失败，请刷新页面后重试"},
    [ZQ_E_PASSWORD_CHANGE] = {403, "password_change_required", "请先修改初始密码"},
    [ZQ_E_CONSENT_REQUIRED] = {403, "consent_required", "请先阅读并同意《用户协议》和《隐私政策》"},
    [ZQ_E_NOT_FOUND] = {404, "not_found", "请求的内容不存在"},
    [ZQ_E_METHOD] = {405, "method_not_allowed", "不支持该请求方法"},
    [ZQ_E_TIMEOUT] = {408, "request_timeout", "请求超时"},
    [ZQ_E_CONFLICT] = {409, "conflict", "数据已存在或状态已变化"},
    [ZQ_E_USCC_REGISTERED] = {409, "uscc_registered", "该统一社会信用代码已注册，您可以申请加入该企业"},
    [ZQ_E_PHONE_REGISTERED] = {409, "phone_registered", "该手机号已注册，请登录后在“切换企业—添加企业”中添加"},
    [ZQ_E_TEMPLATES_NOT_DOWNLOADED] = {422, "templates_not_downloaded", "请先下载申报附件后再进行项目申报"},
    [ZQ_E_TOO_LARGE] = {413, "payload_too_large", "提交的内容过大"},
    [ZQ_E_URI_TOO_LONG] = {414, "uri_too_long", "请求地址过长"},
    [ZQ_E_MEDIA_TYPE] = {415, "unsupported_media_type", "请求内容类型不受支持，请使用 application/json"},
    [ZQ_E_UNPROCESSABLE] = {422, "business_rule", "当前状态下不能执行此操作"},
    [ZQ_E_LOCKED] = {423, "account_locked", "账号已被临时锁定"},
    [ZQ_E_RATE_LIMITED] = {429, "rate_limited", "操作过于频繁，请稍后再试"},
    [ZQ_E_HEADERS_TOO_LARGE] = {431, "headers_too_large", "请求头过大"},
    [ZQ_E_INTERNAL] = {500, "internal_error", "服务器内部错误，请稍后重试"},
    [ZQ_E_UNAVAILABLE] = {503, "service_unavailable", "服务暂时不可用，请稍后重试"},
};

static int err_valid(zq_err e)
{
    return (int)e >= 0 && e < ZQ_E__COUNT;
}

int zq_err_status(zq_err e)
{
    return err_valid(e) ? err_table[e].status : 500;
}

const char *zq_err_code(zq_err e)
{
    return err_valid(e) ? err_table[e].code : "internal_error";
}

const char *zq_err_message(zq_err e)
{
    return err_valid(e) ? err_table[e].message : err_table[ZQ_E_INTERNAL].message;
}
