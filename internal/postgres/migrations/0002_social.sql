-- 0002: follows, engagement (likes, shares, views), ranked feed snapshots
-- and notifications. The same tables as SQLite's 0002_social.sql; see the
-- comments there for why each index exists.

CREATE TABLE follows (
    follower_id bigint NOT NULL CONSTRAINT follows_follower_fk REFERENCES accounts (id) ON DELETE CASCADE,
    followee_id bigint NOT NULL CONSTRAINT follows_followee_fk REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);

CREATE INDEX follows_followers ON follows (followee_id, created_at, follower_id);
CREATE INDEX follows_following ON follows (follower_id, created_at, followee_id);

ALTER TABLE posts ADD COLUMN views_count  bigint NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN shares_count bigint NOT NULL DEFAULT 0;

-- Scoring reads only this index (an index-only scan); see SQLite's 0002.
CREATE INDEX posts_rank ON posts (status, published_at, id)
    INCLUDE (author_id, likes_count, comments_count, views_count, shares_count);

CREATE TABLE post_likes (
    post_id    bigint NOT NULL CONSTRAINT post_likes_post_fk REFERENCES posts (id) ON DELETE CASCADE,
    reader     text   NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, reader)
);
CREATE INDEX post_likes_reader ON post_likes (reader, created_at);

CREATE TABLE post_views (
    post_id    bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reader     text   NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (post_id, reader)
);
CREATE INDEX post_views_reader ON post_views (reader, created_at);

CREATE TABLE feed_snapshots (
    id         bigint NOT NULL PRIMARY KEY,
    account_id bigint NOT NULL,
    created_at timestamptz NOT NULL,
    data       text   NOT NULL
);
CREATE INDEX feed_snapshots_account ON feed_snapshots (account_id, created_at);
CREATE INDEX feed_snapshots_created ON feed_snapshots (created_at);

CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       text   NOT NULL CHECK (kind IN ('post', 'reply', 'follow', 'post_likes', 'comment_likes')),
    actor_id   bigint REFERENCES accounts (id) ON DELETE CASCADE,
    actor_name text   NOT NULL DEFAULT '',
    post_id    bigint REFERENCES posts (id) ON DELETE CASCADE,
    comment_id bigint,
    group_key  text,
    count      bigint NOT NULL DEFAULT 1,
    read_at    timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX notifications_list ON notifications (account_id, id);
CREATE INDEX notifications_unread ON notifications (account_id, id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_group ON notifications (account_id, group_key)
    WHERE read_at IS NULL AND group_key IS NOT NULL;
CREATE INDEX notifications_actor ON notifications (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX notifications_post ON notifications (post_id) WHERE post_id IS NOT NULL;

CREATE TABLE notify_marks (
    name text   NOT NULL PRIMARY KEY,
    at   timestamptz NOT NULL,
    id   bigint NOT NULL
);
INSERT INTO notify_marks (name, at, id) VALUES ('posts', now(), 0);
INSERT INTO notify_marks (name, at, id) SELECT 'replies', 'epoch', coalesce(max(id), 0) FROM comments;

-- Claimed with FOR UPDATE SKIP LOCKED: several instances work on different
-- jobs, and a batch's notifications and the job's new position commit
-- together.
CREATE TABLE fanout_jobs (
    post_id   bigint NOT NULL PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    author_id bigint NOT NULL,
    after_at  timestamptz NOT NULL DEFAULT 'epoch',
    after_id  bigint NOT NULL DEFAULT 0,
    done      boolean NOT NULL DEFAULT false
);
CREATE INDEX fanout_jobs_pending ON fanout_jobs (post_id) WHERE NOT done;
