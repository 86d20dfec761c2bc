-- 0004: moderation. Settings and a shared secret, bans, rate counters,
-- reviews (spam score and reasons) and reader reports, and the indexes of
-- the moderation queue. Conventions as in 0001.

-- Named site-wide values every instance shares, such as the key that signs
-- the guest form's timestamp.
CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Moderation settings documents (JSON, owned by package moderation): scope
-- 0 is the site, any other scope an official account whose posts use its
-- own settings. Row 0 always exists and its version is bumped by every
-- save, so the comment write path learns of a change on any instance from
-- the one row it reads anyway.
CREATE TABLE moderation_settings (
    scope   INTEGER NOT NULL PRIMARY KEY,
    data    TEXT    NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO moderation_settings (scope, data, version) VALUES (0, '', 0);

-- Bans by account id, guest email or IP; one per (kind, value), which the
-- write path probes with equality.
CREATE TABLE bans (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('account', 'email', 'ip')),
    value      TEXT    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (kind, value)
) STRICT;

-- Fixed-window rate counters, keyed by what is limited ("comment:ip:…").
-- They live in the database, not in memory, so that limits hold across
-- instances on PostgreSQL; the window index lets each hit delete expired
-- windows with one short range.
CREATE TABLE rate_counters (
    key    TEXT    NOT NULL,
    win_start INTEGER NOT NULL, -- unix seconds
    count  INTEGER NOT NULL,
    PRIMARY KEY (key, win_start)
) STRICT, WITHOUT ROWID;
CREATE INDEX rate_counters_window ON rate_counters (win_start);

-- Moderation's note on a comment: spam score, reasons (one per line), the
-- writer's reader key (a held comment is shown to its writer only) and
-- open reports. Comments published with nothing against them have no row.
CREATE TABLE comment_reviews (
    comment_id INTEGER NOT NULL PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
    score      INTEGER NOT NULL DEFAULT 0,
    reasons    TEXT    NOT NULL DEFAULT '',
    writer     TEXT    NOT NULL DEFAULT '',
    reports    INTEGER NOT NULL DEFAULT 0
) STRICT;
-- The "reported" queue, newest first: only comments with open reports.
CREATE INDEX comment_reviews_reported ON comment_reviews (comment_id) WHERE reports > 0;

-- One report per reader per comment. Rows stay after a moderator closes
-- the reports, so the same reader cannot report the same comment again.
CREATE TABLE comment_reports (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reader     TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reader)
) STRICT, WITHOUT ROWID;

-- The pending and spam queues, newest first: a partial index, so the
-- queue never steps over the published comments.
CREATE INDEX comments_queue ON comments (status, id) WHERE status IN ('pending', 'spam');

-- "Has this guest a published comment?" for holding first-time commenters
-- (accounts use comments_account).
CREATE INDEX comments_guest_email ON comments (email, status) WHERE account_id IS NULL;
