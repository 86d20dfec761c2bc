package news

import (
	"strings"
	"unicode"
)

const maxSlug = 80

// Slugify makes a readable URL path segment from a title. Letters of every
// script are kept (a Chinese or Russian title keeps its words; browsers show
// them as typed), lower-cased where the script has case; everything else
// becomes single hyphens. An empty result becomes "post".
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	n := 0
	for _, r := range title {
		if n >= maxSlug {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if hyphen && b.Len() > 0 {
				if n+2 > maxSlug {
					break
				}
				b.WriteByte('-')
				n++
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
			n++
			continue
		}
		hyphen = true
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "post"
	}
	return s
}
