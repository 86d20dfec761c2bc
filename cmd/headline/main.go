// Command headline runs the Headline news platform: the web site and API
// (serve), and the operator's tools (account, token, migrate).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var stdin io.Reader = os.Stdin
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		stdin = nil // a terminal: nothing was piped in
	}
	if err := run(ctx, os.Args[1:], os.Getenv, stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "headline:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `Usage: headline <command> [flags]

Commands:
  serve             run the web site and the API
  account create    create an account (password read from stdin, or generated)
  account set       change an account's role or official label
  token create      create an API bearer token for an account
  migrate           apply database migrations and exit
  migrate-data      copy a SQLite site into PostgreSQL
  loadgen           fill a site with realistic generated data
  bench             drive a running site with a load mix and report latencies

Run 'headline <command> -h' for a command's flags. Every flag has a
HEADLINE_* environment variable (e.g. --data is HEADLINE_DATA).
`

// run is the whole program, with its environment passed in so that tests can
// call it as a person would run the binary.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: no command given", errUsage)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "account":
		return runAccount(ctx, rest, getenv, stdin, stdout, stderr)
	case "token":
		return runToken(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "migrate-data":
		return runMigrateData(ctx, rest, getenv, stdout, stderr)
	case "loadgen":
		return runLoadgen(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, getenv, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}
