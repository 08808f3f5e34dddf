-- Enterprise roles (manual 9.3): each enterprise's named sets of
-- permissions, ticked from the fixed catalogue in src/member/perm.c.
-- membership.role_id (0002_accounts.sql) points here; it has no foreign key
-- (SQLite cannot add one to an existing table), so src/member/ keeps it
-- honest: a role held by an active member cannot be deleted, and removing a
-- member clears the member's role.

CREATE TABLE enterprise_role (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  name           VARCHAR(30) NOT NULL,
  is_default     SMALLINT NOT NULL DEFAULT 0,   -- 1 = created with the enterprise (管理员, 业务员, 只读); cannot be deleted
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (enterprise_id, name)
);

CREATE TABLE enterprise_role_perm (
  role_id  BIGINT NOT NULL REFERENCES enterprise_role(id) ON DELETE CASCADE,
  perm     VARCHAR(32) NOT NULL,
  PRIMARY KEY (role_id, perm)
);

-- "is this role in use" and the member counts of the role list
CREATE INDEX membership_role ON membership(role_id, status);
-- the enterprise's join requests, newest first
CREATE INDEX join_request_enterprise ON join_request(enterprise_id, status, created_at);
