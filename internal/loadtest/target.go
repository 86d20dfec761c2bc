package loadtest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrNotLoopback is returned for a target that is not this machine's
// loopback interface. A load generator pointed at someone else's server is
// an attack, so the tool refuses before it opens any connection.
var ErrNotLoopback = errors.New("bench only sends traffic to this machine's loopback interface (127.0.0.0/8, ::1, localhost)")

// CheckTarget parses the base URL of the server under test and refuses
// anything but plain http on a loopback host. Names other than "localhost"
// are refused without being resolved: a name that happens to resolve to
// 127.0.0.1 today may not tomorrow, and resolving it is already traffic.
func CheckTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("--url %q: want a base URL such as http://127.0.0.1:8080", raw)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("--url %q: want http (the server under test listens on loopback without TLS)", raw)
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("--url %q: %w", raw, ErrNotLoopback)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("--url %q: want only scheme, host and port, such as http://127.0.0.1:8080", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// isLoopbackHost reports whether host (without port) is "localhost" or a
// loopback IP literal. Shorthand IPv4 forms such as "127.1" are not IP
// literals to netip and are refused, which errs on the safe side.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return ip.WithZone("").Unmap().IsLoopback()
}

// refuseNonLoopback is a net.Dialer Control hook: it runs after the socket
// is made and before connect(2), so a name such as "localhost" that
// resolves elsewhere is stopped before any packet leaves.
func refuseNonLoopback(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.WithZone("").Unmap().IsLoopback() {
		return fmt.Errorf("dial %s: %w", address, ErrNotLoopback)
	}
	return nil
}

// NewClient returns the HTTP client every worker shares. It keeps one idle
// connection per worker alive, so the run measures the server rather than
// TCP setup; it never uses a proxy, never follows redirects (a 3xx is a
// valid answer and following one could leave the machine), and asks for no
// compression, so response sizes are what the server writes.
func NewClient(concurrency int, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: refuseNonLoopback}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		MaxIdleConns:          2 * concurrency,
		MaxIdleConnsPerHost:   2 * concurrency,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: timeout,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
