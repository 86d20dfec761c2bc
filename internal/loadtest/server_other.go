//go:build !linux

package loadtest

import "os/exec"

// detach does nothing where process groups and parent-death signals are not
// available in the same form; a Ctrl-C then reaches the server too.
func detach(cmd *exec.Cmd) {}
