package news

import (
	"hash/fnv"
	"testing"
)

// The stores keep BodyHash in the database: it must be FNV-1a 64 exactly,
// or duplicates written before a change would stop being found.
func TestBodyHashIsFNV1a(t *testing.T) {
	for _, body := range []string{"", "Same comment", "同じコメント", "Тот же комментарий\n"} {
		h := fnv.New64a()
		h.Write([]byte(body))
		if got, want := BodyHash(body), int64(h.Sum64()); got != want {
			t.Errorf("BodyHash(%q) = %d, want %d", body, got, want)
		}
	}
	if BodyHash("a") == BodyHash("b") {
		t.Error("different bodies share a hash")
	}
}
