package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"time"
)

// Server is a `headline serve` child process started for one run, so that
// a single command reproduces a figure and the bench knows the server's PID.
type Server struct {
	URL  string
	PID  int
	cmd  *exec.Cmd
	done chan error
}

var listeningRe = regexp.MustCompile(`listening on (http://\S+)`)

// StartServer runs `exe serve` on a free loopback port with dataDir as its
// data folder (and --demo when demo is set: it seeds only an empty site),
// and waits until /healthz answers. The child's log (at warn level, so it
// costs nothing per request) goes to logs; its standard output, which may
// hold demo passwords, is read for the address and otherwise discarded.
func StartServer(ctx context.Context, exe, dataDir string, demo bool, logs io.Writer) (*Server, error) {
	// One load client is one IP and a few identities posting far faster
	// than a person: the site's rate limits would answer 429 to most of a
	// run, so a bench server runs without them.
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir, "--log-level", "warn", "--rate-limits=false"}
	if demo {
		args = append(args, "--demo")
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = logs
	detach(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", exe, err)
	}
	s := &Server{PID: cmd.Process.Pid, cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listeningRe.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out)
		s.done <- cmd.Wait()
	}()
	if err := s.waitReady(ctx, addr); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady waits for the address line and a healthy /healthz, for at most
// two minutes: seeding demo content or migrating a big database takes time.
func (s *Server) waitReady(ctx context.Context, addr <-chan string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	select {
	case u := <-addr:
		s.URL = u
	case err := <-s.done:
		s.done <- err
		return fmt.Errorf("server exited before listening: %v", err)
	case <-ctx.Done():
		return fmt.Errorf("server did not start: %w", ctx.Err())
	}
	if _, err := CheckTarget(s.URL); err != nil {
		return err
	}
	client := NewClient(1, 5*time.Second)
	defer client.CloseIdleConnections()
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/healthz", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("server at %s did not become healthy: %w", s.URL, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop asks the server to shut down gracefully and kills it if it has not
// within 20 seconds.
func (s *Server) Stop() error {
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.cmd.Process.Kill()
	}
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		return errors.New("server did not stop within 20s; killed")
	}
}
