-- Foreign-trade forecasts (issue 12, src/trade/): the monitored list's
-- explicit additions and removals, monthly forecast tasks and one report per
-- firm, every version of a report, customs actuals imported by the bureau,
-- YoY thresholds per year and the monthly schedule.
-- Money is integer 元 (the API speaks 万元 with up to 4 places: 1 元 exact).

CREATE TABLE trade_monitor (
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  direction      VARCHAR(8) NOT NULL,                 -- export | import
  monitored      SMALLINT NOT NULL,                   -- 1 added explicitly, 0 dropped explicitly
  reason         VARCHAR(500) NOT NULL,
  updated_by     BIGINT,
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, direction)
);

CREATE TABLE trade_task (
  id           {ID},
  year         INTEGER NOT NULL,
  month        INTEGER NOT NULL,                      -- the reporting month (本月)
  direction    VARCHAR(8) NOT NULL,
  name         VARCHAR(200) NOT NULL,
  deadline     VARCHAR(10) NOT NULL,                  -- YYYY-MM-DD, the last day to report
  deadline_at  BIGINT NOT NULL,                       -- the first second after it (Asia/Shanghai)
  targets_json VARCHAR(8000),                         -- targets/ canonical JSON, NULL = every monitored firm
  note         VARCHAR(500) NOT NULL DEFAULT '',
  source       VARCHAR(8) NOT NULL DEFAULT 'manual',  -- manual | schedule
  reports      INTEGER NOT NULL DEFAULT 0,
  created_by   BIGINT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX trade_task_period ON trade_task(direction, year, month);
-- the schedule creates a month's task once, whatever the number of instances
CREATE UNIQUE INDEX trade_task_scheduled ON trade_task(year, month, direction) WHERE source = 'schedule';

CREATE TABLE trade_report (
  id                {ID},
  task_id           BIGINT NOT NULL REFERENCES trade_task(id) ON DELETE CASCADE,
  enterprise_id     BIGINT NOT NULL REFERENCES enterprise(id),
  region            VARCHAR(12) NOT NULL,             -- the firm's district when the task was made
  year              INTEGER NOT NULL,
  month             INTEGER NOT NULL,
  direction         VARCHAR(8) NOT NULL,
  status            VARCHAR(16) NOT NULL DEFAULT 'not_reported', -- not_reported | draft | pending | approved | returned
  month_amt         BIGINT,                           -- 元; NULL = not filled
  ytd_amt           BIGINT,
  next_month_amt    BIGINT,
  next_quarter_amt  BIGINT,
  month_reason      VARCHAR(2000) NOT NULL DEFAULT '',
  ytd_reason        VARCHAR(2000) NOT NULL DEFAULT '',
  flags             VARCHAR(64) NOT NULL DEFAULT '',   -- outlier codes, space-separated
  version           INTEGER NOT NULL DEFAULT 1,
  reopened          SMALLINT NOT NULL DEFAULT 0,       -- staff reopened it past the deadline
  return_reason     VARCHAR(2000) NOT NULL DEFAULT '',
  submitted_at      BIGINT NOT NULL DEFAULT 0,
  submitted_by      BIGINT,
  reviewed_at       BIGINT NOT NULL DEFAULT 0,
  reviewed_by       BIGINT,
  reminded_on       VARCHAR(10) NOT NULL DEFAULT '',   -- last 催报 day (Asia/Shanghai)
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  UNIQUE (task_id, enterprise_id)
);
CREATE INDEX trade_report_task ON trade_report(task_id, region, status);
CREATE INDEX trade_report_firm ON trade_report(enterprise_id, direction, year, month);
CREATE INDEX trade_report_period ON trade_report(direction, year, month, status);

CREATE TABLE trade_report_version (
  report_id    BIGINT NOT NULL REFERENCES trade_report(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  action       VARCHAR(16) NOT NULL,                  -- save | submit | withdraw | approve | return | reopen
  status       VARCHAR(16) NOT NULL,                  -- the status after the action
  values_json  VARCHAR(8000) NOT NULL,                -- the amounts (万元 strings) and reasons after it
  actor_kind   VARCHAR(8) NOT NULL,                   -- user | staff | system
  actor_id     BIGINT NOT NULL DEFAULT 0,
  actor_name   VARCHAR(64) NOT NULL DEFAULT '',
  at           BIGINT NOT NULL,
  PRIMARY KEY (report_id, version)
);

CREATE TABLE trade_actual (
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  year           INTEGER NOT NULL,
  month          INTEGER NOT NULL,
  direction      VARCHAR(8) NOT NULL,
  amount         BIGINT NOT NULL,                     -- 元
  imported_by    BIGINT,
  imported_at    BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, direction, year, month)
);
CREATE INDEX trade_actual_period ON trade_actual(direction, year, month);

-- YoY thresholds in tenths of a percent (manual: 当月降20增10, 累计降20增15)
CREATE TABLE trade_threshold (
  year        INTEGER PRIMARY KEY,
  month_down  INTEGER NOT NULL,
  month_up    INTEGER NOT NULL,
  ytd_down    INTEGER NOT NULL,
  ytd_up      INTEGER NOT NULL,
  updated_by  BIGINT,
  updated_at  BIGINT NOT NULL
);

-- one row (id 1): the monthly automation and the automatic reminder
CREATE TABLE trade_schedule (
  id            INTEGER PRIMARY KEY,
  enabled       SMALLINT NOT NULL DEFAULT 0,
  create_day    INTEGER NOT NULL DEFAULT 20,          -- day of the month the tasks are made
  deadline_day  INTEGER NOT NULL DEFAULT 28,          -- their deadline, same month
  directions    VARCHAR(16) NOT NULL DEFAULT 'export import',
  remind_days   INTEGER NOT NULL DEFAULT 3,           -- automatic 催报 this many days before the deadline, 0 = off
  updated_by    BIGINT,
  updated_at    BIGINT NOT NULL DEFAULT 0
);
INSERT INTO trade_schedule(id) VALUES (1);

INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('trade.task_created', '外贸预测上报提醒', 'trade', '外贸预测上报：{name}', '商务局发布了《{name}》，请于{deadline}前完成申报。',
  '【政企互动平台】请于{deadline}前完成《{name}》申报。', 'TRADE_REPORT', '{"thing1":"{name}","time2":"{deadline}"}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('trade.remind', '外贸预测上报提醒', 'trade', '催报：{name}', '您的企业尚未完成《{name}》，截止日期{deadline}，请尽快申报。',
  '【政企互动平台】您的企业尚未完成《{name}》申报，截止{deadline}，请尽快登录平台申报。', 'TRADE_REPORT', '{"thing1":"{name}","time2":"{deadline}"}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('trade.approved', '外贸预测审核结果', 'trade', '申报已通过：{name}', '您的企业提交的《{name}》已审核通过。', '', '', '{}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('trade.returned', '外贸预测审核结果', 'trade', '申报被退回：{name}', '您的企业提交的《{name}》被退回，原因：{reason}。请修改后重新提交。',
  '【政企互动平台】您的企业提交的《{name}》被退回，请登录平台修改后重新提交。', '', '{}');

-- city staff manage and review the module; district staff review their district's reports
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'trade.manage' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'trade.review' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'trade.review' FROM staff_role_def WHERE builtin = 'district';
