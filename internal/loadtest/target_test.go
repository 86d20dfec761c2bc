package loadtest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestCheckTarget(t *testing.T) {
	ok := map[string]string{
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://127.0.0.1:8080/":       "http://127.0.0.1:8080",
		"http://127.8.9.10":            "http://127.8.9.10",
		"http://[::1]:8080":            "http://[::1]:8080",
		"http://localhost:3000":        "http://localhost:3000",
		"http://LocalHost.:3000":       "http://LocalHost.:3000",
		"http://[::ffff:127.0.0.1]:80": "http://[::ffff:127.0.0.1]:80",
	}
	for in, want := range ok {
		u, err := CheckTarget(in)
		if err != nil || u.String() != want {
			t.Errorf("CheckTarget(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	notLoopback := []string{
		"http://10.1.2.3:80", "http://example.com", "http://0.0.0.0:8080", "http://127.0.0.1.nip.io",
		"http://localhost.example.com", "http://127.1", "http://2130706433", "http://[::2]:80",
		"http://169.254.1.1", "http://192.168.1.10:8080", "http://[fe80::1%25eth0]:80",
	}
	for _, in := range notLoopback {
		if _, err := CheckTarget(in); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("CheckTarget(%q) = %v; want ErrNotLoopback", in, err)
		}
	}
	malformed := []string{"", "127.0.0.1:8080", "https://127.0.0.1", "ftp://127.0.0.1", "http://127.0.0.1/api",
		"http://127.0.0.1/?x=1", "http://user:pw@127.0.0.1", "http://%zz"}
	for _, in := range malformed {
		if _, err := CheckTarget(in); err == nil {
			t.Errorf("CheckTarget(%q) accepted", in)
		}
	}
}

// TestClientRefusesToDialElsewhere covers a name that passed CheckTarget
// but resolves off the machine, or a URL built past it: the dialer stops
// before connect(2), so the answer is immediate, not a connect timeout.
func TestClientRefusesToDialElsewhere(t *testing.T) {
	c := NewClient(1, 10*time.Second)
	for _, u := range []string{"http://10.1.2.3:80/", "http://[2001:db8::1]:80/"} {
		start := time.Now()
		req, _ := http.NewRequestWithContext(context.Background(), "GET", u, nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, ErrNotLoopback) {
			t.Errorf("GET %s: %v; want ErrNotLoopback", u, err)
		}
		if time.Since(start) > time.Second {
			t.Errorf("GET %s took %v: it tried to connect", u, time.Since(start))
		}
	}
	if err := refuseNonLoopback("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("loopback refused: %v", err)
	}
	if err := refuseNonLoopback("tcp6", "[::1]:80", nil); err != nil {
		t.Errorf("::1 refused: %v", err)
	}
}
