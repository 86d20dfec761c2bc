package loadgen

// The run's rows get consecutive ids from the first ones the journal
// records (news.BulkLoader takes ids from the caller), so any item's id is
// known from its index alone: a reply names its parent, a like its post,
// without asking the store, and a resumed run knows them all again.

// accountID is the id of account i of the run.
func (g *Generator) accountID(i int) int64 { return g.ids.Account + int64(i) }

// postID is the id of post j of the run.
func (g *Generator) postID(j int) int64 { return g.ids.Post + int64(j) }

// commentID is the id of comment n of the run, numbered across all posts
// in the order they are written.
func (g *Generator) commentID(n int64) int64 { return g.ids.Comment + n }
