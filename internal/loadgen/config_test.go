package loadgen

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   []string // one line each, in order; none for a valid config
	}{
		{"default", func(*Config) {}, nil},
		{"accounts only", func(c *Config) { c.Posts, c.Comments = 0, 0 }, nil},
		{"zero accounts", func(c *Config) { c.Accounts = 0 }, []string{"--accounts must be at least 1 (got 0)"}},
		{"too many accounts", func(c *Config) { c.Accounts = MaxAccounts + 1 }, []string{"--accounts must be at most"}},
		{"negative posts", func(c *Config) { c.Posts = -1 }, []string{"--posts must not be negative (got -1)"}},
		{"negative comments", func(c *Config) { c.Comments = -5 }, []string{"--comments must not be negative (got -5)"}},
		{"comments without posts", func(c *Config) { c.Posts = 0 }, []string{"--comments 100000 needs posts to comment on"}},
		{"negative hot", func(c *Config) { c.HotComments = -2 }, []string{"--hot-comments must not be negative (got -2)"}},
		{"hot over total", func(c *Config) { c.HotComments = c.Comments + 1 }, []string{"--hot-comments 100001 is more than --comments 100000"}},
		{"zero batch", func(c *Config) { c.Batch = 0 }, []string{"--batch must be between 1 and 100000 (got 0)"}},
		{"zero days", func(c *Config) { c.Days = 0 }, []string{"--days must be between 1 and 36500 (got 0)"}},
		{"following bounds", func(c *Config) { c.MinFollowing, c.MaxFollowing = 10, 5 }, []string{"--min-following and --max-following"}},
		{"negative likes", func(c *Config) { c.PostLikes = -2 }, []string{"--likes must be between 0 and"}},
		{"likes without posts", func(c *Config) { c.Posts, c.Comments, c.PostLikes = 0, 0, 5 }, []string{"--likes and --views need posts"}},
		{"comment likes without comments", func(c *Config) { c.Comments, c.CommentLikes = 0, 5 }, []string{"--comment-likes 5 needs comments"}},
		{"append and resume", func(c *Config) { c.Append, c.Resume = true, true }, []string{"--append and --resume do not go together"}},
		{"several at once", func(c *Config) { c.Accounts, c.Posts, c.Batch = -1, -2, -3 },
			[]string{"--accounts must be at least 1", "--posts must not be negative", "--batch must be between"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tt.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("Validate() gave %d lines, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("line %d = %q, want it to start with %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestHotDefault(t *testing.T) {
	for _, tt := range []struct{ comments, hot, want int }{
		{10_000_000, -1, 100_000}, {1000, -1, 500}, {1, -1, 0}, {0, -1, 0}, {1000, 10, 10}, {1000, 0, 0},
	} {
		c := Config{Comments: tt.comments, HotComments: tt.hot}
		if got := c.Hot(); got != tt.want {
			t.Errorf("comments %d, hot %d: Hot() = %d, want %d", tt.comments, tt.hot, got, tt.want)
		}
	}
}

func TestFingerprintRoundTrip(t *testing.T) {
	c := Config{Accounts: 100_000, Posts: 1_000_000, Comments: 10_000_000, HotComments: -1, Seed: 1 << 63,
		Days: 365, Now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Batch: 77, Append: true}
	bio := c.fingerprint()
	if len(bio) > 500 {
		t.Fatalf("the marker's bio has %d bytes, over the 500 a bio may have", len(bio))
	}
	got, err := parseFingerprint(bio)
	if err != nil {
		t.Fatal(err)
	}
	if got.fingerprint() != bio {
		t.Fatalf("round trip:\n got %s\nwant %s", got.fingerprint(), bio)
	}
	if _, err := parseFingerprint("Just a person's bio."); err == nil {
		t.Fatal("parseFingerprint accepted a bio that is no marker")
	}
}

func TestHandles(t *testing.T) {
	tests := []struct {
		stem string
		i, r int
		want string
	}{
		{"anna_smith", 42, 1, "anna_smith_42"},
		{"anna_smith", 42, 2, "anna_smith_42r2"},
		{"wang_wei", 0, 1, "wang_wei_0"},
	}
	for _, tt := range tests {
		if got := handle(tt.stem, tt.i, tt.r); got != tt.want {
			t.Errorf("handle(%q, %d, %d) = %q, want %q", tt.stem, tt.i, tt.r, got, tt.want)
		}
	}
	if markerHandle(1) != "newswire" || markerHandle(3) != "newswire_r3" {
		t.Errorf("marker handles: %q, %q", markerHandle(1), markerHandle(3))
	}
}
