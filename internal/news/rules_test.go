package news

import (
	"strings"
	"testing"
)

func TestCheckLine(t *testing.T) {
	tests := []struct {
		in       string
		required bool
		bad      bool
	}{
		{"Ada Lovelace", true, false},
		{"王小明", true, false},
		{"Мария Иванова", true, false},
		{"", true, true},
		{"   ", true, true},
		{"", false, false},
		{strings.Repeat("a", 80), true, false},
		{strings.Repeat("a", 81), true, true},
		{strings.Repeat("文", 81), true, true},
		{"bad\xffbytes", true, true},
		{"evil\u202Eeman", true, true}, // right-to-left override disguises a name
		{"zero\u200Bwidth", true, true},
		{"new\nline", true, true},
		{"tab\there", true, true},
	}
	for _, tt := range tests {
		p := Problems{}
		CheckLine(p, "name", "Name", tt.in, MaxName, tt.required)
		if got := p["name"] != ""; got != tt.bad {
			t.Errorf("CheckLine(%q) problem = %q, want bad=%v", tt.in, p["name"], tt.bad)
		}
	}
}

func TestCheckText(t *testing.T) {
	p := Problems{}
	CheckText(p, "body", "Comment", "line one\nline two\n\tindented", 100, true)
	if len(p) != 0 {
		t.Fatalf("multi-line text refused: %v", p)
	}
	CheckText(p, "body", "Comment", "bell\x07", 100, true)
	if p["body"] == "" {
		t.Fatal("control character accepted")
	}
}

func TestCheckEmail(t *testing.T) {
	good := []string{"a@example.com", "li.wei@example.cn", "x+tag@sub.example.org"}
	bad := []string{"", "plain", "a@b", "Ada <a@example.com>", "a@example.com\n", "@example.com", strings.Repeat("a", 250) + "@example.com"}
	for _, s := range good {
		p := Problems{}
		if CheckEmail(p, "email", s, true); len(p) != 0 {
			t.Errorf("CheckEmail(%q) refused: %v", s, p)
		}
	}
	for _, s := range bad {
		p := Problems{}
		if CheckEmail(p, "email", s, true); len(p) == 0 {
			t.Errorf("CheckEmail(%q) accepted", s)
		}
	}
}

func TestCheckWebURL(t *testing.T) {
	good := []string{"https://example.org", "http://example.org/a?b=c#d", "https://例子.中国/路径"}
	bad := []string{"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>", "//evil.example", "/relative", "ftp://example.org",
		"https://", "https://exa mple.org", `https://example.org/"onmouseover="x`, "https://example.org/<script>", "vbscript:msgbox"}
	for _, s := range good {
		p := Problems{}
		if CheckWebURL(p, "website", "Website", s); len(p) != 0 {
			t.Errorf("CheckWebURL(%q) refused: %v", s, p)
		}
	}
	for _, s := range bad {
		p := Problems{}
		if CheckWebURL(p, "website", "Website", s); len(p) == 0 {
			t.Errorf("CheckWebURL(%q) accepted", s)
		}
	}
}

func TestTags(t *testing.T) {
	got := NormalizeTags([]string{" #Health, science ", "health", "中文,Политика"})
	want := []string{"health", "science", "中文", "политика"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("NormalizeTags = %q, want %q", got, want)
	}
	p := Problems{}
	CheckTags(p, "tags", got)
	if len(p) != 0 {
		t.Fatalf("good tags refused: %v", p)
	}
	for _, bad := range [][]string{{"<script>"}, {"a b"}, {"javascript:x"}, {strings.Repeat("t", 41)}, strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")} {
		p := Problems{}
		if CheckTags(p, "tags", bad); len(p) == 0 {
			t.Errorf("CheckTags(%q) accepted", bad)
		}
	}
}

func TestCheckHandleAndLang(t *testing.T) {
	for h, ok := range map[string]bool{"dailyharbor": true, "a_1": true, "ab": false, "1abc": false, "Upper": false, "has-dash": false, strings.Repeat("a", 31): false} {
		p := Problems{}
		CheckHandle(p, "handle", h)
		if (len(p) == 0) != ok {
			t.Errorf("CheckHandle(%q): problems %v, want ok=%v", h, p, ok)
		}
	}
	for l, ok := range map[string]bool{"en": true, "zh": true, "zh-Hans": true, "ru": true, "english": false, "": false, "e<": false} {
		p := Problems{}
		CheckLang(p, "lang", l)
		if (len(p) == 0) != ok {
			t.Errorf("CheckLang(%q): problems %v, want ok=%v", l, p, ok)
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Harbor Bridge Reopens After Repairs!": "harbor-bridge-reopens-after-repairs",
		"  --Hello,   World--  ":               "hello-world",
		"新高铁线路今日开通":                            "新高铁线路今日开通",
		"Зима пришла в город":                  "зима-пришла-в-город",
		"<script>alert(1)</script>":            "script-alert-1-script",
		"!!!":                                  "post",
		"":                                     "post",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	if n := len([]rune(Slugify(strings.Repeat("word ", 100)))); n > maxSlug {
		t.Errorf("slug of a long title has %d runes, want at most %d", n, maxSlug)
	}
}

func TestCursorRoundTripAndTampering(t *testing.T) {
	c := EncodeCursor(1700000000123456, 42)
	v, err := DecodeCursor(c, 2)
	if err != nil || v[0] != 1700000000123456 || v[1] != 42 {
		t.Fatalf("DecodeCursor(EncodeCursor) = %v, %v", v, err)
	}
	for _, bad := range []string{"", "x", c + "x", EncodeCursor(1), EncodeCursor(1, 2, 3), "YzEuLTE", strings.Repeat("A", 300)} {
		if _, err := DecodeCursor(bad, 2); ErrorCode(err) != Invalid {
			t.Errorf("DecodeCursor(%q) error = %v, want Invalid", bad, err)
		}
	}
}

func TestPostPathEscapesSlug(t *testing.T) {
	p := &Post{ID: 7, Slug: "зима-пришла", Author: &Account{Handle: "dailyharbor"}}
	if got, want := PostPath(p), "/@dailyharbor/%D0%B7%D0%B8%D0%BC%D0%B0-%D0%BF%D1%80%D0%B8%D1%88%D0%BB%D0%B0"; got != want {
		t.Errorf("PostPath = %q, want %q", got, want)
	}
	if got := PostPath(&Post{ID: 7}); got != "/p/7" {
		t.Errorf("PostPath without author = %q", got)
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor(1, 2))
	f.Add("not a cursor")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := DecodeCursor(s, 2)
		if err == nil && (len(v) != 2 || v[0] < 0 || v[1] < 0) {
			t.Fatalf("DecodeCursor(%q) = %v with no error", s, v)
		}
	})
}
