package sqlite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bound LIMIT inside a subquery re-prepares its statement on every
// execution (subqueryLimit). The store's SQL is in its Go files, so they
// are read for one.
func TestNoBoundLimitInSubqueries(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "LIMIT ?)") {
				t.Errorf("%s:%d: a subquery's LIMIT is bound; write it with subqueryLimit", f, i+1)
			}
		}
	}
}
