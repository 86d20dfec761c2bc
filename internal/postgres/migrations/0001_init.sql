-- 0001: the first schema, the PostgreSQL twin of internal/sqlite's
-- 0001_init.sql: the same tables, columns, checks and indexes, in
-- PostgreSQL's own types. Conventions for every table:
--   * ids are bigint identity columns, GENERATED ALWAYS so that only the
--     database hands them out. The two writers that must know an id before
--     the row exists say OVERRIDING SYSTEM VALUE: CreateComment (the id is
--     part of the comment's path) and migrate-data (ids are kept, so that
--     /p/{id} links keep working);
--   * times are timestamptz, which keeps microseconds; NULL means "no time"
--     (a draft's published_at, a credential that never expires);
--   * an optional reference to another row is NULL, never 0, so foreign keys
--     can check it;
--   * constraints whose violation the store translates into a message
--     (unique and foreign keys) are named, so that the names are stable.

CREATE TABLE accounts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle          text   NOT NULL,
    name            text   NOT NULL DEFAULT '',
    email           text   NOT NULL DEFAULT '', -- private: never rendered
    bio             text   NOT NULL DEFAULT '',
    role            text   NOT NULL CHECK (role IN ('reader', 'publisher', 'moderator', 'admin')),
    official        text   NOT NULL DEFAULT '', -- label of a verified official account, '' otherwise
    password_hash   text   NOT NULL DEFAULT '',
    followers_count bigint NOT NULL DEFAULT 0,
    following_count bigint NOT NULL DEFAULT 0,
    posts_count     bigint NOT NULL DEFAULT 0,  -- posts with status 'published', scheduled ones included
    created_at      timestamptz NOT NULL
);

-- Handles are unique in any letter case, and AccountByHandle looks them up
-- with lower(handle) = lower($1), which this expression index serves.
CREATE UNIQUE INDEX accounts_handle ON accounts (lower(handle));

-- Credentials are looked up only by the hash of their token: the primary
-- key's index is the one lookup.
CREATE TABLE sessions (
    token_hash text   NOT NULL PRIMARY KEY,
    account_id bigint NOT NULL CONSTRAINT sessions_account_fk REFERENCES accounts (id) ON DELETE CASCADE,
    kind       text   NOT NULL CHECK (kind IN ('session', 'api')),
    name       text   NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    expires_at timestamptz -- NULL: never
);

-- Child index for the foreign key (PostgreSQL does not make one by itself:
-- deleting an account must not scan every session) and for listing an
-- account's sessions and API tokens.
CREATE INDEX sessions_account ON sessions (account_id, kind);

CREATE TABLE posts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id      bigint NOT NULL CONSTRAINT posts_author_fk REFERENCES accounts (id),
    kind           text   NOT NULL DEFAULT 'article',
    title          text   NOT NULL,
    slug           text   NOT NULL,
    summary        text   NOT NULL DEFAULT '',
    body_markdown  text   NOT NULL DEFAULT '',
    body_html      text   NOT NULL DEFAULT '',
    lang           text   NOT NULL DEFAULT '',
    source_name    text   NOT NULL DEFAULT '',
    source_url     text   NOT NULL DEFAULT '',
    status         text   NOT NULL CHECK (status IN ('draft', 'published')),
    published_at   timestamptz, -- NULL for drafts; a future time means scheduled
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    comments_count bigint NOT NULL DEFAULT 0,
    likes_count    bigint NOT NULL DEFAULT 0,
    -- A published post without a time would never appear in any list.
    CHECK (status = 'draft' OR published_at IS NOT NULL),
    -- A post's address is /@handle/slug, so a slug is unique per author.
    -- The implied index also serves PostBySlug.
    CONSTRAINT posts_author_slug UNIQUE (author_id, slug)
);

-- The home list: WHERE status = 'published' AND published_at <= now, newest
-- first, continued after (published_at, id). Equality on status then a
-- range on the row (published_at, id), which PostgreSQL uses as one index
-- condition; the B-tree is read backwards for newest first, so ascending
-- columns serve both directions.
CREATE INDEX posts_home ON posts (status, published_at, id);

-- The same list for one author (profile pages, and the author's scheduled
-- posts, read forwards, soonest first). It is also the child index of the
-- author_id foreign key.
CREATE INDEX posts_author ON posts (author_id, status, published_at, id);

-- Tags of a post, in the order the author gave them (position). published_at
-- is a copy of the post's published_at while the post is published and NULL
-- while it is a draft; UpdatePost rewrites the rows of a post whenever it
-- changes, so the copy cannot drift. The copy is what lets a tag listing be
-- one range scan of post_tags_list without visiting posts that are not
-- shown. (A text[] column on posts would need a GIN index, which cannot
-- return posts in time order.)
CREATE TABLE post_tags (
    post_id      bigint  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    tag          text    NOT NULL,
    published_at timestamptz,
    PRIMARY KEY (post_id, position),
    UNIQUE (post_id, tag)
);

-- A tag's list: WHERE tag = $1 AND published_at <= now, newest first,
-- continued after (published_at, post_id). Drafts have NULL and fall out of
-- the range by themselves.
CREATE INDEX post_tags_list ON post_tags (tag, published_at, post_id);

-- Comments are threaded with a materialized path: each segment is a
-- comment's id in base 36, zero-padded to 8 characters, joined by '/'.
-- Segments have a fixed width, so ORDER BY path puts each reply right after
-- its parent and siblings in id order, which is the order they were written.
-- The path is COLLATE "C": bytewise order. A linguistic collation would
-- ignore the '/' separators at first and misorder threads.
-- The format is the SQLite store's, so paths copied by migrate-data and
-- paths written here sort together.
-- root_id is the thread's top-level comment (itself for a top-level comment).
CREATE TABLE comments (
    id            bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id       bigint  NOT NULL CONSTRAINT comments_post_fk REFERENCES posts (id) ON DELETE CASCADE,
    parent_id     bigint  CONSTRAINT comments_parent_fk REFERENCES comments (id), -- NULL for top-level comments
    root_id       bigint  NOT NULL,
    depth         integer NOT NULL CHECK (depth >= 0),
    path          text    COLLATE "C" NOT NULL,
    account_id    bigint  CONSTRAINT comments_account_fk REFERENCES accounts (id), -- NULL for guests
    author_name   text    NOT NULL DEFAULT '', -- the name at write time; reads show an account's current name
    email         text    NOT NULL DEFAULT '', -- private
    website       text    NOT NULL DEFAULT '',
    body          text    NOT NULL,
    body_html     text    NOT NULL DEFAULT '',
    status        text    NOT NULL CHECK (status IN ('published', 'pending', 'spam', 'deleted')),
    likes_count   bigint  NOT NULL DEFAULT 0,
    replies_count bigint  NOT NULL DEFAULT 0, -- published direct replies
    ip            text    NOT NULL DEFAULT '',
    user_agent    text    NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);

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
-- order, one ordered range per root.
CREATE INDEX comments_thread ON comments (root_id, path);

-- Child index of the account_id foreign key (and "comments by this account"
-- for moderators); guests are left out.
CREATE INDEX comments_account ON comments (account_id) WHERE account_id IS NOT NULL;
