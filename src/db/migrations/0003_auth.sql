-- Login, SMS and staff: what the tables of 0002_accounts.sql lack.

-- Failed-login counters and locks by login name ("user:<phone>",
-- "staff:<username>"), kept for names that have no account too, so an
-- unknown phone locks exactly like a real one and lockouts reveal nothing.
CREATE TABLE login_lock (
  subject          VARCHAR(80) PRIMARY KEY,
  failed           INTEGER NOT NULL DEFAULT 0,
  first_failed_at  BIGINT NOT NULL DEFAULT 0,
  locked_until     BIGINT NOT NULL DEFAULT 0,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX login_lock_updated ON login_lock(updated_at);

-- The outbox is printed latest first, per phone or all.
CREATE INDEX sms_outbox_created ON sms_outbox(created_at);
-- Staff lists by role and district.
CREATE INDEX staff_role_region ON staff(role, region);
-- Audit search by actor and by result.
CREATE INDEX audit_log_actor ON audit_log(actor_kind, actor_id, at);
