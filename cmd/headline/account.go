package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/headline/headline/internal/accounts"
	"github.com/headline/headline/internal/news"
)

func runAccount(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "set") {
		fmt.Fprintln(stderr, "Usage: headline account create|set --handle H ...")
		return fmt.Errorf("%w: account needs create or set", errUsage)
	}
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("account "+args[0], flag.ContinueOnError)
	bindFlags(fs, &cfg, getenv, false)
	var handle, name, email, role, official string
	fs.StringVar(&handle, "handle", "", "the account's handle (required)")
	fs.StringVar(&role, "role", "", "reader, publisher, moderator or admin")
	fs.StringVar(&official, "official", "", "mark as official with this label, e.g. Newspaper or Embassy")
	if args[0] == "create" {
		fs.StringVar(&name, "name", "", "display name (required)")
		fs.StringVar(&email, "email", "", "private email address")
	}
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
	svc := accounts.New(st, nil)

	if args[0] == "set" {
		return setAccount(ctx, svc, handle, role, official, fs, stdout)
	}
	password, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	a, err := svc.Create(ctx, accounts.NewAccount{Handle: handle, Name: name, Email: email, Password: password,
		Role: news.Role(role), Official: official})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created @%s (%s", a.Handle, a.Role)
	if a.Official != "" {
		fmt.Fprintf(stdout, ", official: %s", a.Official)
	}
	fmt.Fprintln(stdout, ").")
	if generated {
		fmt.Fprintf(stdout, "Password: %s\n", password)
	}
	return nil
}

func setAccount(ctx context.Context, svc *accounts.Service, handle, role, official string, fs *flag.FlagSet, stdout io.Writer) error {
	// --official "" clears the label, so what counts is whether it was given.
	officialSet := isSet(fs, "official")
	if role == "" && !officialSet {
		return fmt.Errorf("%w: give --role or --official", errUsage)
	}
	if role != "" {
		if _, err := svc.SetRole(ctx, nil, handle, news.Role(role)); err != nil {
			return describe(err)
		}
	}
	if officialSet {
		if _, err := svc.SetOfficial(ctx, nil, handle, official); err != nil {
			return describe(err)
		}
	}
	a, err := svc.ByHandle(ctx, handle)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "@%s is now %s, official: %q.\n", a.Handle, a.Role, a.Official)
	return nil
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// readPassword takes the first line of stdin as the password, or generates
// one when nothing was piped in.
func readPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if stdin != nil {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, fmt.Errorf("read password from stdin: %w", err)
		}
		if pw = strings.TrimRight(line, "\r\n"); pw != "" {
			return pw, false, nil
		}
	}
	return accounts.GeneratePassword(), true, nil
}

// describe turns a product error into one line for the terminal, naming
// each bad field.
func describe(err error) error {
	fields := news.ErrorFields(err)
	if len(fields) == 0 {
		return errors.New(news.ErrorMessage(err))
	}
	var b strings.Builder
	b.WriteString(news.ErrorMessage(err))
	for k, v := range fields {
		fmt.Fprintf(&b, " --%s: %s", k, v)
	}
	return errors.New(b.String())
}
