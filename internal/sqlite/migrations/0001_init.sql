-- 0001: the first schema. Conventions for every table:
--   * times are INTEGER unix microseconds in UTC; NULL means "no time"
--     (a draft's published_at, a credential that never expires);
--   * tables are STRICT, so a value of the wrong type is an error instead of
--     being stored silently;
--   * an optional reference to another row is NULL, never 0, so foreign keys
--     can check it.

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    handle          TEXT    NOT NULL,
    name            TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '', -- private: never rendered
    bio             TEXT    NOT NULL DEFAULT '',
    role            TEXT    NOT NULL CHECK (role IN ('reader', 'publisher', 'moderator', 'admin')),
    official        TEXT    NOT NULL DEFAULT '', -- label of a verified official account, '' otherwise
    password_hash   TEXT    NOT NULL DEFAULT '',
    followers_count INTEGER NOT NULL DEFAULT 0,
    following_count INTEGER NOT NULL DEFAULT 0,
    posts_count     INTEGER NOT NULL DEFAULT 0,  -- posts with status 'published', scheduled ones included
    created_at      INTEGER NOT NULL
) STRICT;

-- Handles are unique in any letter case, and AccountByHandle looks them up
-- with COLLATE NOCASE, which this index serves.
CREATE UNIQUE INDEX accounts_handle ON accounts (handle COLLATE NOCASE);

-- Credentials are looked up only by the hash of their token, so the hash is
-- the primary key of a table without rowids: one B-tree, one lookup.
CREATE TABLE sessions (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('session', 'api')),
    name       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER -- NULL: never
) STRICT, WITHOUT ROWID;

-- Child index for the foreign key (deleting an account must not scan every
-- session) and for listing an account's sessions and API tokens.
CREATE INDEX sessions_account ON sessions (account_id, kind);

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    author_id      INTEGER NOT NULL REFERENCES accounts (id),
    kind           TEXT    NOT NULL DEFAULT 'article',
    title          TEXT    NOT NULL,
    slug           TEXT    NOT NULL,
    summary        TEXT    NOT NULL DEFAULT '',
    body_markdown  TEXT    NOT NULL DEFAULT '',
    body_html      TEXT    NOT NULL DEFAULT '',
    lang           TEXT    NOT NULL DEFAULT '',
    source_name    TEXT    NOT NULL DEFAULT '',
    source_url     TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL CHECK (status IN ('draft', 'published')),
    published_at   INTEGER, -- NULL for drafts; a future time means scheduled
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    comments_count INTEGER NOT NULL DEFAULT 0,
    likes_count    INTEGER NOT NULL DEFAULT 0,
    -- A published post without a time would never appear in any list.
    CHECK (status = 'draft' OR published_at IS NOT NULL),
    -- A post's address is /@handle/slug, so a slug is unique per author.
    -- The implied index also serves PostBySlug.
    UNIQUE (author_id, slug)
) STRICT;

-- The home list: WHERE status = 'published' AND published_at <= now, newest
-- first, continued after (published_at, id). Equality on status then a range
-- on (published_at, id) in index order: a range scan with no sort step.
CREATE INDEX posts_home ON posts (status, published_at DESC, id DESC);

-- The same list for one author (profile pages, the author's scheduled
-- posts). It is also the child index of the author_id foreign key.
CREATE INDEX posts_author ON posts (author_id, status, published_at DESC, id DESC);

-- Tags of a post, in the order the author gave them (position). published_at
-- is a copy of the post's published_at while the post is published and NULL
-- while it is a draft; UpdatePost rewrites the rows of a post whenever it
-- changes, so the copy cannot drift. The copy is what lets a tag listing be
-- one range scan of post_tags_list without visiting posts that are not shown.
CREATE TABLE post_tags (
    post_id      INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    tag          TEXT    NOT NULL,
    published_at INTEGER,
    PRIMARY KEY (post_id, position),
    UNIQUE (post_id, tag)
) STRICT, WITHOUT ROWID;

-- A tag's list: WHERE tag = ? AND published_at <= now, newest first,
-- continued after (published_at, post_id). Drafts have NULL and fall out of
-- the range by themselves.
CREATE INDEX post_tags_list ON post_tags (tag, published_at DESC, post_id DESC);

-- Comments are threaded with a materialized path: each segment is a
-- comment's id in base 36, zero-padded to 8 characters, joined by '/'.
-- Segments have a fixed width, so ORDER BY path puts each reply right after
-- its parent and siblings in id order, which is the order they were written.
-- root_id is the thread's top-level comment (itself for a top-level comment).
CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES comments (id), -- NULL for top-level comments
    root_id       INTEGER NOT NULL,
    depth         INTEGER NOT NULL CHECK (depth >= 0),
    path          TEXT    NOT NULL,
    account_id    INTEGER REFERENCES accounts (id), -- NULL for guests
    author_name   TEXT    NOT NULL DEFAULT '', -- the name at write time; reads show an account's current name
    email         TEXT    NOT NULL DEFAULT '', -- private
    website       TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL,
    body_html     TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL CHECK (status IN ('published', 'pending', 'spam', 'deleted')),
    likes_count   INTEGER NOT NULL DEFAULT 0,
    replies_count INTEGER NOT NULL DEFAULT 0, -- published direct replies
    ip            TEXT    NOT NULL DEFAULT '',
    user_agent    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) STRICT;

-- All comments of a post newest or oldest first (SortNew/SortOld), keyset on
-- id. Also the child index of the post_id foreign key.
CREATE INDEX comments_post ON comments (post_id, status, id);

-- Top-level comments of a post, the default view: a partial index, so the
-- scan does not step over the replies of busy threads.
CREATE INDEX comments_top ON comments (post_id, status, id) WHERE parent_id IS NULL;

-- Direct replies of one comment, in id order. Also the child index of the
-- parent_id foreign key.
CREATE INDEX comments_parent ON comments (parent_id, status, id);

-- ListReplies: whole threads under a page of top-level comments, in thread
-- order, one range per root.
CREATE INDEX comments_thread ON comments (root_id, path);

-- Child index of the account_id foreign key (and "comments by this account"
-- for moderators); guests are left out.
CREATE INDEX comments_account ON comments (account_id) WHERE account_id IS NOT NULL;
