-- Most comments are top-level (parent_id NULL), and no query looks for
-- comments with a NULL parent through the parent indexes (top-level lists
-- read comments_top and comments_top_likes). Partial, these two indexes
-- take no entry for a top-level comment: two B-tree inserts fewer on the
-- write path of most comments. A query for replies (parent_id = ?) implies
-- parent_id IS NOT NULL, so it still reads them, and so does the check of
-- the parent_id foreign key when a comment is removed (a strict
-- comparison proves the index predicate).
DROP INDEX IF EXISTS comments_parent;
DELETE FROM deferred_indexes WHERE name = 'comments_parent';
CREATE INDEX comments_parent ON comments (parent_id, status, id) WHERE parent_id IS NOT NULL;
DROP INDEX IF EXISTS comments_parent_top;
DELETE FROM deferred_indexes WHERE name = 'comments_parent_top';
CREATE INDEX comments_parent_top ON comments (parent_id, status, likes_count DESC, id) WHERE parent_id IS NOT NULL;
