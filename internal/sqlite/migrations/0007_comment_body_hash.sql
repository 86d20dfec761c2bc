-- The duplicate check (RecentDuplicate, run before every comment post)
-- looks for the writer's comment with the same body on the same post.
-- Keyed by a hash of the body (news.BodyHash), it is one index seek that
-- reads no row unless the bodies match; keyed by time, it read the
-- writer's newest comments one table row each, which was a tenth of a
-- comment post's CPU. Rows written before this migration have no hash
-- and are never found as duplicates: the check looks 30 s back.
ALTER TABLE comments ADD COLUMN body_hash INTEGER;
-- An interrupted bulk load may have dropped the old index and listed it to
-- be built again: the new definition replaces it there too.
DROP INDEX IF EXISTS comments_writer;
DELETE FROM deferred_indexes WHERE name = 'comments_writer';
CREATE INDEX comments_writer ON comments (post_id, account_id, email, body_hash, created_at);
