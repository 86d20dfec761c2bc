-- 0003: likes on comments, pins, edits and deletions, and the indexes that
-- keep a post with 100,000 comments as fast to page as one with ten.

-- A deleted comment with replies stays as a placeholder (deleted_at set,
-- status still 'published') so that its thread holds together; one without
-- replies gets status 'deleted' and leaves every list.
ALTER TABLE comments ADD COLUMN edited_at  INTEGER;
ALTER TABLE comments ADD COLUMN deleted_at INTEGER;
ALTER TABLE comments ADD COLUMN pinned_at  INTEGER;

-- One like per reader and comment. reader is 'a:<account id>' or
-- 'g:<guest cookie id>', so one primary key says "once per reader" for
-- both kinds; account_id is there for the foreign key. Without rowids: the
-- key is the lookup (and LikedComments probes it by comment_id first).
CREATE TABLE comment_likes (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reader     TEXT    NOT NULL,
    account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reader)
) STRICT, WITHOUT ROWID;

-- Child index of the account_id foreign key ("likes by this account").
CREATE INDEX comment_likes_account ON comment_likes (account_id) WHERE account_id IS NOT NULL;

-- Sort top: most liked first, ties oldest first, keyset on (likes, id).
-- The order of the index is the order of the list, so a page is one range
-- scan wherever the cursor points. One index per list shape, like the
-- new/old ones: all comments, top-level ones (partial), a comment's replies.
CREATE INDEX comments_post_top ON comments (post_id, status, likes_count DESC, id);
CREATE INDEX comments_top_likes ON comments (post_id, status, likes_count DESC, id) WHERE parent_id IS NULL;
CREATE INDEX comments_parent_top ON comments (parent_id, status, likes_count DESC, id);

-- Pinned comments of a post: few rows, found without scanning the post.
CREATE INDEX comments_pinned ON comments (post_id, pinned_at) WHERE pinned_at IS NOT NULL;

-- RecentDuplicate: a writer's newest comments on one post (guests by
-- email, accounts by id), so deduplicating a post costs one short range
-- however busy the post is.
CREATE INDEX comments_writer ON comments (post_id, account_id, email, created_at);
