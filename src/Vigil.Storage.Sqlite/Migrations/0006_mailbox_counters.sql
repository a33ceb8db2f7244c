-- SELECT and STATUS of a big mailbox without reading its message rows (issue 7: SELECT of 100,000
-- messages took 181 ms, two passes over every row for the UID list and the counts).
--
-- Per-mailbox counters kept by triggers, so every statement that adds, removes, moves or re-flags
-- a message row (delivery, APPEND, COPY, MOVE, EXPUNGE, DELETE, RENAME INBOX, account deletion's
-- cascade) updates them in its own transaction; no code path can forget one. Flag bits: 1 \Seen,
-- 8 \Deleted (Vigil.Core.Model.MessageFlags).
ALTER TABLE mailboxes ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN unseen_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN deleted_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailboxes ADD COLUMN total_size INTEGER NOT NULL DEFAULT 0;

UPDATE mailboxes SET
    message_count = (SELECT count(*) FROM messages m WHERE m.mailbox_id = mailboxes.id),
    unseen_count  = (SELECT count(*) FROM messages m WHERE m.mailbox_id = mailboxes.id AND (m.flags & 1) = 0),
    deleted_count = (SELECT count(*) FROM messages m WHERE m.mailbox_id = mailboxes.id AND (m.flags & 8) != 0),
    total_size    = (SELECT coalesce(sum(m.size), 0) FROM messages m WHERE m.mailbox_id = mailboxes.id);

CREATE TRIGGER messages_count_insert AFTER INSERT ON messages
BEGIN
    UPDATE mailboxes SET message_count = message_count + 1,
        unseen_count = unseen_count + ((NEW.flags & 1) = 0),
        deleted_count = deleted_count + ((NEW.flags & 8) != 0),
        total_size = total_size + NEW.size
    WHERE id = NEW.mailbox_id;
END;

CREATE TRIGGER messages_count_delete AFTER DELETE ON messages
BEGIN
    UPDATE mailboxes SET message_count = message_count - 1,
        unseen_count = unseen_count - ((OLD.flags & 1) = 0),
        deleted_count = deleted_count - ((OLD.flags & 8) != 0),
        total_size = total_size - OLD.size
    WHERE id = OLD.mailbox_id;
END;

CREATE TRIGGER messages_count_update AFTER UPDATE OF flags, size, mailbox_id ON messages
WHEN OLD.mailbox_id != NEW.mailbox_id OR (OLD.flags & 9) != (NEW.flags & 9) OR OLD.size != NEW.size
BEGIN
    UPDATE mailboxes SET message_count = message_count - 1,
        unseen_count = unseen_count - ((OLD.flags & 1) = 0),
        deleted_count = deleted_count - ((OLD.flags & 8) != 0),
        total_size = total_size - OLD.size
    WHERE id = OLD.mailbox_id;
    UPDATE mailboxes SET message_count = message_count + 1,
        unseen_count = unseen_count + ((NEW.flags & 1) = 0),
        deleted_count = deleted_count + ((NEW.flags & 8) != 0),
        total_size = total_size + NEW.size
    WHERE id = NEW.mailbox_id;
END;

-- The UID list of a mailbox straight from an index (no row reads), and the first unseen message
-- (SELECT's [UNSEEN n]) from a partial index in O(log n). Queries must spell the partial index's
-- condition exactly as "(flags & 1) = 0" for SQLite to use it.
DROP INDEX messages_account;
CREATE INDEX messages_account ON messages(account_id, mailbox_id, uid);
CREATE INDEX messages_unseen ON messages(account_id, mailbox_id, uid) WHERE (flags & 1) = 0;
