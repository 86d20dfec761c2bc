package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/headline/headline/internal/loadtest"
)

// benchFlags are the options of `headline bench`.
type benchFlags struct {
	url, serveData, scenario, mix, mode, format, out, tokens string
	signin                                                   string
	serveDemo, sequential                                    bool
	pid, concurrency                                         int
	requests                                                 int64
	duration, warmup, timeout                                time.Duration
}

const benchUsage = `Usage: headline bench (--url http://127.0.0.1:PORT | --serve-data DIR) [flags]

Drives a running Headline server on this machine's loopback interface with a
mix of operations, for a bounded time and count, and prints throughput and
latency percentiles next to a static-file baseline of the same run. It sends
traffic to 127.0.0.0/8, ::1 and localhost only. Writes (the comment
scenario) add real comments to the site: use a copy of real data.

Scenarios (--scenario takes a preset or one of these; --mix name=weight,...):
%s
Presets: read, write, mixed, social, static. Every flag has a HEADLINE_BENCH_*
environment variable (--serve-data is HEADLINE_BENCH_SERVE_DATA).

Flags:
`

func (f *benchFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "url", "", "base `URL` of a running server on loopback, e.g. http://127.0.0.1:8080; several instances of one site comma-separated, the clients spread over them")
	fs.StringVar(&f.serveData, "serve-data", "", "run 'headline serve' on data folder `DIR` at a free loopback port for the run, and stop it after")
	fs.BoolVar(&f.serveDemo, "serve-demo", false, "with --serve-data: seed demo content if the site is empty")
	fs.IntVar(&f.pid, "pid", 0, "`PID` of the server given by --url, to report its peak RSS and CPU")
	fs.StringVar(&f.scenario, "scenario", "mixed", "`NAME` of a preset or a single scenario: "+strings.Join(loadtest.Names(), ", "))
	fs.StringVar(&f.mix, "mix", "", "weighted scenarios `SPEC`, e.g. article=4,comment=1,static=1 (overrides --scenario)")
	fs.StringVar(&f.mode, "mode", "each", "each: run the scenarios one after another, each alone, with ratios to the static baseline; mix: interleave them by weight, for latencies under a combined load")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "measured time (at most 10m)")
	fs.Int64Var(&f.requests, "requests", 1_000_000, "at most this many measured operations")
	fs.IntVar(&f.concurrency, "concurrency", 16, "concurrent clients")
	fs.BoolVar(&f.sequential, "sequential", false, "one client, one request at a time: single-client latency")
	fs.DurationVar(&f.warmup, "warmup", time.Second, "warm-up before measuring, not counted")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "timeout of one request (counted as an error)")
	fs.StringVar(&f.format, "format", "markdown", "markdown, json or text")
	fs.StringVar(&f.out, "out", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&f.signin, "signin", "", "`ACCOUNTS` the clients sign in as through the sign-in form, handle:password comma-separated, for the signed-in page scenarios (every loadgen account has the password loadgen-password)")
	fs.StringVar(&f.tokens, "token", "", "API `TOKENS` of signed-in readers (headline token create), comma-separated, for timeline, like, follow and a personal headlines feed")
}

func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var f benchFlags
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	f.bind(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), benchUsage, loadtest.Describe())
		fs.PrintDefaults()
	}
	if err := benchEnv(fs, getenv); err != nil {
		return err
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	opts, err := f.options(fs)
	if err != nil {
		return err
	}
	if f.serveData != "" {
		srv, err := startBenchServer(ctx, f, stderr)
		if err != nil {
			return err
		}
		defer srv.Stop()
		opts.Target, _ = loadtest.CheckTarget(srv.URL)
		opts.ServerPID = srv.PID
	}
	opts.Progress = stderr
	rep, err := loadtest.Run(ctx, opts)
	if err != nil {
		return err
	}
	rep.Command = "headline bench " + shellJoin(args)
	return writeReport(rep, f, stdout, stderr)
}

