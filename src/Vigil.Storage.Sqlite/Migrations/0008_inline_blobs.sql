-- Small message bodies kept in the database instead of a file each (see InlineBlobStore).
-- The key is named id, not blob_id: a blob_id column counts as a reference to a blob for
-- backups, and a stored body is not a reference to itself.
CREATE TABLE blob_inline (
    id   TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;
