-- Auto-ban and admin bans (issue 6). Networks are canonical CIDR text ("203.0.113.7/32",
-- "2001:db8:1:2::/64"). Times are unix milliseconds (UTC); expires NULL = until removed.
-- Expired rows are kept as offence history so a repeat offender's next ban is longer.
CREATE TABLE bans (
    network  TEXT PRIMARY KEY,
    reason   TEXT NOT NULL,
    source   TEXT NOT NULL CHECK (source IN ('auto', 'admin')),
    created  INTEGER NOT NULL,
    expires  INTEGER,
    offenses INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX bans_expires ON bans(expires);

-- Networks that are never banned or rate limited. Empty by default: private ranges are not
-- exempt (DESIGN.md lessons). Every change is also written to the audit log.
CREATE TABLE ban_exemptions (
    network  TEXT PRIMARY KEY,
    note     TEXT NOT NULL,
    added_by TEXT NOT NULL,
    created  INTEGER NOT NULL
);
