package news

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what people may write. They live here so that the HTML forms,
// the API and the OpenAPI document agree.
const (
	MaxHandle       = 30
	MinHandle       = 3
	MaxName         = 80
	MaxEmail        = 254
	MinPassword     = 8
	MaxPassword     = 256
	MaxBio          = 500
	MaxTitle        = 200
	MaxSummary      = 500
	MaxPostBody     = 200_000 // bytes of Markdown
	MaxTags         = 10
	MaxTag          = 40
	MaxSourceName   = 120
	MaxURL          = 2000
	MaxCommentBody  = 10_000 // characters
	MaxOfficial     = 40
	MaxRequestBytes = 1 << 20 // any form or JSON body; larger is a 413
)

var handleRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// NormalizeHandle lower-cases a handle and strips a leading "@".
func NormalizeHandle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// CheckHandle adds a problem for field when h (already normalized) is not a
// valid handle.
func CheckHandle(p Problems, field, h string) {
	switch {
	case h == "":
		p.Add(field, "Choose a handle.")
	case len(h) < MinHandle || len(h) > MaxHandle:
		p.Add(field, "A handle has 3 to 30 characters.")
	case !handleRe.MatchString(h):
		p.Add(field, "A handle starts with a letter and has only lower-case letters, digits and underscores.")
	}
}

// CheckLine adds a problem for field when s is not a valid single line of
// text: it must be valid UTF-8, without control or bidirectional override
// characters, and at most max characters. Empty is allowed unless required.
func CheckLine(p Problems, field, label, s string, max int, required bool) {
	checkText(p, field, label, s, max, required, false)
}

// CheckText is CheckLine for multi-line text: newlines and tabs are allowed,
// and max counts characters.
func CheckText(p Problems, field, label, s string, max int, required bool) {
	checkText(p, field, label, s, max, required, true)
}

func checkText(p Problems, field, label, s string, max int, required, multiline bool) {
	switch {
	case !utf8.ValidString(s):
		p.Add(field, label+" contains bytes that are not valid text.")
	case strings.TrimSpace(s) == "":
		if required {
			p.Add(field, label+" is required.")
		}
	case utf8.RuneCountInString(s) > max:
		p.Add(field, label+" is too long (at most "+itoa(max)+" characters).")
	case hasForbiddenRune(s, multiline):
		if multiline {
			p.Add(field, label+" contains control characters.")
		} else {
			p.Add(field, label+" contains invisible or control characters.")
		}
	}
}

// hasForbiddenRune reports control characters (other than newlines and tabs
// in multi-line text) and, in single lines such as names, the bidirectional
// overrides and zero-width characters used to disguise who wrote something.
func hasForbiddenRune(s string, multiline bool) bool {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
			continue
		case unicode.IsControl(r):
			return true
		case !multiline && isDisguise(r):
			return true
		}
	}
	return false
}

func isDisguise(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	case r == 0x200B, r == 0x200E, r == 0x200F, r == 0x2060, r == 0xFEFF: // zero-width and direction marks
		return true
	}
	return false
}

// CheckEmail adds a problem when s is not a plain email address.
func CheckEmail(p Problems, field, s string, required bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			p.Add(field, "Email is required.")
		}
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > MaxEmail || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		p.Add(field, "Enter an email address like name@example.com.")
	}
}

// CheckWebURL adds a problem when s is not an absolute http or https URL.
// Anything else (javascript:, data:, relative paths) is refused, because the
// URL ends up in an href.
func CheckWebURL(p Problems, field, label, s string) {
	if s == "" {
		return
	}
	if len(s) > MaxURL || !utf8.ValidString(s) || hasForbiddenRune(s, false) || strings.ContainsAny(s, " \"'<>`") {
		p.Add(field, label+" must be a web address starting with http:// or https://.")
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.Add(field, label+" must be a web address starting with http:// or https://.")
	}
}

var langRe = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// CheckLang adds a problem when s is not a BCP 47 language tag such as
// "en", "zh-Hans" or "ru".
func CheckLang(p Problems, field, s string) {
	if len(s) > 35 || !langRe.MatchString(s) {
		p.Add(field, "Language must be a language code such as en, zh or ru.")
	}
}

// NormalizeTags trims, lower-cases, strips "#" and removes duplicates, in
// the order given. Tags may be given as a list or as one comma-separated
// string.
func NormalizeTags(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range in {
		for _, t := range strings.Split(raw, ",") {
			t = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#"))
			if t == "" || seen[t] {
				continue
			}
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// CheckTags adds a problem when there are too many tags or one is not made
// of letters, digits, '-' and '_'.
func CheckTags(p Problems, field string, tags []string) {
	if len(tags) > MaxTags {
		p.Add(field, "At most "+itoa(MaxTags)+" tags.")
		return
	}
	for _, t := range tags {
		if !utf8.ValidString(t) || utf8.RuneCountInString(t) > MaxTag {
			p.Add(field, "A tag has at most "+itoa(MaxTag)+" characters.")
			return
		}
		for _, r := range t {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && !unicode.Is(unicode.Mn, r) {
				p.Add(field, "Tags may contain only letters, digits, '-' and '_': "+strings.ToValidUTF8(t, "?")+" does not.")
				return
			}
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
