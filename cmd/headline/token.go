package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/jobs"
)

func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "Usage: headline token create --handle H [--name NAME]")
		return fmt.Errorf("%w: token needs create", errUsage)
	}
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	bindFlags(fs, &cfg, getenv, false)
	var handle, name string
	fs.StringVar(&handle, "handle", "", "the account the token acts for (required)")
	fs.StringVar(&name, "name", "cli", "a name to recognise the token by")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if handle == "" {
		return fmt.Errorf("%w: --handle is required", errUsage)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	token, err := accounts.New(st, nil).CreateToken(ctx, handle, name)
	if err != nil {
		return describe(err)
	}
	// The token is the last word, so scripts can take it with awk '{print $NF}'.
	fmt.Fprintf(stdout, "API token for @%s: %s\n", handle, token)
	return nil
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	bindFlags(fs, &cfg, getenv, false)
	if err := parseFlags(fs, args, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	// The job queue's tables (River's own migrations) live in the same
	// database.
	if err := jobs.Migrate(ctx, jobsConfig(cfg, slog.New(slog.NewTextHandler(stderr, nil)))); err != nil {
		st.Close()
		return fmt.Errorf("job queue: %w", err)
	}
	fmt.Fprintln(stdout, "Database is up to date.")
	return st.Close()
}
