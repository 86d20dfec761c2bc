-- Secondary indexes a bulk load dropped to build again once its rows are
-- in (BulkLoader.DeferIndexes): one sorted pass an index instead of a
-- random B-tree insert per row. Open builds any still listed, so a site
-- whose load was interrupted gets its indexes back when it is next opened.
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);
