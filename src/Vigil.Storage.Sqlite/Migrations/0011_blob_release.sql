-- Bodies no longer named by any message or queue entry, waiting to be deleted (docs/storage.md,
-- "Deleted mail"). A row is only a candidate: BlobSweeper deletes the body after the grace
-- period, and only if, at that moment and inside the writer's transaction, no message or queue
-- entry names it and no delivery of the same content has claimed it meanwhile; otherwise it drops
-- or postpones the row. The key is named id, not blob_id: a blob_id column counts as a reference
-- to a blob for backups (SnapshotBlobReferences), and a released body is no longer one.
CREATE TABLE blob_release (
    id       TEXT PRIMARY KEY,
    released INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX blob_release_time ON blob_release(released);

-- Triggers, so every statement that removes a row (EXPUNGE, MOVE, mailbox DELETE, POP3 DELE at
-- QUIT, a finished or removed queue entry, account deletion's cascade) records the release in its
-- own transaction; no code path can forget one, and a crash can never separate the two. A body
-- released again restarts its grace period. Times are unix milliseconds (UTC).
CREATE TRIGGER messages_release_body AFTER DELETE ON messages
BEGIN
    INSERT INTO blob_release (id, released) VALUES (OLD.blob_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
    ON CONFLICT(id) DO UPDATE SET released = excluded.released;
END;

CREATE TRIGGER queue_messages_release_body AFTER DELETE ON queue_messages
BEGIN
    INSERT INTO blob_release (id, released) VALUES (OLD.blob_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
    ON CONFLICT(id) DO UPDATE SET released = excluded.released;
END;

-- Bodies left unreferenced before this migration (every expunge so far) are released by the
-- sweeper's scan at start-up (BlobSweeper.ReleaseOrphansAsync), which also sees blob files; it
-- runs at every start, so bodies orphaned by a crash between a blob commit and its row are found too.
