// Package rendertest checks HTML for anything a browser would execute. The
// web and API tests use it on whole pages and on stored HTML fragments.
package rendertest

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// Executable parses doc as HTML the way a browser tokenizes it and returns a
// description of every piece that could run script or restyle the page:
// script, iframe, object, embed, form elements outside allowed forms, event
// handler attributes, style attributes, and URL attributes whose scheme is
// not http, https or mailto (or relative). allowForms permits <form> and
// <input>, for whole pages that have forms of their own.
func Executable(doc string, allowForms bool) []string {
	var found []string
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() == io.EOF {
				return found
			}
			return append(found, "tokenizer error: "+z.Err().Error())
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "object", "embed", "frame", "frameset", "base", "meta", "svg", "math":
			if tok.Data == "script" && hasAttr(tok, "src") && strings.HasPrefix(attr(tok, "src"), "/static/") {
				break // our own script file
			}
			if tok.Data == "meta" && !hasAttr(tok, "http-equiv") {
				break
			}
			found = append(found, fmt.Sprintf("<%s> element", tok.Data))
		case "form", "input", "button", "textarea", "select":
			if !allowForms {
				found = append(found, fmt.Sprintf("<%s> element", tok.Data))
			}
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(key, "on"):
				found = append(found, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
			case key == "style":
				found = append(found, fmt.Sprintf("<%s style=%q>", tok.Data, a.Val))
			case key == "href" || key == "src" || key == "action" || key == "formaction" || key == "poster" || key == "srcset" || key == "xlink:href":
				if !safeURL(a.Val) {
					found = append(found, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
				}
			}
		}
	}
}

func safeURL(u string) bool {
	u = strings.ToLower(strings.TrimSpace(u))
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return true // relative
	}
	switch u[:i] {
	case "http", "https", "mailto":
		return true
	}
	return false
}

func hasAttr(t html.Token, key string) bool {
	for _, a := range t.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
