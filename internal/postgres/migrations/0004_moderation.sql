-- 0004: moderation. Settings and a shared secret, bans, rate counters,
-- reviews (spam score and reasons) and reader reports, and the indexes of
-- the moderation queue. The same tables as SQLite's 0004.

-- Named site-wide values every instance shares, such as the key that signs
-- the guest form's timestamp.
CREATE TABLE settings (
    name  text NOT NULL PRIMARY KEY,
    value text NOT NULL
);

-- Moderation settings documents (JSON, owned by package moderation): scope
-- 0 is the site, any other scope an official account whose posts use its
-- own settings. Row 0 always exists and its version is bumped by every
-- save, so the comment write path of every instance learns of a change
-- from the one row it reads anyway.
CREATE TABLE moderation_settings (
    scope   bigint NOT NULL PRIMARY KEY,
    data    text   NOT NULL,
    version bigint NOT NULL DEFAULT 0
);
INSERT INTO moderation_settings (scope, data, version) VALUES (0, '', 0);

-- Bans by account id, guest email or IP; one per (kind, value), which the
-- write path probes with equality.
CREATE TABLE bans (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text   NOT NULL CHECK (kind IN ('account', 'email', 'ip')),
    value      text   NOT NULL,
    reason     text   NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    UNIQUE (kind, value)
);

-- Fixed-window rate counters, keyed by what is limited ("comment:ip:…").
-- Several instances share one PostgreSQL, so the counters live here: an
-- INSERT ... ON CONFLICT DO UPDATE is atomic, and every instance counts
-- into the same row.
CREATE TABLE rate_counters (
    key       text   NOT NULL,
    win_start bigint NOT NULL, -- unix seconds
    count     bigint NOT NULL,
    PRIMARY KEY (key, win_start)
);
CREATE INDEX rate_counters_window ON rate_counters (win_start);

-- Moderation's note on a comment: spam score, reasons (one per line), the
-- writer's reader key (a held comment is shown to its writer only) and
-- open reports. Comments published with nothing against them have no row.
CREATE TABLE comment_reviews (
    comment_id bigint  NOT NULL PRIMARY KEY CONSTRAINT comment_reviews_comment_fk REFERENCES comments (id) ON DELETE CASCADE,
    score      integer NOT NULL DEFAULT 0,
    reasons    text    NOT NULL DEFAULT '',
    writer     text    NOT NULL DEFAULT '',
    reports    bigint  NOT NULL DEFAULT 0
);
-- The "reported" queue, newest first: only comments with open reports.
CREATE INDEX comment_reviews_reported ON comment_reviews (comment_id) WHERE reports > 0;

-- One report per reader per comment. Rows stay after a moderator closes
-- the reports, so the same reader cannot report the same comment again.
CREATE TABLE comment_reports (
    comment_id bigint NOT NULL CONSTRAINT comment_reports_comment_fk REFERENCES comments (id) ON DELETE CASCADE,
    reader     text   NOT NULL,
    reason     text   NOT NULL,
    note       text   NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (comment_id, reader)
);

-- The pending and spam queues, newest first: a partial index, so the
-- queue never steps over the published comments.
CREATE INDEX comments_queue ON comments (status, id) WHERE status IN ('pending', 'spam');

-- "Has this guest a published comment?" for holding first-time commenters
-- (accounts use comments_account).
CREATE INDEX comments_guest_email ON comments (email, status) WHERE account_id IS NULL;
