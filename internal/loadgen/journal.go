package loadgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
)

// journal is where a run stands, kept in its marker account's bio after the
// parameters and rewritten in the transaction of every batch: the first
// ids of the run's accounts, posts and comments (the run gives its items
// consecutive ids from there), and the items of the phase being written
// that are committed. A resumed run reads it back and carries on exactly
// there, on any database, with no file on the side.
type journal struct {
	ids   news.BulkIDs
	phase string
	done  int
}

// bio is the marker's bio holding fingerprint and j.
func (j journal) bio(fingerprint string) string {
	return fmt.Sprintf("%s ids=%d,%d,%d at=%s:%d", fingerprint, j.ids.Account, j.ids.Post, j.ids.Comment, j.phase, j.done)
}

// parseJournal reads the journal from a marker's bio.
func parseJournal(bio string) (journal, error) {
	var j journal
	var haveIDs, haveAt bool
	for _, kv := range strings.Fields(bio) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "ids":
			parts := strings.Split(v, ",")
			if len(parts) != 3 {
				return j, fmt.Errorf("marker ids %q: want three", v)
			}
			var n [3]int64
			for i, p := range parts {
				x, err := strconv.ParseInt(p, 10, 64)
				if err != nil || x < 1 {
					return j, fmt.Errorf("marker ids %q: not ids", v)
				}
				n[i] = x
			}
			j.ids, haveIDs = news.BulkIDs{Account: n[0], Post: n[1], Comment: n[2]}, true
		case "at":
			phase, done, ok := strings.Cut(v, ":")
			n, err := strconv.Atoi(done)
			if !ok || err != nil || n < 0 {
				return j, fmt.Errorf("marker position %q: want phase:count", v)
			}
			j.phase, j.done, haveAt = phase, n, true
		}
	}
	if !haveIDs || !haveAt {
		return j, fmt.Errorf("marker has no journal (ids= and at=): it was written by an older headline loadgen")
	}
	return j, nil
}
