package moderation

import (
	"encoding/json"
	"net"
	"strings"

	"github.com/headline/headline/internal/news"
)

// Settings are a site's moderation rules, or an official account's
// override of them for comments on its posts. Rate limits are the site's
// only: an override's are ignored.
type Settings struct {
	// HoldAll holds every comment for a moderator ("hold"); false
	// publishes at once unless a rule below holds it.
	HoldAll bool `json:"hold_all"`
	// HoldFirstTime holds comments of writers with no published comment.
	HoldFirstTime bool `json:"hold_first_time"`
	// MaxLinks holds a comment with more links than this; -1 turns the
	// rule off.
	MaxLinks int `json:"max_links"`
	// Blocklists: a comment matching any entry is held. Words match whole
	// words of the body, name or website, ignoring case; emails match the
	// guest email; IPs the writer's address (or a CIDR range); domains the
	// host of any link, the website or the email (and their subdomains).
	BlockedWords   []string `json:"blocked_words"`
	BlockedEmails  []string `json:"blocked_emails"`
	BlockedIPs     []string `json:"blocked_ips"`
	BlockedDomains []string `json:"blocked_domains"`
	// MinFillSeconds: a guest form sent sooner after it was shown is held.
	MinFillSeconds int `json:"min_fill_seconds"`
	// Per-minute limits on comment posts and comment likes, per identity
	// (account, guest email or guest cookie) and per IP; 0 means no limit.
	CommentsPerMinute   int `json:"comments_per_minute"`
	CommentsPerMinuteIP int `json:"comments_per_minute_ip"`
	LikesPerMinute      int `json:"likes_per_minute"`
	LikesPerMinuteIP    int `json:"likes_per_minute_ip"`
}

// Default returns the settings of a new site: publish at once, hold
// comments with more than 3 links, and modest rate limits that a person
// typing never meets.
func Default() Settings {
	return Settings{MaxLinks: 3, MinFillSeconds: 3,
		CommentsPerMinute: 5, CommentsPerMinuteIP: 20, LikesPerMinute: 60, LikesPerMinuteIP: 120}
}

// Limits on the settings themselves.
const (
	maxListEntries = 500
	maxEntry       = 200
	maxPerMinute   = 100_000
)

// Normalize trims, lower-cases and de-duplicates the blocklists.
func (s *Settings) Normalize() {
	for _, l := range []*[]string{&s.BlockedWords, &s.BlockedEmails, &s.BlockedIPs, &s.BlockedDomains} {
		domains := l == &s.BlockedDomains
		seen := map[string]bool{}
		var out []string
		for _, v := range *l {
			v = strings.ToLower(strings.TrimSpace(v))
			if domains {
				v = strings.TrimPrefix(strings.TrimPrefix(v, "*."), ".")
			}
			if v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		*l = out
	}
}

// Validate names each bad field, as a form or the API shows it.
func (s Settings) Validate() error {
	p := news.Problems{}
	if s.MaxLinks < -1 || s.MaxLinks > 1000 {
		p.Add("max_links", "Links: a number from 0 to 1000, or -1 for no limit.")
	}
	if s.MinFillSeconds < 0 || s.MinFillSeconds > 600 {
		p.Add("min_fill_seconds", "Minimum fill time: 0 to 600 seconds.")
	}
	for field, n := range map[string]int{"comments_per_minute": s.CommentsPerMinute, "comments_per_minute_ip": s.CommentsPerMinuteIP,
		"likes_per_minute": s.LikesPerMinute, "likes_per_minute_ip": s.LikesPerMinuteIP} {
		if n < 0 || n > maxPerMinute {
			p.Add(field, "A limit per minute is 0 (no limit) to 100000.")
		}
	}
	lists := map[string][]string{"blocked_words": s.BlockedWords, "blocked_emails": s.BlockedEmails,
		"blocked_ips": s.BlockedIPs, "blocked_domains": s.BlockedDomains}
	for field, l := range lists {
		if len(l) > maxListEntries {
			p.Add(field, "At most 500 entries.")
		}
		for _, v := range l {
			news.CheckLine(p, field, "An entry", v, maxEntry, false)
		}
	}
	for _, ip := range s.BlockedIPs {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				p.Add("blocked_ips", ip+" is not an IP address or a range such as 203.0.113.0/24.")
			}
		}
	}
	return p.Err()
}

// decode reads a stored document; "" is the defaults.
func decode(data string) (Settings, error) {
	s := Default()
	if data == "" {
		return s, nil
	}
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		return s, err
	}
	return s, nil
}

func encode(s Settings) string {
	b, _ := json.Marshal(s)
	return string(b)
}
