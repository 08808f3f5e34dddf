-- Uploads (docs/profile.md "Uploads"): every attachment's bytes live in the
-- database, deduplicated by SHA-256 and cut into 256 KiB chunks so no single
-- row or bind grows with the file; `upload` rows give one enterprise's name
-- and type to a blob. Blobs are never deleted while an upload names them.

CREATE TABLE file_blob (
  sha256       VARCHAR(64) PRIMARY KEY,          -- lower-case hex
  size         BIGINT NOT NULL,
  chunk_count  INTEGER NOT NULL,
  created_at   BIGINT NOT NULL
);

CREATE TABLE file_chunk (
  sha256  VARCHAR(64) NOT NULL REFERENCES file_blob(sha256) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,                      -- 0-based
  data    {BLOB} NOT NULL,
  PRIMARY KEY (sha256, seq)
);

CREATE TABLE upload (
  id             {ID},
  enterprise_id  BIGINT NOT NULL REFERENCES enterprise(id) ON DELETE CASCADE,
  uploaded_by    BIGINT,                         -- app_user.id
  sha256         VARCHAR(64) NOT NULL REFERENCES file_blob(sha256),
  name           VARCHAR(480) NOT NULL,          -- ≤ 120 characters of UTF-8
  size           BIGINT NOT NULL,
  mime           VARCHAR(100) NOT NULL,          -- one of the allow-list
  created_at     BIGINT NOT NULL
);
CREATE INDEX upload_enterprise ON upload(enterprise_id);
