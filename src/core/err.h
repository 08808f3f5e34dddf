/*
 * err.h — the one project error enum. Each value maps, in err.c and only
 * there, to an HTTP status, a machine code for the API envelope and a
 * default Chinese message for the person reading it.
 */
#ifndef ZQ_ERR_H
#define ZQ_ERR_H

typedef enum {
    ZQ_OK = 0,
    ZQ_E_BAD_REQUEST,       /* 400 bad_request */
    ZQ_E_VALIDATION,        /* 400 validation_failed (with fields) */
    ZQ_E_BAD_JSON,          /* 400 invalid_json */
    ZQ_E_UNAUTHENTICATED,   /* 401 unauthenticated */
    ZQ_E_LOGIN,             /* 401 invalid_credentials (wrong or unknown account, wrong password) */
    ZQ_E_FORBIDDEN,         /* 403 forbidden */
    ZQ_E_CSRF,              /* 403 csrf_failed */
    ZQ_E_PASSWORD_CHANGE,   /* 403 password_change_required */
    ZQ_E_CONSENT_REQUIRED,  /* 403 consent_required (用户协议/隐私政策 not yet agreed) */
    ZQ_E_NOT_FOUND,         /* 404 not_found */
    ZQ_E_METHOD,            /* 405 method_not_allowed */
    ZQ_E_TIMEOUT,           /* 408 request_timeout */
    ZQ_E_CONFLICT,          /* 409 conflict */
    ZQ_E_USCC_REGISTERED,   /* 409 uscc_registered (registration: offer the join flow) */
    ZQ_E_PHONE_REGISTERED,  /* 409 phone_registered (registration: log in and add the enterprise) */
    ZQ_E_TOO_LARGE,         /* 413 payload_too_large */
    ZQ_E_URI_TOO_LONG,      /* 414 uri_too_long */
    ZQ_E_MEDIA_TYPE,        /* 415 unsupported_media_type */
    ZQ_E_UNPROCESSABLE,     /* 422 business_rule */
    ZQ_E_TEMPLATES_NOT_DOWNLOADED, /* 422 templates_not_downloaded (declarations: 请先下载申报附件) */
    ZQ_E_LOCKED,            /* 423 account_locked */
    ZQ_E_RATE_LIMITED,      /* 429 rate_limited */
    ZQ_E_HEADERS_TOO_LARGE, /* 431 headers_too_large */
    ZQ_E_INTERNAL,          /* 500 internal_error */
    ZQ_E_UNAVAILABLE,       /* 503 service_unavailable */
    ZQ_E__COUNT
} zq_err;

int zq_err_status(zq_err e);
const char *zq_err_code(zq_err e);
const char *zq_err_message(zq_err e);

#endif
