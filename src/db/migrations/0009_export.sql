-- Progress of the bureau's directory exports (GET /api/v1/admin/enterprises/export
-- ?progress=<token>). The token is made by the client; only the staff member
-- who started the export can read it. In the database rather than memory so
-- that the poll may reach any instance behind the load balancer. Rows are
-- pruned a day after their last update (src/jobs/prune.c).
CREATE TABLE export_progress (
  token       VARCHAR(32) PRIMARY KEY,
  staff_id    BIGINT NOT NULL,
  total       BIGINT NOT NULL,
  done        BIGINT NOT NULL DEFAULT 0,
  status      VARCHAR(8) NOT NULL,          -- running | done | failed
  updated_at  BIGINT NOT NULL
);
