-- Notifications (issue 11, src/notify/ + src/jobs/): in-app messages, the
-- outbox the delivery worker sends (SMS, WeChat subscription messages),
-- staff-editable message templates, per-account channel settings, WeChat
-- bindings and one-time subscription grants, and the leases that make each
-- periodic task run once across instances.
--
-- Idempotency lives in the UNIQUE keys: one message per item × recipient,
-- one outbox row per item × recipient × channel, whatever the number of
-- publish clicks or worker instances (INSERT … ON CONFLICT DO NOTHING).

CREATE TABLE message_template (
  code                VARCHAR(64) PRIMARY KEY,          -- "policy.published"
  name                VARCHAR(64) NOT NULL,             -- 模板名称, shown in 微信订阅设置 and to staff
  topic               VARCHAR(16) NOT NULL,             -- policy | notice | trade | declaration | survey | consult | account
  title               VARCHAR(200) NOT NULL,            -- in-app title, {name} placeholders
  body                VARCHAR(1000) NOT NULL,           -- in-app text
  sms_text            VARCHAR(300) NOT NULL DEFAULT '', -- '' = this template sends no SMS
  wechat_template_id  VARCHAR(64) NOT NULL DEFAULT '',  -- '' = no WeChat subscription message
  wechat_fields       VARCHAR(2000) NOT NULL DEFAULT '{}', -- {"thing1":"{title}","time2":"{date}"}
  updated_at          BIGINT NOT NULL DEFAULT 0,
  updated_by          BIGINT
);

CREATE TABLE message (
  id             {ID},
  account_kind   VARCHAR(8) NOT NULL,                   -- user | staff
  account_id     BIGINT NOT NULL,
  enterprise_id  BIGINT NOT NULL DEFAULT 0,             -- the firm it concerns, 0 = none
  topic          VARCHAR(16) NOT NULL,
  template_code  VARCHAR(64) NOT NULL,
  ref_type       VARCHAR(32) NOT NULL,
  ref_id         BIGINT NOT NULL,
  title          VARCHAR(200) NOT NULL,
  body           VARCHAR(1000) NOT NULL,
  link           VARCHAR(300) NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  read_at        BIGINT NOT NULL DEFAULT 0,
  UNIQUE (ref_type, ref_id, template_code, account_kind, account_id)
);
-- the account's messages, newest first; unread counts
CREATE INDEX message_account ON message(account_kind, account_id, id);
CREATE INDEX message_unread ON message(account_kind, account_id, read_at);

CREATE TABLE notify_outbox (
  id             {ID},
  channel        VARCHAR(8) NOT NULL,                   -- sms | wechat
  account_kind   VARCHAR(8) NOT NULL,
  account_id     BIGINT NOT NULL,
  enterprise_id  BIGINT NOT NULL DEFAULT 0,
  region         VARCHAR(12) NOT NULL DEFAULT '',       -- the firm's district (staff see their district's rows)
  topic          VARCHAR(16) NOT NULL,
  template_code  VARCHAR(64) NOT NULL,
  ref_type       VARCHAR(32) NOT NULL,
  ref_id         BIGINT NOT NULL,
  body           VARCHAR(2000) NOT NULL,                -- SMS text, or the WeChat data object (JSON)
  link           VARCHAR(300) NOT NULL DEFAULT '',      -- the page a WeChat message opens
  status         VARCHAR(8) NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed | skipped
  attempts       INTEGER NOT NULL DEFAULT 0,
  next_at        BIGINT NOT NULL,                       -- due time; while sending, the claim's expiry
  claim          BIGINT NOT NULL DEFAULT 0,             -- the pass that holds it
  last_error     VARCHAR(500) NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  sent_at        BIGINT NOT NULL DEFAULT 0,
  UNIQUE (ref_type, ref_id, template_code, account_kind, account_id, channel)
);
-- due rows; also a pass's own claimed rows (status 'sending'), so claim needs no index of its own
CREATE INDEX notify_outbox_due ON notify_outbox(status, next_at);
CREATE INDEX notify_outbox_region ON notify_outbox(region, id);
CREATE INDEX notify_outbox_ref ON notify_outbox(ref_type, ref_id, channel, status);

CREATE TABLE notify_setting (
  account_kind  VARCHAR(8) NOT NULL,
  account_id    BIGINT NOT NULL,
  topic         VARCHAR(16) NOT NULL,
  channel       VARCHAR(8) NOT NULL,                    -- sms | wechat (in-app cannot be turned off)
  enabled       SMALLINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (account_kind, account_id, topic, channel)
);

CREATE TABLE wechat_binding (
  user_id     BIGINT PRIMARY KEY REFERENCES app_user(id),
  openid      VARCHAR(64) NOT NULL UNIQUE,
  created_at  BIGINT NOT NULL
);

CREATE TABLE wechat_grant (
  user_id        BIGINT NOT NULL REFERENCES app_user(id),
  template_code  VARCHAR(64) NOT NULL,
  remaining      INTEGER NOT NULL DEFAULT 0,
  enabled        SMALLINT NOT NULL DEFAULT 1,           -- the member's on/off in 微信订阅设置
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (user_id, template_code)
);

CREATE TABLE job_lease (
  name   VARCHAR(64) PRIMARY KEY,
  until  BIGINT NOT NULL DEFAULT 0,
  ran_at BIGINT NOT NULL DEFAULT 0
);

INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('policy.published', '政策推送', 'policy', '新政策：{title}', '您的企业收到一条新政策《{title}》{doc_no}，请及时查看。',
  '【政企互动平台】您的企业收到新政策《{title}》，请登录平台查看。', 'POLICY_PUSH', '{"thing1":"{title}","thing2":"{department}","time3":"{date}"}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('notice.published', '通知公告', 'notice', '新公告：{title}', '商务局发布了通知公告《{title}》，请及时查看。',
  '【政企互动平台】商务局发布通知公告《{title}》，请登录平台查看。', 'NOTICE_PUSH', '{"thing1":"{title}","time2":"{date}"}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('account.notice', '账号通知', 'account', '{title}', '{text}', '', '', '{}');

-- who may edit templates and see every delivery: the city's 系统管理 side
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'notify.manage' FROM staff_role_def WHERE builtin = 'city';
