-- A counter of the account's own follows and unfollows; see SQLite's 0007.
-- A constant default is stored in the catalog: no row is rewritten.
ALTER TABLE accounts ADD COLUMN follows_version bigint NOT NULL DEFAULT 0;
