-- Numbered 0007 (briefly 0006_fts_pending on main next to 0006_mailbox_counters; IF NOT EXISTS
-- lets a database that applied it under that name take this one too).
-- Full-text indexing off the delivery path (docs/imap.md, "Full-text index"): a message's summary
-- is stored before the 250/OK, its FTS5 row later, by the background indexer. A summary whose text
-- is not yet in message_text has a row here, written in the same transaction as the summary, so a
-- crash never loses the fact; the indexer (and a SEARCH, for its own mailbox, before it queries)
-- indexes it and deletes the row in one transaction. Rows go with their summary.
CREATE TABLE IF NOT EXISTS fts_pending (
    summary_id INTEGER PRIMARY KEY REFERENCES message_summaries(id) ON DELETE CASCADE,
    queued     INTEGER NOT NULL
);
