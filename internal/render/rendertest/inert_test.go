package rendertest

import "testing"

func TestExecutableFindsScriptVectors(t *testing.T) {
	bad := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href=" JAVASCRIPT:alert(1)">x</a>`,
		`<p style="color:red">x</p>`,
		`<iframe src="https://x.example"></iframe>`,
		`<svg><circle onload=x></svg>`,
		`<img src="data:image/svg+xml,<svg onload=alert(1)>">`,
		`<form action="https://evil.example"></form>`,
		`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	}
	for _, doc := range bad {
		if found := Executable(doc, false); len(found) == 0 {
			t.Errorf("Executable(%q) found nothing", doc)
		}
	}
	good := []string{
		`<p>Hello <a href="https://example.org" rel="nofollow">link</a> &lt;script&gt;</p>`,
		`<a href="/@handle/slug#comment-1">x</a><img src="/static/x.png">`,
		`<p>javascript:alert(1) as text is harmless</p>`,
		`<script src="/static/app.js" defer></script><meta charset="utf-8">`,
	}
	for _, doc := range good {
		if found := Executable(doc, false); len(found) > 0 {
			t.Errorf("Executable(%q) = %q, want nothing", doc, found)
		}
	}
	if found := Executable(`<form method="post" action="/p/1/comments"><input name="name"></form>`, true); len(found) > 0 {
		t.Errorf("allowed forms reported: %q", found)
	}
}
