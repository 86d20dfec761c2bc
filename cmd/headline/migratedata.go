package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/headline/headline/internal/sitecopy"
)

const migrateDataUsage = `Usage: headline migrate-data --from DIR --to postgres://...

Copies a site from its SQLite data folder into PostgreSQL, keeping every id,
so that links and sign-ins keep working. Stop the site first. The copy goes
in batches that each commit; when it is interrupted, run it again and it
goes on where it stopped. It ends by checking that every table has the same
rows and counter totals on both sides.

Flags:
`

// runMigrateData serves `headline migrate-data`: the progress goes to
// stderr, the summary to stdout.
func runMigrateData(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate-data", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), migrateDataUsage)
		fs.PrintDefaults()
	}
	o := sitecopy.Options{Progress: stderr, Live: writesToTerminal(stderr)}
	fs.StringVar(&o.From, "from", getenv("HEADLINE_DATA"), "the SQLite site's data folder (HEADLINE_DATA)")
	fs.StringVar(&o.To, "to", getenv("HEADLINE_DATABASE_URL"), "the PostgreSQL URL to copy into (HEADLINE_DATABASE_URL)")
	fs.IntVar(&o.Batch, "batch", sitecopy.DefaultBatch, "rows per committed batch")
	if err := parseFlags(fs, args, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch {
	case o.From == "":
		return fmt.Errorf("%w: --from: the SQLite data folder is required", errUsage)
	case !strings.HasPrefix(o.To, "postgres://") && !strings.HasPrefix(o.To, "postgresql://"):
		return fmt.Errorf("%w: --to: want a postgres:// URL", errUsage)
	case o.Batch <= 0:
		return fmt.Errorf("%w: --batch: want a positive number of rows", errUsage)
	}
	res, err := sitecopy.Copy(ctx, o)
	if err != nil {
		return fmt.Errorf("migrate-data to %s: %w", redactURL(o.To), err)
	}
	res.WriteSummary(stdout)
	return nil
}

// writesToTerminal reports whether w is a terminal, where a progress line
// may redraw itself. (loadgen.go, written alongside, has the same check as
// isTerminal; one of the two can go once both are in.)
func writesToTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
