-- App passwords (issue 6 item 9): named passwords for mail clients, usable for IMAP, POP3 and
-- SMTP submission only. hash is Argon2id (PHC string); the password is never stored. selector is
-- the public first group of the password and names the row, so a login verifies one hash.
-- Rows go with their account (ON DELETE CASCADE) and account ids are never reused, so an address
-- deleted and re-created starts with none. expired = 1 after a forced reset, until the admin sets
-- a new password, which deletes them. Times are unix milliseconds (UTC).
CREATE TABLE app_passwords (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name       TEXT NOT NULL COLLATE NOCASE,
    selector   TEXT NOT NULL,
    hash       TEXT NOT NULL,
    created    INTEGER NOT NULL,
    last_used  INTEGER,
    expired    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, name),
    UNIQUE (account_id, selector)
);
