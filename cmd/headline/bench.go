package main

import (
	"context"
	"errors"
	"io"
)

// runBench is being written; this placeholder keeps the build green meanwhile.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("not available yet")
}
