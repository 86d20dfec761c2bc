package ui

import (
	"net/url"
	"strconv"
	"testing"
)

// articleQuery writes what url.Values.Encode would, without the map.
func TestArticleQueryIsURLValuesEncode(t *testing.T) {
	for _, s := range []string{"", "top", "new", "o&d=1 é"} {
		for _, c := range []string{"", "abc", "a+b/c=d&e", "é ü"} {
			for _, r := range []int64{0, 1, 12345} {
				q := url.Values{}
				if s != "" {
					q.Set("sort", s)
				}
				if c != "" {
					q.Set("cursor", c)
				}
				if r > 0 {
					q.Set("replyto", strconv.FormatInt(r, 10))
				}
				if got, want := articleQuery(s, c, r), q.Encode(); got != want {
					t.Errorf("%q %q %d: %q, want %q", s, c, r, got, want)
				}
			}
		}
	}
}
