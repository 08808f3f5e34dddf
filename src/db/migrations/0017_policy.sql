-- Policies, interpretations and notices (one content engine), the services
-- catalogue, subscriptions and the enterprise inbox (issue 11, manual 3–4;
-- docs/policy.md). Times are unix seconds (UTC), dates YYYY-MM-DD text.

-- Small columns first, the bodies last: SQLite reads a row's columns in
-- order, so filters and lists never walk the bodies' overflow pages, and
-- the search recheck reads body_text without body_html.
CREATE TABLE content_item (
  id              {ID},
  kind            VARCHAR(16) NOT NULL,              -- news | interpretation | notice
  status          VARCHAR(16) NOT NULL,              -- draft | scheduled | published | withdrawn
  publish_at      BIGINT NOT NULL DEFAULT 0,         -- scheduled time (status scheduled)
  published_at    BIGINT NOT NULL DEFAULT 0,         -- first publication
  withdrawn_at    BIGINT NOT NULL DEFAULT 0,
  region          VARCHAR(12),                       -- owning district (district staff), NULL = city
  interprets_id   BIGINT REFERENCES content_item(id),
  cover_upload_id BIGINT,
  created_by      BIGINT NOT NULL,                   -- staff.id
  updated_by      BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  effective_from  VARCHAR(10),
  effective_to    VARCHAR(10),
  department      VARCHAR(300),                      -- 发布部门
  doc_no          VARCHAR(200),                      -- 文号
  title           VARCHAR(600) NOT NULL,             -- ≤ 200 characters
  summary         VARCHAR(1500),                     -- ≤ 500 characters
  targets_json    TEXT NOT NULL DEFAULT '{}',        -- targets_to_json (src/targets)
  body_text       TEXT NOT NULL,                     -- the body's visible text, for search
  body_html       TEXT NOT NULL                      -- sanitized (src/richtext), never raw input
);
-- the public lists: newest published first, per kind
CREATE INDEX content_item_list ON content_item(status, kind, published_at, id);
CREATE INDEX content_item_due ON content_item(status, publish_at);
CREATE INDEX content_item_interprets ON content_item(interprets_id);

CREATE TABLE content_type (
  item_id  BIGINT NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  code     VARCHAR(32) NOT NULL,                     -- dict policy_type
  PRIMARY KEY (item_id, code)
);
CREATE INDEX content_type_code ON content_type(code, item_id);

CREATE TABLE content_attachment (
  item_id    BIGINT NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  upload_id  BIGINT NOT NULL REFERENCES upload(id),
  sort       INTEGER NOT NULL,
  PRIMARY KEY (item_id, upload_id)
);

-- who changed what and when: one row per create/edit/publish/withdraw,
-- changes = {"field":{"before":…,"after":…},…} for edits
CREATE TABLE content_history (
  id          {ID},
  item_id     BIGINT NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  action      VARCHAR(16) NOT NULL,                  -- create | edit | schedule | publish | withdraw
  staff_id    BIGINT,                                -- NULL = the scheduler
  staff_name  VARCHAR(64),
  changes     TEXT NOT NULL DEFAULT '{}',
  at          BIGINT NOT NULL
);
CREATE INDEX content_history_item ON content_history(item_id, id);

-- 我收到的政策: one row per enterprise × item, written at publication
CREATE TABLE policy_inbox (
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  item_id        BIGINT NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  delivered_at   BIGINT NOT NULL,
  read_at        BIGINT NOT NULL DEFAULT 0,
  read_by        BIGINT,                             -- app_user.id of the member who opened it first
  PRIMARY KEY (enterprise_id, item_id)
);
CREATE INDEX policy_inbox_item ON policy_inbox(item_id, enterprise_id);
-- (a firm's own rows come from the primary key; one index fewer to keep
-- during the 100,000-row fan-out)

