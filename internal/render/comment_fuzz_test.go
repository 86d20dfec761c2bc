package render

import "testing"

// FuzzCommentIsSafeAsBuilt checks that Comment's HTML, built by escaping
// the text and adding only <p>, <br> and <a href rel>, is already what the
// comment policy allows: sanitizing it changes nothing. The policy is what
// Comment's output used to go through on every post; this is why it need
// not any more. `go test` runs the seeds; `go test -fuzz FuzzComment` looks
// further.
func FuzzCommentIsSafeAsBuilt(f *testing.F) {
	for _, s := range []string{
		"", "plain", "two\n\nparagraphs\nand a break", "<script>alert(1)</script>", `"quotes" & 'apostrophes'`,
		"see https://example.com/a?b=c&d=e.", "http://[::1", "http://exa mple.com", "https://x.cn/a。见", "javascript:alert(1)",
		"https://example.com/\"onmouseover=x", "http://%zz", "https://user:pa@ss@host/", "\x00\x01\u202e\u200b",
		"https://例子.测试/路径", "https://example.com/<b>", "a\r\nb\r\n\r\nc", "https:// x", "https://a.b/c)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Comment(s)
		if again := commentPolicy.Sanitize(out); again != out {
			t.Fatalf("Comment(%q) =\n%q\nsanitized:\n%q", s, out, again)
		}
	})
}
