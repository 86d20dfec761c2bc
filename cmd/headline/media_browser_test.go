package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/headline/headline/internal/media/mediatest"
)

// TestBrowserImagePost is what a publisher does: sign in, open the editor,
// choose a photo (uploaded at once, with a progress bar that fills),
// publish, and see the photo on the post's page.
func TestBrowserImagePost(t *testing.T) {
	ctx := newBrowser(t)
	s := startSite(t)
	publisherToken(t, s, "", "photodesk")
	photo := filepath.Join(t.TempDir(), "harbour.jpg")
	if err := os.WriteFile(photo, mediatest.JPEGWithGPS(1400, 900, 1), 0o600); err != nil {
		t.Fatal(err)
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/signin?next=/write"),
		chromedp.WaitVisible(css(`#f-handle`)),
		chromedp.SendKeys(css(`#f-handle`), "photodesk"),
		chromedp.SendKeys(css(`#f-password`), "correct horse battery"),
		chromedp.Click(css(`.form-page [type="submit"]`)),
		chromedp.WaitVisible(css(`#w-file`)),
	); err != nil {
		t.Fatalf("sign in and open the editor: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(css(`#w-file`), []string{photo})); err != nil {
		t.Fatalf("choose the file: %v", err)
	}
	// The upload finishes: the bar is shown and full, and the form holds the
	// new media's id.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector(".upload").dataset.uploaded !== undefined`)); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(css(`#w-upload-status`)))
		t.Fatalf("the upload did not finish: %v (status %q)", err, status)
	}
	bar, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(() => { const p = document.getElementById("w-progress");
		return {hidden: p.hidden, value: p.value, media: document.getElementById("w-media-id").value,
			status: document.getElementById("w-upload-status").textContent}; })()`))
	if err != nil || bar["hidden"] != false || bar["value"].(float64) != 100 || bar["media"] == "" || !strings.Contains(bar["status"].(string), "Uploaded harbour.jpg") {
		t.Fatalf("after the upload the bar is %v (%v)", bar, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(css(`#w-title`), "Harbour at dawn"),
		chromedp.SendKeys(css(`#w-body`), "The first ferry leaves at six."),
		chromedp.Click(css(`button[value="publish"]`)),
		chromedp.WaitVisible(css(`.post-media img.post-image`)),
	); err != nil {
		t.Fatalf("publish: %v", err)
	}
	// The picture is really shown: the browser loaded and decoded it.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector(".post-image"); return i.complete && i.naturalWidth > 0; })()`)); err != nil {
		t.Fatalf("the image did not load: %v", err)
	}
	src, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`.post-image`), "src"))
	if err != nil || !strings.HasPrefix(src.Value, "/media/") {
		t.Fatalf("image src %q (%v)", src.Value, err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Text(css(`h1`)))
	if title != "Harbour at dawn" {
		t.Fatalf("post page title %q", title)
	}
}

// TestBrowserVideoPlayer: a video post's page has a player with a poster
// and one selectable subtitle track per language, and the browser reads
// the video's metadata through range requests.
func TestBrowserVideoPlayer(t *testing.T) {
	ctx := newBrowser(t)
	video := mediatest.Video(t, 2, 320, 240, "webm")
	s := startSite(t)
	token := publisherToken(t, s, "", "embassy")
	f, err := os.Open(video)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code, m := uploadFile(t, s.URL+"/api/v1/media", token, nil, "greeting.webm", f)
	if code != http.StatusCreated {
		t.Fatalf("upload: %d %v", code, m)
	}
	id := int64(m["id"].(float64))
	for _, sub := range [][2]string{{"ru", "Русский"}, {"en", "English"}} {
		code, out := uploadFile(t, fmt.Sprintf("%s/api/v1/media/%d/subtitles", s.URL, id), token,
			map[string]string{"language": sub[0], "label": sub[1]}, sub[0]+".vtt", strings.NewReader("WEBVTT\n\n00:00.000 --> 00:01.500\n"+sub[1]+"\n"))
		if code != http.StatusCreated {
			t.Fatalf("subtitles %s: %d %v", sub[0], code, out)
		}
	}
	waitReady(t, s.URL, id)
	code, post := apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{"title": "大使新年致辞", "lang": "zh", "media_id": id})
	if code != http.StatusCreated {
		t.Fatalf("post: %d %v", code, post)
	}
	u, _ := url.Parse(post["url"].(string))
	if err := chromedp.Do(ctx, chromedp.Navigate(s.URL+u.EscapedPath()), chromedp.WaitVisible(chromedp.CSS(`video.player`))); err != nil {
		t.Fatalf("open the post: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Poll[map[string]any](`(() => { const v = document.querySelector("video.player");
		if (v.readyState < 1) return false;
		return {tracks: Array.from(v.textTracks).map(t => t.language + ":" + t.label + ":" + t.kind).join(","),
			duration: v.duration, width: v.videoWidth, poster: v.getAttribute("poster") || ""}; })()`))
	if err != nil {
		t.Fatalf("the player did not load the video's metadata: %v", err)
	}
	if got["tracks"] != "en:English:subtitles,ru:Русский:subtitles" || got["width"].(float64) != 320 ||
		got["duration"].(float64) < 1.5 || !strings.HasPrefix(got["poster"].(string), "/media/") {
		t.Fatalf("player state %v", got)
	}
	facts, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.media-facts`)))
	if !strings.Contains(facts, "0:02") || !strings.Contains(facts, "320×240") {
		t.Fatalf("the page says %q about the video", facts)
	}
}
