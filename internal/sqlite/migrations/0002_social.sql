-- 0002: follows, engagement (likes, shares, views), ranked feed snapshots
-- and notifications. Conventions as in 0001.

-- Who follows whom. The primary key (follower, followee) is the reader's
-- side: "whom do I follow" and "do I follow X" are one range or one lookup,
-- and it is what the following timeline starts from.
CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    followee_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
) STRICT, WITHOUT ROWID;

-- An account's followers newest first (keyset on created_at, follower_id),
-- and, read in ascending order, the batches of the notification fan-out.
-- Also the child index of followee_id's foreign key.
CREATE INDEX follows_followers ON follows (followee_id, created_at DESC, follower_id DESC);

-- Whom an account follows, newest first.
CREATE INDEX follows_following ON follows (follower_id, created_at DESC, followee_id DESC);

-- Engagement counters that likes_count and comments_count did not cover.
-- views_count is bumped by the buffered view flusher, not per request.
ALTER TABLE posts ADD COLUMN views_count  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN shares_count INTEGER NOT NULL DEFAULT 0;

-- The ranked feeds score the newest few hundred visible posts by their
-- counters. This index holds all they read, so scoring is one range scan
-- of it and never visits the post rows, whose bodies (often in overflow
-- pages) sit before the counters. The price: a like, comment or flushed
-- view also rewrites the post's entry here.
CREATE INDEX posts_rank ON posts (status, published_at DESC, id DESC, author_id,
    likes_count, comments_count, views_count, shares_count);

-- One like per reader per post. reader is "a:<account id>" or "g:<guest
-- id>" (news.Reader.Key), so guests and accounts share one table and one
-- uniqueness rule.
CREATE TABLE post_likes (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reader     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, reader)
) STRICT, WITHOUT ROWID;

-- A reader's recent likes, for the tags they like (headlines boosts).
CREATE INDEX post_likes_reader ON post_likes (reader, created_at DESC);

-- One counted view per reader per post: the flusher inserts with OR IGNORE
-- and adds only the rows that went in to views_count.
CREATE TABLE post_views (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reader     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, reader)
) STRICT, WITHOUT ROWID;

CREATE INDEX post_views_reader ON post_views (reader, created_at DESC);

-- A ranked headlines list, computed once and paged by an opaque cursor
-- naming its random id, so that any instance serves the next page and no
-- post shows twice in one session. Expired rows are deleted on save.
CREATE TABLE feed_snapshots (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL, -- 0 for guests; no foreign key, guests share 0
    created_at INTEGER NOT NULL,
    data       TEXT    NOT NULL
) STRICT;

CREATE INDEX feed_snapshots_account ON feed_snapshots (account_id, created_at);
CREATE INDEX feed_snapshots_created ON feed_snapshots (created_at);

-- Notifications. group_key is set for kinds that are grouped while unread
-- ("Your comment got 25 likes"): the partial unique index lets a like
-- upsert the unread row and add to count.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('post', 'reply', 'follow', 'post_likes', 'comment_likes')),
    actor_id   INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    actor_name TEXT    NOT NULL DEFAULT '', -- a guest replier's name
    post_id    INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    comment_id INTEGER,
    group_key  TEXT,
    count      INTEGER NOT NULL DEFAULT 1,
    read_at    INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- A reader's list, newest first, keyset on id.
CREATE INDEX notifications_list ON notifications (account_id, id DESC);
-- The unread badge counts this small partial index, not the whole history.
CREATE INDEX notifications_unread ON notifications (account_id, id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_group ON notifications (account_id, group_key)
    WHERE read_at IS NULL AND group_key IS NOT NULL;
CREATE INDEX notifications_actor ON notifications (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX notifications_post ON notifications (post_id) WHERE post_id IS NOT NULL;

-- Watermarks of the asynchronous producers: posts that became visible up
-- to (at, id) were handed to fan-out jobs; comments up to id were checked
-- for replies. They start now, so an upgraded site does not notify its
-- whole history.
CREATE TABLE notify_marks (
    name TEXT    NOT NULL PRIMARY KEY,
    at   INTEGER NOT NULL,
    id   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO notify_marks (name, at, id)
SELECT 'posts', CAST(unixepoch('subsec') * 1000000 AS INTEGER), 0;
INSERT INTO notify_marks (name, at, id)
SELECT 'replies', 0, coalesce(max(id), 0) FROM comments;

-- One job per visible post: notify its author's followers, a batch at a
-- time, the job's keyset (after_at, after_id) over follows_followers moving
-- in the same transaction as the batch it wrote.
CREATE TABLE fanout_jobs (
    post_id   INTEGER NOT NULL PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL,
    after_at  INTEGER NOT NULL DEFAULT -1,
    after_id  INTEGER NOT NULL DEFAULT 0,
    done      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX fanout_jobs_pending ON fanout_jobs (post_id) WHERE done = 0;
