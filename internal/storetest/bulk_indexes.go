package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/headline/headline/internal/news"
)

// IndexSite is a store to test deferred indexes on: Open opens it (again,
// after Close: the same database), Indexes lists its index definitions.
type IndexSite struct {
	Open    func(t *testing.T) news.Store
	Indexes func(t *testing.T, st news.Store) []string
	// Kept names a unique index that DeferIndexes must leave in place.
	Kept string
}

// DeferredIndexesComeBack checks that indexes DeferIndexes dropped come
// back as they were: by RestoreIndexes in two steps (those without a
// counter first), and by opening the store again after a load that
// stopped with them deferred.
func DeferredIndexesComeBack(t *testing.T, site IndexSite) {
	st := site.Open(t)
	c := ctx(t)
	bl := st.(news.BulkLoader)
	want := site.Indexes(t, st)
	has := func(list []string, name string) bool {
		return slices.ContainsFunc(list, func(q string) bool { return strings.Contains(q, " "+name+" ") })
	}
	must(t, "DeferIndexes", bl.DeferIndexes(c))
	deferred := site.Indexes(t, st)
	if len(deferred) >= len(want) || has(deferred, "comments_post_top") || has(deferred, "comments_parent") {
		t.Fatalf("DeferIndexes left %d of %d indexes, among them: %q", len(deferred), len(want), deferred)
	}
	if !has(deferred, site.Kept) {
		t.Fatalf("DeferIndexes dropped %s: %q", site.Kept, deferred)
	}
	must(t, "RestoreIndexes(false)", bl.RestoreIndexes(c, false))
	some := site.Indexes(t, st)
	if slices.ContainsFunc(some, news.HoldsCounter) || !has(some, "comments_parent") {
		t.Fatalf("after RestoreIndexes(false): %q", some)
	}
	must(t, "RestoreIndexes(true)", bl.RestoreIndexes(c, true))
	if got := site.Indexes(t, st); !slices.Equal(got, want) {
		t.Fatalf("indexes after restoring:\n%q\nwant\n%q", got, want)
	}

	must(t, "DeferIndexes", bl.DeferIndexes(c))
	must(t, "Close", st.Close())
	st = site.Open(t)
	if got := site.Indexes(t, st); !slices.Equal(got, want) {
		t.Fatalf("indexes after opening again:\n%q\nwant\n%q", got, want)
	}
}
