package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/headline/headline/internal/media"
	"github.com/headline/headline/internal/media/mediatest"
	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/sqlite"
)

// uploadFile posts a multipart body with fields and a file to u.
func uploadFile(t *testing.T, u, token string, fields map[string]string, name string, r io.Reader) (int, map[string]any) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(fw, r)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", u, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("POST %s: %d, not JSON: %s", u, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

// waitReady polls GET /api/v1/media/{id} until processing is over.
func waitReady(t *testing.T, base string, id int64) map[string]any {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		_, m := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/media/%d", base, id), "", nil)
		if m["status"] != "processing" {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("media %d still processing after 60s", id)
	return nil
}

// TestMediaEndToEnd: a publisher uploads a video through the API of a
// running server, the server's own queue processes it, and the URL it
// gives streams with ranges; a video post shows it with subtitles.
func TestMediaEndToEnd(t *testing.T) {
	video := mediatest.Video(t, 2, 320, 240, "mp4")
	s := startSite(t)
	token := publisherToken(t, s, "", "embassy")
	f, err := os.Open(video)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	code, m := uploadFile(t, s.URL+"/api/v1/media", token, nil, "speech.mp4", f)
	if code != http.StatusCreated || m["kind"] != "video" {
		t.Fatalf("upload: %d %v", code, m)
	}
	id := int64(m["id"].(float64))
	m = waitReady(t, s.URL, id)
	if m["status"] != "ready" || m["poster"] == nil || m["duration"].(float64) < 1.9 || m["width"].(float64) != 320 {
		t.Fatalf("after processing: %v", m)
	}
	code, sub := uploadFile(t, fmt.Sprintf("%s/api/v1/media/%d/subtitles", s.URL, id), token,
		map[string]string{"language": "ru", "label": "Русский"}, "ru.vtt", strings.NewReader("WEBVTT\n\n00:00.000 --> 00:01.000\nПривет\n"))
	if code != http.StatusCreated {
		t.Fatalf("subtitles: %d %v", code, sub)
	}
	req, _ := http.NewRequest("GET", m["url"].(string), nil)
	req.Header.Set("Range", "bytes=0-99")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 206 || len(body) != 100 || !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes 0-99/") {
		t.Fatalf("range GET: %d, %d bytes, %q", resp.StatusCode, len(body), resp.Header.Get("Content-Range"))
	}
	code, post := apiDo(t, "POST", s.URL+"/api/v1/posts", token, map[string]any{"title": "Посол о сотрудничестве", "lang": "ru", "media_id": id})
	if code != http.StatusCreated || post["kind"] != "video" {
		t.Fatalf("video post: %d %v", code, post)
	}
	_, page := get(t, post["url"].(string))
	if !strings.Contains(page, `<video class="player" controls preload="metadata"`) || !strings.Contains(page, `srclang="ru" label="Русский"`) {
		t.Fatalf("the post page has no player with subtitles:\n%s", page)
	}
}

// TestMediaRequeuedOnStart: an upload accepted before a stop, still
// processing, is processed after the next start.
func TestMediaRequeuedOnStart(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), filepath.Join(dir, "headline.db"))
	if err != nil {
		t.Fatal(err)
	}
	a := &news.Account{Handle: "pub", Name: "Pub", Role: news.RolePublisher}
	if err := st.CreateAccount(t.Context(), a, ""); err != nil {
		t.Fatal(err)
	}
	disk, err := media.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	svc := &media.Service{Store: st, Blobs: disk, TempDir: disk.TempDir(), Limits: media.DefaultLimits()} // no queue: as if the server stopped
	m, err := svc.Upload(t.Context(), a, bytes.NewReader(mediatest.JPEG(900, 600)))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	s := startSite(t, "--data", dir) // the later --data wins
	got := waitReady(t, s.URL, m.ID)
	if got["status"] != "ready" || len(got["variants"].([]any)) != 2 {
		t.Fatalf("after restart: %v", got)
	}
}

func TestServeRefusesBadMediaConfig(t *testing.T) {
	for _, args := range [][]string{
		{"--media-max-image-mb", "0"},
		{"--media-s3-endpoint", "127.0.0.1:9"},
		{"--job-workers", "100"},
	} {
		var out, errOut bytes.Buffer
		err := run(t.Context(), append([]string{"serve", "--data", t.TempDir()}, args...), func(string) string { return "" }, nil, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("serve %v: %v, want an error naming %s", args, err, args[0])
		}
	}
}
