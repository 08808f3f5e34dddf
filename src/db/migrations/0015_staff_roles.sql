-- Bureau staff roles (issue 10.1): named sets of permissions from the
-- catalogue in src/auth/staff_perm.c, edited by whoever holds staff.manage.
-- A staff account holds one or more roles; its data scope stays in
-- staff.region (NULL = the whole city, else one district).
--
-- staff.role (super | city | district) is kept and written on every change,
-- derived from the roles and the scope (src/auth/staff_role.c), for the
-- staff list's filter and older readers; permissions come only from here.

CREATE TABLE staff_role_def (
  id          {ID},
  name        VARCHAR(30) NOT NULL UNIQUE,
  builtin     VARCHAR(16) UNIQUE,                 -- super | city | district | trade | auditor; NULL = made by staff
  all_perms   SMALLINT NOT NULL DEFAULT 0,        -- 1 = every permission, present and future (系统管理员)
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);

CREATE TABLE staff_role_perm (
  role_id  BIGINT NOT NULL REFERENCES staff_role_def(id) ON DELETE CASCADE,
  perm     VARCHAR(32) NOT NULL,
  PRIMARY KEY (role_id, perm)
);

CREATE TABLE staff_role_grant (
  staff_id  BIGINT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  role_id   BIGINT NOT NULL REFERENCES staff_role_def(id),
  PRIMARY KEY (staff_id, role_id)
);
-- "is this role in use"
CREATE INDEX staff_role_grant_role ON staff_role_grant(role_id);

INSERT INTO staff_role_def(name, builtin, all_perms, created_at, updated_at) VALUES ('系统管理员', 'super', 1, 0, 0);
INSERT INTO staff_role_def(name, builtin, all_perms, created_at, updated_at) VALUES ('市级业务员', 'city', 0, 0, 0);
INSERT INTO staff_role_def(name, builtin, all_perms, created_at, updated_at) VALUES ('区级业务员', 'district', 0, 0, 0);
INSERT INTO staff_role_def(name, builtin, all_perms, created_at, updated_at) VALUES ('外贸处', 'trade', 0, 0, 0);
INSERT INTO staff_role_def(name, builtin, all_perms, created_at, updated_at) VALUES ('审计员', 'auditor', 0, 0, 0);
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'registration.review' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.view' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.export' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.change_review' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'invite.manage' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'policy.publish' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'notice.publish' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'service.manage' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'declaration.manage' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'declaration.review' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'survey.manage' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'consult.handle' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'consult.supervise' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'stats.view' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'audit.view' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'dict.edit' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'legal.edit' FROM staff_role_def WHERE builtin = 'city';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'registration.review' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.view' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.export' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.change_review' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'invite.manage' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'declaration.review' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'survey.manage' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'consult.handle' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'stats.view' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'audit.view' FROM staff_role_def WHERE builtin = 'district';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.view' FROM staff_role_def WHERE builtin = 'trade';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'enterprise.export' FROM staff_role_def WHERE builtin = 'trade';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'trade.manage' FROM staff_role_def WHERE builtin = 'trade';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'trade.review' FROM staff_role_def WHERE builtin = 'trade';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'stats.view' FROM staff_role_def WHERE builtin = 'trade';
INSERT INTO staff_role_perm(role_id, perm) SELECT id, 'audit.view' FROM staff_role_def WHERE builtin = 'auditor';

-- today's accounts keep what they could do: super → 系统管理员, city → 市级业务员, district → 区级业务员
INSERT INTO staff_role_grant(staff_id, role_id) SELECT s.id, r.id FROM staff s JOIN staff_role_def r ON r.builtin = s.role;
