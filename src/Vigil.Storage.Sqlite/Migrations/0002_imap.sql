-- IMAP: message summaries and full-text index (one per blob: identical content is parsed and
-- indexed once), the expunge log behind QRESYNC VANISHED, subscriptions by name, \Recent mark.

CREATE TABLE message_summaries (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    blob_id   TEXT NOT NULL UNIQUE,
    summary   TEXT NOT NULL,
    sent_date INTEGER
);

-- Trigram tokens make MATCH a case-insensitive substring test (IMAP SEARCH BODY/TEXT semantics);
-- contentless: the text lives only in the blob, the index keeps just the tokens.
CREATE VIRTUAL TABLE message_text USING fts5(headers, body, content='', contentless_delete=1, tokenize='trigram remove_diacritics 1');

CREATE TABLE expunged (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
    uid        INTEGER NOT NULL,
    modseq     INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
) WITHOUT ROWID;
CREATE INDEX expunged_modseq ON expunged(mailbox_id, modseq);

CREATE TABLE subscriptions (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    PRIMARY KEY (account_id, name)
) WITHOUT ROWID;
INSERT INTO subscriptions (account_id, name) SELECT account_id, name FROM mailboxes WHERE subscribed = 1;

-- The first UID no session has yet been told about (RFC 3501 \Recent).
ALTER TABLE mailboxes ADD COLUMN recent_uid INTEGER NOT NULL DEFAULT 1;

CREATE INDEX messages_modseq ON messages(mailbox_id, modseq);
