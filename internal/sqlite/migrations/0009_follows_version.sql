-- A counter of the account's own follows and unfollows, bumped in the same
-- transaction as each. The ranking service keeps a reader's followed set
-- in memory and compares this (on the account row every request reads
-- anyway) with the version it loaded, so an instance never ranks with a
-- set another instance has changed. Adding a column with a constant
-- default rewrites no row.
ALTER TABLE accounts ADD COLUMN follows_version INTEGER NOT NULL DEFAULT 0;