-- 惠企服务
CREATE TABLE service_item (
  id            {ID},
  status        VARCHAR(16) NOT NULL,                -- draft | published | withdrawn
  name          VARCHAR(300) NOT NULL,
  category      VARCHAR(150),
  department    VARCHAR(300),
  summary       VARCHAR(1500),
  how_to_apply  TEXT NOT NULL DEFAULT '',            -- sanitized HTML
  contact       VARCHAR(600),
  published_at  BIGINT NOT NULL DEFAULT 0,
  created_by    BIGINT NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX service_item_list ON service_item(status, id);
CREATE TABLE service_policy (
  service_id  BIGINT NOT NULL REFERENCES service_item(id) ON DELETE CASCADE,
  item_id     BIGINT NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  PRIMARY KEY (service_id, item_id)
);

-- default subscriptions: a profile condition → a policy type
CREATE TABLE subscription_rule (
  id           {ID},
  cond_type    VARCHAR(24) NOT NULL,                 -- trade_type | characteristic | industry_section
  cond_value   VARCHAR(32) NOT NULL,
  policy_type  VARCHAR(32) NOT NULL,
  UNIQUE (cond_type, cond_value, policy_type)
);
-- extra types an enterprise chose (自选)
CREATE TABLE enterprise_subscription (
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  policy_type    VARCHAR(32) NOT NULL,
  PRIMARY KEY (enterprise_id, policy_type)
);

-- bumped by every publish / withdraw / edit of a published item: each
-- instance drops its cached public lists when it sees a newer one
CREATE TABLE content_version (
  id       SMALLINT PRIMARY KEY,
  version  BIGINT NOT NULL
);
INSERT INTO content_version(id, version) VALUES (1, 1);

-- Search over title and body text. SQLite: the zq_gram tokenizer (every
-- character and pair of characters, src/db/sqlite_gram.c) over both; a
-- keyword of one or two characters is one token, a longer one the AND of
-- its pairs, rechecked with LIKE. PostgreSQL: the same grams as a stored
-- array with a GIN index (zq_search_grams of migration 0014), of the
-- lower-cased text (the query is lower-cased the same way; the recheck is ILIKE).
--@sqlite CREATE VIRTUAL TABLE content_gram USING fts5(title, body_text, content='content_item', content_rowid='id', tokenize='zq_gram', detail=none);
--@sqlite CREATE TRIGGER content_gram_ai AFTER INSERT ON content_item BEGIN INSERT INTO content_gram(rowid, title, body_text) VALUES (new.id, new.title, new.body_text); END;
--@sqlite CREATE TRIGGER content_gram_ad AFTER DELETE ON content_item BEGIN INSERT INTO content_gram(content_gram, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text); END;
--@sqlite CREATE TRIGGER content_gram_au AFTER UPDATE OF title, body_text ON content_item BEGIN INSERT INTO content_gram(content_gram, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text); INSERT INTO content_gram(rowid, title, body_text) VALUES (new.id, new.title, new.body_text); END;
--@postgres ALTER TABLE content_item ADD COLUMN search_grams TEXT[] GENERATED ALWAYS AS (zq_search_grams(lower(title || ' ' || body_text), '')) STORED;
--@postgres CREATE INDEX content_item_grams ON content_item USING gin (search_grams);

-- 工业制造 for the rule "industry section C" (manual 3.1's example)
INSERT INTO dict_item(type, code, name, sort) VALUES ('policy_type', 'manufacturing', '工业制造', 10);
UPDATE dict_version SET version = version + 1 WHERE id = 1;
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('trade_type', 'export', 'trade');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('trade_type', 'import', 'trade');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('trade_type', 'both', 'trade');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('characteristic', 'hightech', 'tech');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('characteristic', 'tech_sme', 'tech');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('characteristic', 'srdi', 'finance');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('characteristic', 'foreign_trade', 'trade');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('industry_section', 'C', 'manufacturing');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('industry_section', 'F', 'consume');
INSERT INTO subscription_rule(cond_type, cond_value, policy_type) VALUES ('industry_section', 'I', 'tech');

-- District staff publish for their own district (their targets are forced
-- to it, src/policy/admin.c)
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'policy.publish' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'notice.publish' FROM staff_role_def WHERE builtin = 'district';
