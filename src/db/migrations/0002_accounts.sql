-- Accounts: enterprises and their registrations, enterprise-side users and
-- memberships, bureau staff, sessions, SMS codes, invites, join requests,
-- rate-limit counters and the hash-chained audit log.
-- Times are unix seconds (UTC); money is integer 元; booleans SMALLINT 0/1.

CREATE TABLE invite (
  id            {ID},
  token         VARCHAR(64) NOT NULL UNIQUE,
  region        VARCHAR(12) NOT NULL,
  channel       VARCHAR(8) NOT NULL DEFAULT 'link',   -- link | qr
  note          VARCHAR(200),
  created_by    BIGINT NOT NULL,                     -- staff.id
  expires_at    BIGINT NOT NULL DEFAULT 0,           -- 0 = never
  revoked_at    BIGINT NOT NULL DEFAULT 0,
  uses          INTEGER NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);

CREATE TABLE enterprise (
  id                 {ID},
  name               VARCHAR(200) NOT NULL,
  uscc               VARCHAR(18) NOT NULL,
  status             VARCHAR(16) NOT NULL,            -- pending | approved | rejected
  applicant_role     VARCHAR(16) NOT NULL,            -- legal_rep | staff
  legal_rep_name     VARCHAR(64) NOT NULL,
  legal_rep_phone    VARCHAR(16) NOT NULL,
  contact_name       VARCHAR(64) NOT NULL,
  contact_phone      VARCHAR(16) NOT NULL,
  region             VARCHAR(12) NOT NULL,
  industry           VARCHAR(8),                      -- GB/T 4754 division; may be empty (manual 重点提示)
  scale              VARCHAR(16) NOT NULL,
  business_scope     VARCHAR(4000),
  term_start         VARCHAR(10),
  term_end           VARCHAR(10),
  address            VARCHAR(200),
  registered_capital BIGINT,                          -- 元
  founded_on         VARCHAR(10),
  staff_size         VARCHAR(16),
  financing_stage    VARCHAR(16),
  email              VARCHAR(120),
  intro              VARCHAR(4000),
  customs_code       VARCHAR(10),
  trade_type         VARCHAR(8),
  channel            VARCHAR(8) NOT NULL,             -- web | mobile | link | qr | staff | seed
  invite_id          BIGINT REFERENCES invite(id),
  applicant_user_id  BIGINT,
  reject_reason      VARCHAR(500),
  reviewed_by        BIGINT,
  reviewed_at        BIGINT NOT NULL DEFAULT 0,
  submitted_at       BIGINT NOT NULL,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
-- one live enterprise per USCC; rejected ones may be re-registered
CREATE UNIQUE INDEX enterprise_uscc_live ON enterprise(uscc) WHERE status <> 'rejected';
CREATE INDEX enterprise_region_status ON enterprise(region, status);
CREATE INDEX enterprise_status_submitted ON enterprise(status, submitted_at);

CREATE TABLE enterprise_characteristic (
  enterprise_id BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  code          VARCHAR(32) NOT NULL,
  PRIMARY KEY (enterprise_id, code)
);

CREATE TABLE app_user (
  id                    {ID},
  phone                 VARCHAR(16) NOT NULL UNIQUE,
  name                  VARCHAR(64) NOT NULL,
  password_hash         VARCHAR(255) NOT NULL,
  must_change_password  SMALLINT NOT NULL DEFAULT 0,
  failed_logins         INTEGER NOT NULL DEFAULT 0,
  locked_until          BIGINT NOT NULL DEFAULT 0,
  disabled              SMALLINT NOT NULL DEFAULT 0,
  last_enterprise_id    BIGINT,
  password_changed_at   BIGINT NOT NULL DEFAULT 0,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);

CREATE TABLE membership (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  user_id        BIGINT NOT NULL REFERENCES app_user(id),
  is_legal_rep   SMALLINT NOT NULL DEFAULT 0,
  role_id        BIGINT,
  status         VARCHAR(16) NOT NULL DEFAULT 'active',  -- active | removed
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (enterprise_id, user_id)
);
CREATE INDEX membership_user ON membership(user_id, status);

CREATE TABLE join_request (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  user_id        BIGINT NOT NULL REFERENCES app_user(id),
  status         VARCHAR(16) NOT NULL DEFAULT 'pending',  -- pending | approved | rejected
  message        VARCHAR(200),
  reason         VARCHAR(500),
  decided_by     BIGINT,
  decided_at     BIGINT NOT NULL DEFAULT 0,
  created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX join_request_pending ON join_request(enterprise_id, user_id) WHERE status = 'pending';

CREATE TABLE staff (
  id                    {ID},
  username              VARCHAR(32) NOT NULL UNIQUE,
  name                  VARCHAR(64) NOT NULL,
  phone                 VARCHAR(16) NOT NULL,
  password_hash         VARCHAR(255) NOT NULL,
  role                  VARCHAR(16) NOT NULL,          -- super | city | district
  region                VARCHAR(12),                   -- required for district
  disabled              SMALLINT NOT NULL DEFAULT 0,
  must_change_password  SMALLINT NOT NULL DEFAULT 1,
  failed_logins         INTEGER NOT NULL DEFAULT 0,
  locked_until          BIGINT NOT NULL DEFAULT 0,
  password_changed_at   BIGINT NOT NULL DEFAULT 0,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);

CREATE TABLE session (
  id             {ID},
  token_hash     VARCHAR(64) NOT NULL UNIQUE,          -- hex SHA-256 of the cookie token
  user_id        BIGINT REFERENCES app_user(id),
  staff_id       BIGINT REFERENCES staff(id),
  enterprise_id  BIGINT,
  csrf_token     VARCHAR(64) NOT NULL,
  ip             VARCHAR(64),
  user_agent     VARCHAR(200),
  created_at     BIGINT NOT NULL,
  last_seen_at   BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,                      -- absolute
  revoked_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX session_by_user ON session(user_id);
CREATE INDEX session_by_staff ON session(staff_id);

CREATE TABLE sms_code (
  id          {ID},
  phone       VARCHAR(16) NOT NULL,
  purpose     VARCHAR(16) NOT NULL,                   -- register | login | reset | staff_login | transfer
  code_hash   VARCHAR(64) NOT NULL,
  ip          VARCHAR(64),
  attempts    INTEGER NOT NULL DEFAULT 0,
  used_at     BIGINT NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX sms_code_phone ON sms_code(phone, purpose, created_at);
CREATE INDEX sms_code_ip ON sms_code(ip, created_at);

CREATE TABLE sms_outbox (
  id          {ID},
  phone       VARCHAR(16) NOT NULL,
  body        VARCHAR(500) NOT NULL,
  provider    VARCHAR(16) NOT NULL,
  status      VARCHAR(16) NOT NULL,                   -- sent | failed
  error       VARCHAR(500),
  created_at  BIGINT NOT NULL
);
CREATE INDEX sms_outbox_phone ON sms_outbox(phone, id);

-- Fixed-window counters shared by every instance (login throttling per IP etc.).
CREATE TABLE rate_counter (
  key          VARCHAR(160) NOT NULL,
  window_start BIGINT NOT NULL,
  count        INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);

CREATE TABLE audit_log (
  id             {ID},
  at             BIGINT NOT NULL,
  actor_kind     VARCHAR(16) NOT NULL,                -- user | staff | system | anonymous
  actor_id       BIGINT,
  actor_name     VARCHAR(64),
  enterprise_id  BIGINT,
  region         VARCHAR(12),
  ip             VARCHAR(64),
  action         VARCHAR(64) NOT NULL,
  object_type    VARCHAR(32),
  object_id      VARCHAR(64),
  result         VARCHAR(16) NOT NULL,                -- ok | denied | failed
  detail         VARCHAR(4000),
  prev_hash      VARCHAR(64) NOT NULL,
  hash           VARCHAR(64) NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_region_at ON audit_log(region, at);
CREATE INDEX audit_log_action ON audit_log(action, at);

-- The chain's head: appenders lock this row (FOR UPDATE on PostgreSQL, the
-- write transaction on SQLite) so records from several instances chain in
-- one order.
CREATE TABLE audit_head (
  id         SMALLINT PRIMARY KEY,
  last_id    BIGINT NOT NULL,
  last_hash  VARCHAR(64) NOT NULL
);
INSERT INTO audit_head(id, last_id, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
