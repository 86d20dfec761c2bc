package render

import (
	"strings"
	"testing"

	"github.com/headline/headline/internal/render/rendertest"
)

// hostile are inputs that try to run script or break out of markup. Each
// must come out with no executable markup.
var hostile = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`"><svg onload=alert(1)>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![x](javascript:alert(1))`,
	`<a href="javascript:alert(1)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<style>body{display:none}</style>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	"```\n</code><script>alert(1)</script>\n```",
	`<details open ontoggle=alert(1)>`,
	`https://example.org/"onmouseover="alert(1)`,
	`{{.}} {{template "x"}}`,
	"<scr<script>ipt>alert(1)</script>",
	`<form action="https://evil.example"><input name=x></form>`,
	`<a href="https://ok.example" onclick="alert(1)">ok</a>`,
	`<video src="/media/` + strings.Repeat("a", 64) + `.mp4" onplay=alert(1) autoplay controls></video>`,
	`![x" onerror="alert(1)](/media/` + strings.Repeat("b", 64) + `.mp4)`,
	`<video src="javascript:alert(1)"></video>`,
}

func assertInert(t *testing.T, name, in, out string) {
	t.Helper()
	if found := rendertest.Executable(out, false); len(found) > 0 {
		t.Errorf("%s(%q) = %q: executable markup %q", name, in, out, found)
	}
}

func TestArticleNeutralizesHostileInput(t *testing.T) {
	for _, in := range hostile {
		out, err := Article(in)
		if err != nil {
			t.Fatalf("Article(%q): %v", in, err)
		}
		assertInert(t, "Article", in, out)
	}
}

func TestCommentNeutralizesHostileInput(t *testing.T) {
	for _, in := range hostile {
		assertInert(t, "Comment", in, Comment(in))
	}
}

func TestArticleRendersMarkdown(t *testing.T) {
	out, err := Article("# 新闻\n\nSome **bold** and a [link](https://example.org).\n\n> quoted\n\n- one\n- two\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<h1 id="新闻">新闻</h1>`, "<strong>bold</strong>", `<a href="https://example.org">link</a>`, "<blockquote>", "<li>one</li>"} {
		if !strings.Contains(out, want) {
			t.Errorf("Article output lacks %q:\n%s", want, out)
		}
	}
}

func TestHeadingIDsKeepEveryScript(t *testing.T) {
	out, err := Article("## Расписание поездов\n\n## 列车 时刻\n\n## Расписание поездов\n\n## !!!\n\n## Comments\n\n## Comment 5\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="расписание-поездов"`, `id="列车-时刻"`, `id="расписание-поездов-1"`, `id="section"`, `id="section-comments"`, `id="section-comment-5"`} {
		if !strings.Contains(out, want) {
			t.Errorf("Article output lacks %s:\n%s", want, out)
		}
	}
}

func TestCommentLinksAndParagraphs(t *testing.T) {
	out := Comment("First line\nsecond line with https://example.org/a?b=1&c=2.\n\n见 https://example.cn/路径。谢谢 <b>not bold</b>")
	for _, want := range []string{
		"<p>First line<br>second line with ",
		`<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc">https://example.org/a?b=1&amp;c=2</a>.</p>`,
		`<a href="https://example.cn/%E8%B7%AF%E5%BE%84" rel="nofollow ugc">https://example.cn/路径</a>。谢谢 &lt;b&gt;not bold&lt;/b&gt;</p>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Comment output lacks %q:\n%s", want, out)
		}
	}
}

func TestExcerpt(t *testing.T) {
	if got := Excerpt("short text", 50); got != "short text" {
		t.Errorf("Excerpt short = %q", got)
	}
	if got := Excerpt("one two three four five six", 10); got != "one two…" {
		t.Errorf("Excerpt = %q", got)
	}
	if got := Excerpt("新高铁线路今日开通运营", 5); got != "新高铁线路…" {
		t.Errorf("Excerpt CJK = %q", got)
	}
}

func FuzzComment(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Comment(in)
		if found := rendertest.Executable(out, false); len(found) > 0 {
			t.Fatalf("Comment(%q) = %q: %q", in, out, found)
		}
	})
}

func FuzzArticle(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Article(in)
		if err != nil {
			t.Skip()
		}
		if found := rendertest.Executable(out, false); len(found) > 0 {
			t.Fatalf("Article(%q) = %q: %q", in, out, found)
		}
	})
}

// The site's own videos written as Markdown images become players; other
// videos, and video markup written by hand, do not.
func TestArticleEmbedsSiteVideos(t *testing.T) {
	key := strings.Repeat("c", 64) + ".mp4"
	out, err := Article("Watch:\n\n![The ambassador's statement 大使讲话](/media/" + key + ")\n")
	if err != nil {
		t.Fatal(err)
	}
	want := `<video controls="" preload="metadata" src="/media/` + key + `"><a href="/media/` + key + `">The ambassador&#39;s statement 大使讲话</a></video>`
	if !strings.Contains(out, want) {
		t.Errorf("Article output lacks the player\n%s\nwant\n%s", out, want)
	}
	for _, in := range []string{
		"![clip](https://elsewhere.example/" + key + ")",
		"![clip](/media/../" + key + ")",
		"![photo](/media/" + strings.Repeat("c", 64) + ".jpg)",
		`<video controls src="/media/` + key + `"></video>`, // raw HTML is escaped, not trusted
	} {
		out, err := Article(in)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "<video") {
			t.Errorf("Article(%q) = %q: a player for what is not the site's video written as an image", in, out)
		}
	}
}
