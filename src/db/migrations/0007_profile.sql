-- Enterprise profile (manual 9.1, docs/profile.md): the seven section
-- tables, the stored completeness score the bureau directory filters on, and
-- the bureau-reviewed changes of name / USCC / district.
-- Money is integer 元 (the API speaks 万元); carrier area is integer
-- hundredths of m²; dates are 'YYYY-MM-DD' text. file_id names an upload of
-- the same enterprise (checked by src/profile when written); it has no
-- foreign key so that the upload module stays free to manage its rows.

ALTER TABLE enterprise ADD COLUMN completeness SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX enterprise_completeness ON enterprise(completeness);

CREATE TABLE enterprise_qualification (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  name           VARCHAR(100) NOT NULL,
  level          VARCHAR(30),
  issuer         VARCHAR(100) NOT NULL,
  cert_no        VARCHAR(64) NOT NULL,
  issued_on      VARCHAR(10) NOT NULL,
  expires_on     VARCHAR(10),
  file_id        BIGINT,
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX enterprise_qualification_ent ON enterprise_qualification(enterprise_id, created_at);

CREATE TABLE enterprise_tech (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  kind           VARCHAR(16) NOT NULL,             -- rd | platform | award
  year           INTEGER NOT NULL,
  rd_staff       BIGINT,
  rd_spending    BIGINT,
  name           VARCHAR(100),
  level          VARCHAR(16),
  approved_by    VARCHAR(100),
  issuer         VARCHAR(100),
  file_id        BIGINT,
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX enterprise_tech_ent ON enterprise_tech(enterprise_id, created_at);
-- R&D input is one record per year
CREATE UNIQUE INDEX enterprise_tech_rd_year ON enterprise_tech(enterprise_id, year) WHERE kind = 'rd';

CREATE TABLE enterprise_personnel (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  year           INTEGER NOT NULL,
  total_staff    BIGINT NOT NULL,
  rd_staff       BIGINT NOT NULL,
  degree_staff   BIGINT NOT NULL,
  new_hires      BIGINT NOT NULL,
  insured_staff  BIGINT NOT NULL,
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (enterprise_id, year)
);

CREATE TABLE enterprise_operation (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  year           INTEGER NOT NULL,
  revenue        BIGINT NOT NULL,
  profit         BIGINT NOT NULL,
  tax            BIGINT NOT NULL,
  export         BIGINT NOT NULL,
  import         BIGINT NOT NULL,
  assets         BIGINT NOT NULL,
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  UNIQUE (enterprise_id, year)
);

CREATE TABLE enterprise_ip (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  kind           VARCHAR(16) NOT NULL,             -- patent | trademark | copyright
  number         VARCHAR(64) NOT NULL,
  title          VARCHAR(200) NOT NULL,
  granted_on     VARCHAR(10),
  status         VARCHAR(16) NOT NULL,
  patent_type    VARCHAR(16),
  class_no       INTEGER,
  file_id        BIGINT,
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX enterprise_ip_ent ON enterprise_ip(enterprise_id, created_at);

CREATE TABLE enterprise_project (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  name           VARCHAR(200) NOT NULL,
  type           VARCHAR(30) NOT NULL,
  amount         BIGINT,
  start_on       VARCHAR(10) NOT NULL,
  end_on         VARCHAR(10),
  status         VARCHAR(16) NOT NULL,
  description    VARCHAR(2000),
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX enterprise_project_ent ON enterprise_project(enterprise_id, created_at);

CREATE TABLE enterprise_carrier (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  name           VARCHAR(200) NOT NULL,
  kind           VARCHAR(16) NOT NULL,
  relation       VARCHAR(16) NOT NULL,
  level          VARCHAR(16),
  area           BIGINT,                            -- hundredths of m²
  address        VARCHAR(200),
  created_by     BIGINT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX enterprise_carrier_ent ON enterprise_carrier(enterprise_id, created_at);

-- name / USCC / district changes wait for the bureau (manual 9.1); the old_*
-- columns keep what was in force when the request was made
CREATE TABLE enterprise_change (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  new_name       VARCHAR(200),
  new_uscc       VARCHAR(18),
  new_region     VARCHAR(12),
  old_name       VARCHAR(200) NOT NULL,
  old_uscc       VARCHAR(18) NOT NULL,
  old_region     VARCHAR(12) NOT NULL,
  status         VARCHAR(16) NOT NULL DEFAULT 'pending',   -- pending | approved | rejected
  reason         VARCHAR(500),
  submitted_by   BIGINT NOT NULL,
  submitted_at   BIGINT NOT NULL,
  decided_by     BIGINT,
  decided_at     BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX enterprise_change_pending ON enterprise_change(enterprise_id) WHERE status = 'pending';
CREATE INDEX enterprise_change_status ON enterprise_change(status, submitted_at);
