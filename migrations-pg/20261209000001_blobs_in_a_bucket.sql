-- A blob's bytes may live in an S3-compatible bucket (`redline serve
-- --s3-bucket`): its row stays here as the record that it is stored, with
-- `bytes` NULL. Rows written before keep their bytes and are served as ever.
ALTER TABLE blobs ALTER COLUMN bytes DROP NOT NULL;
