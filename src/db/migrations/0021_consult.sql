-- Consultations and suggestions (咨询建议, issue 14): the firm's (or a
-- visitor's) question, its thread, routing to a handling unit, the SLA
-- (working days over an editable holiday calendar), escalation, rating and
-- anonymised publication.
INSERT INTO dict_type(type, name, hierarchical) VALUES ('consult_category', '咨询类别', 0);
INSERT INTO dict_item(type,code,name,parent,kind,sort) VALUES ('consult_category','policy','政策咨询',NULL,NULL,1);
INSERT INTO dict_item(type,code,name,parent,kind,sort) VALUES ('consult_category','trade','外贸',NULL,NULL,2);
INSERT INTO dict_item(type,code,name,parent,kind,sort) VALUES ('consult_category','project','项目申报',NULL,NULL,3);
INSERT INTO dict_item(type,code,name,parent,kind,sort) VALUES ('consult_category','business_env','营商环境',NULL,NULL,4);
INSERT INTO dict_item(type,code,name,parent,kind,sort) VALUES ('consult_category','other','其他',NULL,NULL,9);

-- A handling unit: a district's bureau (region set) or a city department
-- (region NULL); supervisor_id is the staff account escalations go to.
CREATE TABLE consult_unit (
  id             {ID},
  name           VARCHAR(64) NOT NULL UNIQUE,
  region         VARCHAR(12),
  supervisor_id  BIGINT REFERENCES staff(id),
  created_at     BIGINT NOT NULL DEFAULT 0
);
-- category × district → unit; region '' = any district (the fallback).
CREATE TABLE consult_route_rule (
  category   VARCHAR(32) NOT NULL,
  region     VARCHAR(12) NOT NULL DEFAULT '',
  unit_id    BIGINT NOT NULL REFERENCES consult_unit(id),
  PRIMARY KEY (category, region)
);
-- Working days allowed per category; '' = the default for categories without a row.
CREATE TABLE consult_sla (
  category     VARCHAR(32) PRIMARY KEY,
  ack_days     INTEGER NOT NULL,
  answer_days  INTEGER NOT NULL,
  suggestion_days INTEGER NOT NULL
);
INSERT INTO consult_sla(category, ack_days, answer_days, suggestion_days) VALUES ('', 1, 5, 10);
-- The calendar's exceptions: a weekday off (法定节假日, workday 0) or a
-- weekend day worked (调休, workday 1). Days as 'YYYY-MM-DD'.
CREATE TABLE consult_holiday (
  day      VARCHAR(10) PRIMARY KEY,
  workday  SMALLINT NOT NULL DEFAULT 0,
  name     VARCHAR(32) NOT NULL DEFAULT ''
);

