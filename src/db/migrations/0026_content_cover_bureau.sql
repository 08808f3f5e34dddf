-- 0026: a policy's or notice's cover image (封面图片) is a bureau file
-- (bureau_file, uploaded by staff through POST /api/v1/admin/uploads, an
-- image by content), served publicly once the item is published
-- (GET /api/v1/policies|notices/:id/cover). The old column held an
-- enterprise upload id: no staff screen could make one, no visitor could
-- see one (the enterprise download route is session- and firm-scoped), and
-- the id means nothing in bureau_file, so those values are dropped rather
-- than carried over (every existing cover becomes "no cover").
ALTER TABLE content_item DROP COLUMN cover_upload_id;
ALTER TABLE content_item ADD COLUMN cover_file_id BIGINT REFERENCES bureau_file(id);
