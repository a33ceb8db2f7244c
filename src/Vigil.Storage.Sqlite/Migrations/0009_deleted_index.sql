-- EXPUNGE's "which messages are \Deleted" from a partial index instead of reading every row of the
-- mailbox (0.1 ms a call at 100 messages, growing with the mailbox). Queries must spell the
-- condition exactly as "(flags & 8) != 0" (8 is \Deleted) for SQLite to use it.
CREATE INDEX messages_deleted ON messages(account_id, mailbox_id, uid) WHERE (flags & 8) != 0;
