-- Invitations to join an enterprise (issue 9, finding 4). Adding an
-- employee no longer links the account with that phone at once: it makes a
-- pending invitation the person accepts or declines (in the console, on the
-- phone, told by SMS), so the firm learns nothing about whether the phone
-- had an account, and nobody becomes a member without saying yes.
-- `expired` is not written by a job: a pending row past expires_at is
-- shown as expired and cannot be accepted; it becomes `expired` when the
-- firm invites the same phone again (the partial unique index allows one
-- pending invitation per person and enterprise).
CREATE TABLE member_invitation (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  user_id        BIGINT NOT NULL REFERENCES app_user(id),
  name           VARCHAR(64) NOT NULL,     -- the name the inviter typed (never the account's own)
  role_id        BIGINT,                   -- enterprise_role.id; a role deleted meanwhile means no role
  invited_by     BIGINT NOT NULL,          -- app_user.id of the inviter
  status         VARCHAR(16) NOT NULL DEFAULT 'pending',  -- pending | accepted | declined | expired | revoked
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,          -- created (or resent) + 7 days
  notified_at    BIGINT NOT NULL DEFAULT 0,  -- last SMS attempt, for the resend gap
  decided_at     BIGINT NOT NULL DEFAULT 0,
  updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX member_invitation_pending ON member_invitation(enterprise_id, user_id) WHERE status = 'pending';
-- the invitee's own list, and the firm's list newest first
CREATE INDEX member_invitation_user ON member_invitation(user_id, status);
CREATE INDEX member_invitation_enterprise ON member_invitation(enterprise_id, status, created_at);
