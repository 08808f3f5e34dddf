-- Questionnaires 问卷调查 (issue 14, manual 8; src/survey/). Times are unix
-- seconds (UTC).

CREATE TABLE survey (
  id              {ID},
  status          VARCHAR(16) NOT NULL,              -- draft | published | closed
  per             VARCHAR(16) NOT NULL,              -- enterprise | member: who gives one response
  anonymous       INTEGER NOT NULL DEFAULT 0,        -- 1: staff see aggregates only
  allow_edit      INTEGER NOT NULL DEFAULT 0,        -- 1: a submitted response may change until the close
  open_at         BIGINT NOT NULL,
  close_at        BIGINT NOT NULL,
  published_at    BIGINT NOT NULL DEFAULT 0,
  closed_at       BIGINT NOT NULL DEFAULT 0,
  region          VARCHAR(12),                       -- owning district (district staff), NULL = city
  copied_from     BIGINT,                            -- the questionnaire this version was copied from
  created_by      BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  title           VARCHAR(600) NOT NULL,             -- ≤ 200 characters
  description     VARCHAR(6000) NOT NULL DEFAULT '', -- ≤ 2,000 characters
  targets_json    TEXT NOT NULL DEFAULT '{}',        -- targets_to_json (src/targets)
  enterprise_ids  TEXT NOT NULL DEFAULT '[]',        -- explicit list of firms instead of targets ([] = use targets)
  definition      TEXT NOT NULL                      -- the questions, checked by survey/definition.c
);
CREATE INDEX survey_list ON survey(status, id);

-- The firms a published questionnaire asks, fixed at publication (so a firm
-- that moves district later keeps its questionnaire, and rates have one
-- denominator). region / industry (section letter) / scale as they were.
CREATE TABLE survey_audience (
  survey_id       BIGINT NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  enterprise_id   BIGINT NOT NULL,
  region          VARCHAR(12),
  industry        VARCHAR(8),
  scale           VARCHAR(32),
  responded_at    BIGINT NOT NULL DEFAULT 0,         -- first submitted response
  reminded_on     VARCHAR(10) NOT NULL DEFAULT '',   -- YYYY-MM-DD of the last reminder: once per firm per day
  PRIMARY KEY (survey_id, enterprise_id)
);
CREATE INDEX survey_audience_ent ON survey_audience(enterprise_id, survey_id);

-- One response per firm (user_id 0) or per member (user_id = the member).
CREATE TABLE survey_response (
  id              {ID},
  survey_id       BIGINT NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  enterprise_id   BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,                   -- 0 when the survey is per enterprise
  status          VARCHAR(16) NOT NULL,              -- draft | submitted
  region          VARCHAR(12),
  industry        VARCHAR(8),
  scale           VARCHAR(32),
  updated_by      BIGINT NOT NULL,                   -- the member who saved last
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  submitted_at    BIGINT NOT NULL DEFAULT 0,
  answers         TEXT NOT NULL DEFAULT '{}',        -- {"answers":{…},"other":{…}} as checked
  UNIQUE (survey_id, enterprise_id, user_id)
);
CREATE INDEX survey_response_list ON survey_response(survey_id, status, region, id);

-- Submitted answers, one row per question (matrix: per row; multiple: per
-- pick), for the results' GROUP BY. kind c = a choice (value = option key),
-- n = a number (num and value), t = text (in body; value ''). lead = 1 on
-- the first row of each answered question: counting lead rows counts
-- respondents without COUNT(DISTINCT). Replaced whole when a response
-- changes. The results read covering indexes only (docs/survey.md).
CREATE TABLE survey_answer (
  response_id     BIGINT NOT NULL REFERENCES survey_response(id) ON DELETE CASCADE,
  survey_id       BIGINT NOT NULL,
  kind            CHAR(1) NOT NULL,
  qkey            VARCHAR(32) NOT NULL,
  sub             VARCHAR(32) NOT NULL DEFAULT '',   -- matrix row key
  value           VARCHAR(64) NOT NULL,              -- option key, rating, number text; '' for texts
  lead            INTEGER NOT NULL DEFAULT 0,
  num             DOUBLE PRECISION,
  region          VARCHAR(12),
  industry        VARCHAR(8),
  scale           VARCHAR(32),
  body            TEXT                               -- kind t: the text
);
CREATE INDEX survey_answer_agg ON survey_answer(survey_id, kind, qkey, sub, value, region, industry, scale);
CREATE INDEX survey_answer_lead ON survey_answer(survey_id, lead, qkey, region, industry);
CREATE INDEX survey_answer_resp ON survey_answer(response_id, qkey);

-- The results' counts, maintained on submit in the same transaction
-- (survey/store.c): per choice (qkey, sub = matrix row, value = option) and
-- per answered question (sub '#', value ''), per region / industry / scale
-- of the respondent, so a results page sums at most options × groups rows
-- whatever the number of responses. '' stands for an unknown group.
CREATE TABLE survey_tally (
  survey_id       BIGINT NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
  qkey            VARCHAR(32) NOT NULL,
  sub             VARCHAR(32) NOT NULL,
  value           VARCHAR(64) NOT NULL,
  region          VARCHAR(12) NOT NULL,
  industry        VARCHAR(8) NOT NULL,
  scale           VARCHAR(32) NOT NULL,
  n               BIGINT NOT NULL,
  PRIMARY KEY (survey_id, qkey, sub, value, region, industry, scale)
);

INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('survey.published', '问卷调查通知', 'survey', '问卷调查：{title}', '商务局邀请您的企业填写问卷《{title}》，截止时间 {close}。',
  '【政企互动平台】商务局邀请您的企业填写问卷《{title}》，截止 {close}，请登录平台填写。', 'SURVEY_PUSH', '{"thing1":"{title}","time2":"{close}"}');
INSERT INTO message_template(code, name, topic, title, body, sms_text, wechat_template_id, wechat_fields) VALUES
 ('survey.reminder', '问卷填写提醒', 'survey', '请填写问卷：{title}', '问卷《{title}》将于 {close} 截止，您的企业尚未提交，请尽快填写。',
  '【政企互动平台】问卷《{title}》将于 {close} 截止，您的企业尚未提交，请尽快填写。', 'SURVEY_PUSH', '{"thing1":"{title}","time2":"{close}"}');
