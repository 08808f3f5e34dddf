-- Project declarations (issue 13, src/declare/): the bureau's calls
-- (申报通知) with their template files, material slots, form fields,
-- review levels and scoring criteria; the firms' applications with their
-- materials, every submitted version, the timeline of decisions and the
-- reviewers' scores; which firm downloaded a call's templates (the manual's
-- 「请先下载申报附件后再进行项目申报」).
--
-- Bureau-owned files: a call's templates belong to no enterprise, so they
-- live in bureau_file (same deduplicated blob store as upload), uploaded by
-- staff through POST /api/v1/admin/uploads?name= (src/upload/bureau.c).

CREATE TABLE bureau_file (
  id          {ID},
  sha256      VARCHAR(64) NOT NULL REFERENCES file_blob(sha256),
  name        VARCHAR(480) NOT NULL,
  size        BIGINT NOT NULL,
  mime        VARCHAR(100) NOT NULL,
  staff_id    BIGINT,
  created_at  BIGINT NOT NULL
);

CREATE TABLE decl_call (
  id              {ID},
  status          VARCHAR(12) NOT NULL DEFAULT 'draft',   -- draft | published | closed | results
  title           VARCHAR(400) NOT NULL,
  body_html       TEXT NOT NULL,                          -- sanitized (src/richtext)
  body_text       TEXT NOT NULL,                          -- its visible text, for search
  department      VARCHAR(200),
  policy_id       BIGINT,                                 -- content_item it implements
  contact         VARCHAR(200),
  targets_json    TEXT NOT NULL DEFAULT '{}',             -- targets_to_json (src/targets)
  region          VARCHAR(12),                            -- creator's district, NULL = city
  open_at         BIGINT NOT NULL,
  close_at        BIGINT NOT NULL,
  levels          VARCHAR(20) NOT NULL DEFAULT 'district,city',
  slots_json      TEXT NOT NULL DEFAULT '[]',
  fields_json     TEXT NOT NULL DEFAULT '[]',
  criteria_json   TEXT NOT NULL DEFAULT '[]',
  published_at    BIGINT NOT NULL DEFAULT 0,
  closed_at       BIGINT NOT NULL DEFAULT 0,
  results_at      BIGINT NOT NULL DEFAULT 0,
  objection_until BIGINT NOT NULL DEFAULT 0,
  created_by      BIGINT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX decl_call_status ON decl_call(status, open_at);

CREATE TABLE decl_template (
  call_id   BIGINT NOT NULL REFERENCES decl_call(id) ON DELETE CASCADE,
  file_id   BIGINT NOT NULL REFERENCES bureau_file(id),
  sort      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (call_id, file_id)
);

-- someone of the firm downloaded the call's templates (first time kept)
CREATE TABLE decl_download (
  call_id        BIGINT NOT NULL REFERENCES decl_call(id) ON DELETE CASCADE,
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  user_id        BIGINT,
  at             BIGINT NOT NULL,
  PRIMARY KEY (call_id, enterprise_id)
);

CREATE TABLE decl_app (
  id               {ID},
  call_id          BIGINT NOT NULL REFERENCES decl_call(id),
  enterprise_id    BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  region           VARCHAR(12),                           -- the firm's district when created
  status           VARCHAR(16) NOT NULL DEFAULT 'draft',  -- draft | submitted | district_review | city_review | returned | approved | rejected | withdrawn
  no               VARCHAR(32),                           -- 申报编号, given at the first submit
  fields_json      TEXT NOT NULL DEFAULT '{}',
  version          INTEGER NOT NULL DEFAULT 0,            -- submitted versions so far
  submitted_at     BIGINT NOT NULL DEFAULT 0,
  return_reason    VARCHAR(1000),
  return_deadline  BIGINT NOT NULL DEFAULT 0,
  decided_at       BIGINT NOT NULL DEFAULT 0,
  created_by       BIGINT,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  UNIQUE (call_id, enterprise_id)                         -- one application per firm per call
);
CREATE INDEX decl_app_call ON decl_app(call_id, status);
CREATE UNIQUE INDEX decl_app_no ON decl_app(no);

CREATE TABLE decl_material (
  app_id     BIGINT NOT NULL REFERENCES decl_app(id) ON DELETE CASCADE,
  slot_key   VARCHAR(32) NOT NULL,
  upload_id  BIGINT NOT NULL REFERENCES upload(id),
  sort       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (app_id, slot_key, upload_id)
);

-- every submitted version, as it was submitted (the receipt's content)
CREATE TABLE decl_version (
  app_id          BIGINT NOT NULL REFERENCES decl_app(id) ON DELETE CASCADE,
  version         INTEGER NOT NULL,
  fields_json     TEXT NOT NULL,
  materials_json  TEXT NOT NULL,    -- [{"slot":…,"upload_id":…,"name":…,"size":…,"sha256":…}]
  submitted_at    BIGINT NOT NULL,
  submitted_by    BIGINT,
  PRIMARY KEY (app_id, version)
);

-- the timeline: create, submit, withdraw, each reviewer decision
CREATE TABLE decl_event (
  id          {ID},
  app_id      BIGINT NOT NULL REFERENCES decl_app(id) ON DELETE CASCADE,
  at          BIGINT NOT NULL,
  actor_kind  VARCHAR(8) NOT NULL,      -- user | staff | system
  actor_id    BIGINT NOT NULL DEFAULT 0,
  actor_name  VARCHAR(100),
  action      VARCHAR(16) NOT NULL,     -- create | submit | withdraw | pass | return | reject | approve
  level       VARCHAR(8),               -- district | city
  reason      VARCHAR(1000)
);
CREATE INDEX decl_event_app ON decl_event(app_id, id);

CREATE TABLE decl_score (
  app_id      BIGINT NOT NULL REFERENCES decl_app(id) ON DELETE CASCADE,
  staff_id    BIGINT NOT NULL,
  scores_json TEXT NOT NULL,            -- {"criterion name": score 0..100}
  total       BIGINT NOT NULL,          -- weighted, in hundredths
  at          BIGINT NOT NULL,
  PRIMARY KEY (app_id, staff_id)
);

INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('declaration.published', '项目申报开始通知', 'declaration', '项目申报：{title}',
  '商务局发布了申报通知《{title}》，申报时间 {open} 至 {close}，请先下载申报附件后再进行项目申报。',
  '【政企互动平台】申报通知《{title}》已发布，截止 {close}，请登录平台申报。', 'DECLARATION_START',
  '{"thing1":"{title}","time2":"{open}","time3":"{close}"}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('declaration.extended', '项目申报延期通知', 'declaration', '申报延期：{title}',
  '申报通知《{title}》的截止时间延长至 {close}。', '【政企互动平台】《{title}》申报截止时间延长至 {close}。', '', '{}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('declaration.reminder', '项目申报截止提醒', 'declaration', '申报即将截止：{title}',
  '您的企业在《{title}》中还有未提交的申报，{close} 截止，还剩 {days} 天。',
  '【政企互动平台】《{title}》申报将于 {close} 截止，您的申报尚未提交。', '', '{}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('declaration.decision', '项目申报审核结果', 'declaration', '申报审核：{title}',
  '您的企业在《{title}》中的申报（{no}）：{decision}。{reason}',
  '【政企互动平台】您的申报 {no} {decision}，请登录平台查看。', '', '{}');
