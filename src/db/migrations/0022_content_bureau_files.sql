-- 0022: a policy's or notice's attachments are bureau files (bureau_file,
-- uploaded by staff through POST /api/v1/admin/uploads), not an
-- enterprise's uploads: staff cannot upload as a firm, and the portal
-- serves them publicly once the item is published
-- (GET /api/v1/policies|notices/:id/attachments/:file_id).
-- The old rows pointed at enterprise uploads, which no staff editor could
-- have made; they are not carried over.
DROP TABLE content_attachment;

CREATE TABLE content_attachment (
  item_id  BIGINT NOT NULL REFERENCES content_item(id) ON DELETE CASCADE,
  file_id  BIGINT NOT NULL REFERENCES bureau_file(id),
  sort     INTEGER NOT NULL,
  PRIMARY KEY (item_id, file_id)
);
