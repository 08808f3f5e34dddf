/*
 * notify_internal.h — what the files of notify/ share: a template rendered
 * for one call, the channel defaults, the topic list.
 */
#ifndef ZQ_NOTIFY_INTERNAL_H
#define ZQ_NOTIFY_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"
#include "notify/notify.h"

/* Column caps in characters (0016_notify.sql). */
#define NOTIFY_TITLE_MAX 200
#define NOTIFY_BODY_MAX 1000
#define NOTIFY_SMS_MAX 300
#define NOTIFY_WECHAT_MAX 2000
#define NOTIFY_LINK_MAX 300
/* A WeChat "thing" field holds at most 20 characters, other kinds 32. */
#define NOTIFY_WECHAT_THING_MAX 20
#define NOTIFY_WECHAT_VALUE_MAX 32

typedef struct {
    const char *title, *body;  /* in-app */
    const char *sms;           /* "" = the template sends no SMS */
    const char *wechat;        /* WeChat data object as JSON, "" = no WeChat */
} notify_rendered;

/* Loads template m->template_code and fills it with m->params_json (and
 * {date}, today in China). DB_OK, DB_DONE when the template does not exist,
 * or a db_rc. Strings in a. */
int notify_render(db_conn *c, zq_arena *a, const notify_msg *m, int64_t now, notify_rendered *out);
/* `text` with every {name} replaced by the parameter's value (strings as
 * they are, numbers written out, others and unknown names empty), cut to
 * max_chars characters. Exposed for the template editor's preview. */
const char *notify_fill(zq_arena *a, const char *text, const char *params_json, int64_t now, size_t max_chars);

/* The topics of notify_msg.topic, in display order, with their names. */
typedef struct { const char *code, *name; } notify_topic;
extern const notify_topic notify_topics[];
extern const int notify_ntopics;
bool notify_topic_known(const char *topic);
/* A channel's setting when the account never chose: see docs/notify.md. */
bool notify_channel_default(const char *topic, const char *channel);

#endif