// writeReport renders the report to --out, or to stdout. The file is
// written only now, so a failed run leaves no empty report behind; if it
// cannot be written, the report goes to stdout rather than being lost.
func writeReport(rep *loadtest.Report, f benchFlags, stdout, stderr io.Writer) error {
	var buf bytes.Buffer
	if err := loadtest.Render(&buf, rep, f.format); err != nil {
		return err
	}
	if f.out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(f.out, buf.Bytes(), 0o644); err != nil {
		stdout.Write(buf.Bytes())
		return fmt.Errorf("--out: %w (the report is on standard output)", err)
	}
	fmt.Fprintf(stderr, "bench: report written to %s\n", f.out)
	return nil
}

// options checks the flags, the target first: a URL that is not loopback
// is refused before anything else happens.
func (f *benchFlags) options(fs *flag.FlagSet) (loadtest.Options, error) {
	o := loadtest.Options{MixName: f.scenario, Mode: loadtest.Mode(f.mode), Duration: f.duration, Warmup: f.warmup,
		MaxRequests: f.requests, Concurrency: f.concurrency, Timeout: f.timeout, ServerPID: f.pid}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var err error
	switch {
	case (f.url == "") == (f.serveData == ""):
		return o, fmt.Errorf("%w: give either --url of a running server or --serve-data to start one", errUsage)
	case f.url != "":
		urls := strings.Split(f.url, ",")
		if o.Target, err = loadtest.CheckTarget(urls[0]); err != nil {
			return o, err
		}
		for _, u := range urls[1:] {
			t, err := loadtest.CheckTarget(u)
			if err != nil {
				return o, err
			}
			o.Also = append(o.Also, t)
		}
		if f.serveDemo {
			return o, fmt.Errorf("%w: --serve-demo goes with --serve-data", errUsage)
		}
	case f.pid != 0:
		return o, fmt.Errorf("%w: --pid is for a server given by --url; with --serve-data the PID is known", errUsage)
	default:
		o.Target, _ = loadtest.CheckTarget("http://127.0.0.1") // replaced by the child's address
	}
	if f.sequential {
		if set["concurrency"] && f.concurrency != 1 {
			return o, fmt.Errorf("%w: --sequential means one client; leave out --concurrency", errUsage)
		}
		o.Concurrency = 1
	}
	if f.mix != "" {
		o.MixName = "custom"
		o.Mix, err = loadtest.ParseMix(f.mix)
	} else {
		o.Mix, err = loadtest.Preset(f.scenario)
	}
	if err != nil {
		return o, err
	}
	if f.tokens != "" {
		o.Tokens = strings.Split(f.tokens, ",")
	}
	if f.signin != "" {
		if o.SignIn, err = loadtest.ParseCredentials(f.signin); err != nil {
			return o, err
		}
	}
	if !slices.Contains(loadtest.Formats, f.format) {
		return o, fmt.Errorf("--format %q: want %s", f.format, strings.Join(loadtest.Formats, ", "))
	}
	return o, o.Validate()
}

func startBenchServer(ctx context.Context, f benchFlags, stderr io.Writer) (*loadtest.Server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("--serve-data: cannot find this program to start the server: %w", err)
	}
	fmt.Fprintf(stderr, "bench: starting %s serve --data %s\n", exe, f.serveData)
	return loadtest.StartServer(ctx, exe, f.serveData, f.serveDemo, stderr)
}

// benchEnv fills flags from HEADLINE_BENCH_<NAME> variables before the
// command line is parsed, so that flags win.
func benchEnv(fs *flag.FlagSet, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(fl *flag.Flag) {
		name := "HEADLINE_BENCH_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		if v := getenv(name); v != "" && err == nil {
			if e := fs.Set(fl.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, e)
			}
		}
	})
	return err
}

// shellJoin quotes the arguments that need it, so that the command in a
// report can be pasted back into a shell.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
