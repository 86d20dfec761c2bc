package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
)

// Cluster is a PostgreSQL server of a test's own, in a temporary folder on
// a free port, for tests that stop and restart the database: the shared
// server at 127.0.0.1:5432 serves every other test running at the same
// time, so it is never touched.
type Cluster struct {
	t    testing.TB
	bin  string // the folder of initdb, pg_ctl
	dir  string // data folder
	port int
	asPG bool   // run the tools as the postgres user (we are root)
	opts string // the server's options: port, socket folder
}

// NewCluster initialises and starts a cluster (trust authentication, user
// postgres). Without PostgreSQL's server programs it skips, or fails under CI.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		missing(t, "PostgreSQL's server programs (initdb, pg_ctl) are not installed (apt-get install postgresql)")
	}
	c := &Cluster{t: t, bin: filepath.Dir(bins[len(bins)-1])}
	// initdb refuses to run as root: run the tools as postgres then.
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		if _, err := user.Lookup("postgres"); err != nil {
			missing(t, "running as root without a postgres user to run initdb as")
		}
		c.asPG = true
	}
	root, err := os.MkdirTemp("", "hl-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.pgctl("stop", "-m", "immediate")
		os.RemoveAll(root)
	})
	if c.asPG {
		if out, err := exec.Command("chown", "postgres:", root).CombinedOutput(); err != nil {
			t.Fatalf("pgtest: chown %s: %v %s", root, err, out)
		}
	}
	c.dir = filepath.Join(root, "data")
	c.port = freePort(t)
	if out, err := c.command(filepath.Join(c.bin, "initdb"), "-D", c.dir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=on", c.port, root)
	c.opts = opts
	c.Start()
	return c
}

// URL is the address of the cluster's postgres database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Start starts the server and waits until it accepts connections.
func (c *Cluster) Start() {
	c.t.Helper()
	if out, err := c.pgctl("start", "-w", "-t", "30", "-l", filepath.Join(filepath.Dir(c.dir), "log"), "-o", c.opts); err != nil {
		c.t.Fatalf("pgtest: pg_ctl start: %v\n%s", err, out)
	}
}

// Stop stops the server the fast way: sessions are cut mid-transaction.
func (c *Cluster) Stop() {
	c.t.Helper()
	if out, err := c.pgctl("stop", "-w", "-m", "fast"); err != nil {
		c.t.Fatalf("pgtest: pg_ctl stop: %v\n%s", err, out)
	}
}

func (c *Cluster) pgctl(args ...string) ([]byte, error) {
	return c.command(filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", c.dir}, args...)...).CombinedOutput()
}

func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	if c.asPG {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

// missing skips t for a missing tool, or fails it under CI, where .ci/run
// installs every tool the tests need.
func missing(t testing.TB, why string) {
	t.Helper()
	msg := "pgtest: " + why
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
