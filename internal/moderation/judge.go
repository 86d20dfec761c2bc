package moderation

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/headline/headline/internal/news"
)

// Points of each kind of reason. A comment with any reason is held; one
// whose points reach SpamScore goes straight to the spam queue.
const (
	SpamScore      = 10
	pointsHoneypot = 10
	pointsFast     = 5
	pointsBlocked  = 5
	pointsLinks    = 3
	pointsFirst    = 1
	pointsHoldAll  = 0
)

// Facts are what the rules look at besides the comment.
type Facts struct {
	Known    bool          // the writer has a published comment
	Honeypot bool          // the guest form's hidden field was filled
	Fill     time.Duration // how long the guest form was open; 0: not a form
}

// Verdict is the outcome for one comment.
type Verdict struct {
	Status news.CommentStatus
	Score  int
	// Reasons say why, in words a moderator reads in the queue.
	Reasons []string
}

// Judge applies the rules of s to comment c. It is pure: everything it
// needs is in its arguments.
func Judge(s Settings, c *news.Comment, f Facts) Verdict {
	var v Verdict
	add := func(points int, reason string) {
		v.Score += points
		v.Reasons = append(v.Reasons, reason)
	}
	if f.Honeypot {
		add(pointsHoneypot, "honeypot filled")
	}
	if f.Fill > 0 && s.MinFillSeconds > 0 && f.Fill < time.Duration(s.MinFillSeconds)*time.Second {
		add(pointsFast, fmt.Sprintf("form filled in %.1f s", f.Fill.Seconds()))
	}
	links := linkRe.FindAllString(c.Body, -1)
	if s.MaxLinks >= 0 && len(links) > s.MaxLinks {
		add(pointsLinks, plural(len(links), "link"))
	}
	for _, r := range blocked(s, c, links) {
		add(pointsBlocked, r)
	}
	if s.HoldFirstTime && !f.Known {
		add(pointsFirst, "first comment")
	}
	if s.HoldAll {
		add(pointsHoldAll, "the site holds every comment")
	}
	switch {
	case v.Score >= SpamScore:
		v.Status = news.CommentSpam
	case len(v.Reasons) > 0:
		v.Status = news.CommentPending
	default:
		v.Status = news.CommentPublished
	}
	return v
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// linkRe finds what a reader would take for a link: a URL with a scheme,
// or a bare www. address. Markdown links are URLs too.
var linkRe = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>()\[\]"'` + "`" + `]+`)

// blocked lists the blocklist entries c matches, one reason each.
func blocked(s Settings, c *news.Comment, links []string) []string {
	var out []string
	if len(s.BlockedWords) > 0 {
		text := strings.ToLower(c.Body + "\n" + c.AuthorName + "\n" + c.Website)
		words := wordSet(text)
		for _, w := range s.BlockedWords {
			if words[w] || (strings.IndexFunc(w, notWordRune) >= 0 && strings.Contains(text, w)) {
				out = append(out, fmt.Sprintf("blocklisted word '%s'", w))
			}
		}
	}
	email := strings.ToLower(c.Email)
	for _, e := range s.BlockedEmails {
		if email != "" && email == e {
			out = append(out, fmt.Sprintf("blocklisted email '%s'", e))
		}
	}
	if ip := net.ParseIP(c.IP); ip != nil {
		for _, b := range s.BlockedIPs {
			if matchIP(ip, b) {
				out = append(out, fmt.Sprintf("blocklisted IP '%s'", b))
			}
		}
	}
	if len(s.BlockedDomains) > 0 {
		hosts := hostsOf(c, links)
		for _, d := range s.BlockedDomains {
			for h := range hosts {
				if h == d || strings.HasSuffix(h, "."+d) {
					out = append(out, fmt.Sprintf("blocklisted domain '%s'", d))
					break
				}
			}
		}
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func wordSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, notWordRune) {
		set[w] = true
	}
	return set
}

func matchIP(ip net.IP, entry string) bool {
	if e := net.ParseIP(entry); e != nil {
		return e.Equal(ip)
	}
	_, n, err := net.ParseCIDR(entry)
	return err == nil && n.Contains(ip)
}

// hostsOf returns the lower-case hosts of the comment's links, website
// and email.
func hostsOf(c *news.Comment, links []string) map[string]bool {
	hosts := map[string]bool{}
	addURL := func(raw string) {
		if strings.HasPrefix(strings.ToLower(raw), "www.") {
			raw = "http://" + raw
		}
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			hosts[strings.ToLower(u.Hostname())] = true
		}
	}
	for _, l := range links {
		addURL(l)
	}
	if c.Website != "" {
		addURL(c.Website)
	}
	if i := strings.LastIndexByte(c.Email, '@'); i >= 0 {
		hosts[strings.ToLower(c.Email[i+1:])] = true
	}
	return hosts
}
