package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/headline/headline/internal/media/mediatest"
)

// mediaFiles are the blob files of a processed media item in the data
// folder: the original and its resized copies, found from its URLs.
func mediaFiles(t *testing.T, dataDir string, m map[string]any) []string {
	t.Helper()
	urls := []string{m["url"].(string)}
	for _, v := range m["variants"].([]any) {
		urls = append(urls, v.(map[string]any)["url"].(string))
	}
	var files []string
	for _, u := range urls {
		key := path.Base(u)
		files = append(files, filepath.Join(dataDir, "media", key[0:2], key[2:4], key))
	}
	return files
}

func wantFiles(t *testing.T, what string, files []string, exist bool) {
	t.Helper()
	for _, f := range files {
		_, err := os.Stat(f)
		if exist && err != nil {
			t.Errorf("%s: %s should still be there: %v", what, f, err)
		}
		if !exist && !os.IsNotExist(err) {
			t.Errorf("%s: %s should be gone (stat: %v)", what, f, err)
		}
	}
}

// deletePost sends DELETE u with token; a 204 has no JSON to decode.
func deletePost(t *testing.T, u, token string) int {
	t.Helper()
	req, _ := http.NewRequest("DELETE", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("DELETE %s: %v", u, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDeletePostReleasesMedia: a post deleted through the API of a running
// server takes with it the blobs of the image only it used, from the data
// folder, and leaves the image another post still shows.
func TestDeletePostReleasesMedia(t *testing.T) {
	s := startSite(t)
	token := publisherToken(t, s, "", "desk")
	upload := func(name string, jpeg []byte) map[string]any {
		t.Helper()
		code, m := uploadFile(t, s.URL+"/api/v1/media", token, nil, name, bytes.NewReader(jpeg))
		if code != http.StatusCreated {
			t.Fatalf("upload %s: %d %v", name, code, m)
		}
		m = waitReady(t, s.URL, int64(m["id"].(float64)))
		if m["status"] != "ready" || len(m["variants"].([]any)) == 0 {
			t.Fatalf("%s after processing: %v", name, m)
		}
		return m
	}
	own, shared := upload("own.jpg", mediatest.JPEG(900, 600)), upload("shared.jpg", mediatest.JPEG(800, 500))
	ownFiles, sharedFiles := mediaFiles(t, s.DataDir, own), mediaFiles(t, s.DataDir, shared)
	wantFiles(t, "after upload", append(ownFiles, sharedFiles...), true)

	// The image post shows its own picture and embeds the shared one,
	// which an article embeds too.
	sharedLink := fmt.Sprintf("![harbour](/media/%s)", path.Base(shared["url"].(string)))
	post := func(body map[string]any) string {
		t.Helper()
		code, p := apiDo(t, "POST", s.URL+"/api/v1/posts", token, body)
		if code != http.StatusCreated {
			t.Fatalf("create post: %d %v", code, p)
		}
		return fmt.Sprintf("%s/api/v1/posts/%d", s.URL, int64(p["id"].(float64)))
	}
	imagePost := post(map[string]any{"title": "Harbour at dawn", "media_id": own["id"], "body": "Also: " + sharedLink})
	article := post(map[string]any{"title": "Harbour report", "body": "The harbour.\n\n" + sharedLink})

	if code, m := apiDo(t, "DELETE", imagePost, "", nil); code != http.StatusUnauthorized {
		t.Fatalf("guest delete: %d %v", code, m)
	}
	wantFiles(t, "after a refused delete", ownFiles, true)
	if code := deletePost(t, imagePost, token); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	if code, _ := apiDo(t, "GET", imagePost, "", nil); code != http.StatusNotFound {
		t.Fatalf("GET deleted post: %d", code)
	}
	wantFiles(t, "the deleted post's own image", ownFiles, false)
	if code, _ := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/media/%d", s.URL, int64(own["id"].(float64))), "", nil); code != http.StatusNotFound {
		t.Errorf("GET released media: %d, want 404", code)
	}
	wantFiles(t, "the image another post embeds", sharedFiles, true)
	if code, _ := get(t, shared["url"].(string)); code != http.StatusOK {
		t.Errorf("GET shared image: %d", code)
	}

	// Its last post gone, the shared image goes too.
	if code := deletePost(t, article, token); code != http.StatusNoContent {
		t.Fatalf("delete article: %d", code)
	}
	wantFiles(t, "the shared image after its last post", sharedFiles, false)
}