CREATE TABLE consultation (
  id              {ID},
  enterprise_id   BIGINT REFERENCES enterprise(id),      -- NULL: a visitor's
  user_id         BIGINT REFERENCES app_user(id),        -- the member who asked
  visitor_phone   VARCHAR(16),
  region          VARCHAR(12),                           -- the firm's district at submission
  kind            VARCHAR(12) NOT NULL,                  -- question | suggestion
  category        VARCHAR(32) NOT NULL,
  title           VARCHAR(200) NOT NULL,
  content         TEXT NOT NULL,
  publishable     SMALLINT NOT NULL DEFAULT 0,
  status          VARCHAR(12) NOT NULL,                  -- submitted | acknowledged | answered | reopened | closed
  unit_id         BIGINT REFERENCES consult_unit(id),
  due_at          BIGINT NOT NULL,                       -- the answer's deadline
  ack_due_at      BIGINT NOT NULL,
  acknowledged_at BIGINT NOT NULL DEFAULT 0,
  answered_at     BIGINT NOT NULL DEFAULT 0,             -- first answer (time to answer)
  last_reply_at   BIGINT NOT NULL DEFAULT 0,
  closed_at       BIGINT NOT NULL DEFAULT 0,
  escalated_at    BIGINT NOT NULL DEFAULT 0,             -- set once: escalation happens exactly once
  rating          VARCHAR(12),                           -- satisfied | basically | unsatisfied
  rating_comment  VARCHAR(1000),
  review_needed   SMALLINT NOT NULL DEFAULT 0,           -- 不满意 → supervisor review
  published_at    BIGINT NOT NULL DEFAULT 0,             -- on the public Q&A
  public_answer   TEXT,                                  -- the anonymised answer shown there
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX consultation_ent ON consultation(enterprise_id, created_at);
CREATE INDEX consultation_queue ON consultation(status, due_at);
CREATE INDEX consultation_pub ON consultation(published_at);
-- The public Q&A's search (src/search/gram.h), as for content_item in 0017:
-- SQLite's zq_gram FTS5 table, PostgreSQL's stored gram array with GIN.
--@sqlite CREATE VIRTUAL TABLE consult_gram USING fts5(title, content, content='consultation', content_rowid='id', tokenize='zq_gram', detail=none);
--@sqlite CREATE TRIGGER consult_gram_ai AFTER INSERT ON consultation BEGIN INSERT INTO consult_gram(rowid, title, content) VALUES (new.id, new.title, new.content); END;
--@sqlite CREATE TRIGGER consult_gram_ad AFTER DELETE ON consultation BEGIN INSERT INTO consult_gram(consult_gram, rowid, title, content) VALUES ('delete', old.id, old.title, old.content); END;
--@sqlite CREATE TRIGGER consult_gram_au AFTER UPDATE OF title, content ON consultation BEGIN INSERT INTO consult_gram(consult_gram, rowid, title, content) VALUES ('delete', old.id, old.title, old.content); INSERT INTO consult_gram(rowid, title, content) VALUES (new.id, new.title, new.content); END;
--@postgres ALTER TABLE consultation ADD COLUMN search_grams TEXT[] GENERATED ALWAYS AS (zq_search_grams(lower(title || ' ' || content), '')) STORED;
--@postgres CREATE INDEX consultation_grams ON consultation USING gin (search_grams);

CREATE TABLE consult_message (
  id               {ID},
  consultation_id  BIGINT NOT NULL REFERENCES consultation(id),
  author_kind      VARCHAR(8) NOT NULL,                  -- user | visitor | staff | system
  author_id        BIGINT,
  body_html        TEXT NOT NULL,
  body_text        TEXT NOT NULL,
  attachments      VARCHAR(2000) NOT NULL DEFAULT '[]',  -- upload ids, JSON
  created_at       BIGINT NOT NULL
);
CREATE INDEX consult_message_thread ON consult_message(consultation_id, id);

-- every step, timestamped (submitted, routed, assigned, acknowledged, replied, reopened, escalated, rated, published)
CREATE TABLE consult_event (
  id               {ID},
  consultation_id  BIGINT NOT NULL REFERENCES consultation(id),
  event            VARCHAR(16) NOT NULL,
  actor_kind       VARCHAR(8),
  actor_id         BIGINT,
  detail           VARCHAR(500) NOT NULL DEFAULT '',
  created_at       BIGINT NOT NULL
);
CREATE INDEX consult_event_thread ON consult_event(consultation_id, id);

INSERT INTO consult_unit(name, region, created_at) VALUES ('市商务局综合处', NULL, 0);
INSERT INTO consult_route_rule(category, region, unit_id) SELECT '', '', id FROM consult_unit WHERE name = '市商务局综合处';

INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('consult.replied', '咨询答复', 'consult', '咨询已答复：{title}', '您提交的咨询《{title}》已有答复，请查看并评价。',
  '【政企互动平台】您提交的咨询《{title}》已有答复，请登录平台查看。', '', '{}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('consult.escalated', '咨询督办', 'consult', '咨询超期督办：{title}', '咨询《{title}》已超过办理时限，已转督办，请跟进。', '', '', '{}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('consult.review', '咨询差评复核', 'consult', '咨询不满意评价：{title}', '咨询《{title}》收到不满意评价，请复核。', '', '', '{}');
