package news

import (
	"net/url"
	"strconv"
)

// AccountPath is the profile page of an account: /@handle.
func AccountPath(handle string) string { return "/@" + handle }

// PostPath is the readable address of a post: /@handle/slug, with the slug
// escaped (Chinese and Russian slugs are kept as words). It needs p.Author;
// without it, the stable /p/{id} address is returned.
func PostPath(p *Post) string {
	if p.Author == nil || p.Slug == "" {
		return PostIDPath(p.ID)
	}
	return "/@" + p.Author.Handle + "/" + url.PathEscape(p.Slug)
}

// PostIDPath is the stable short address of a post: /p/{id}.
func PostIDPath(id int64) string { return "/p/" + strconv.FormatInt(id, 10) }

// CommentAnchor is the fragment id of a comment on its post's page.
func CommentAnchor(id int64) string { return "comment-" + strconv.FormatInt(id, 10) }
