-- Outbound delivery: the queue (the only source of truth for mail still to be sent), the route
-- table, DKIM keys and per-account submission policy. Times are unix milliseconds (UTC).
CREATE TABLE queue_messages (
    id       TEXT PRIMARY KEY,
    blob_id  TEXT NOT NULL,
    size     INTEGER NOT NULL,
    sender   TEXT NOT NULL,
    envelope TEXT NOT NULL,
    created  INTEGER NOT NULL
);
CREATE INDEX queue_messages_blob ON queue_messages(blob_id);

-- One row per envelope recipient. state: 0 pending, 1 delivered, 2 failed. notice: the RFC 3464
-- action of a DSN still owed to the sender (1 failed, 2 delayed, 3 delivered, 4 relayed) or NULL.
CREATE TABLE queue_recipients (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id     TEXT NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,
    address        TEXT NOT NULL,
    domain         TEXT NOT NULL COLLATE NOCASE,
    notify         INTEGER NOT NULL,
    orcpt          TEXT,
    state          INTEGER NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt   INTEGER NOT NULL,
    last_attempt   INTEGER,
    last_error     TEXT,
    status         TEXT,
    remote_mta     TEXT,
    delay_reported INTEGER NOT NULL DEFAULT 0,
    notice         INTEGER
);
CREATE INDEX queue_recipients_due ON queue_recipients(state, next_attempt, domain);
CREATE INDEX queue_recipients_message ON queue_recipients(message_id);
CREATE INDEX queue_recipients_notice ON queue_recipients(notice) WHERE notice IS NOT NULL;

CREATE TABLE routes (
    domain      TEXT PRIMARY KEY COLLATE NOCASE,
    host        TEXT,
    port        INTEGER NOT NULL DEFAULT 25,
    auth_user   TEXT,
    auth_secret TEXT,
    tls         INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL
);

CREATE TABLE dkim_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    domain_id   INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    selector    TEXT NOT NULL,
    algorithm   INTEGER NOT NULL,
    private_key TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    created     INTEGER NOT NULL,
    UNIQUE (domain_id, selector)
);

CREATE TABLE send_policies (
    account_id        INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    messages_per_hour INTEGER
);

CREATE TABLE send_as (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    pattern    TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (account_id, pattern)
);
