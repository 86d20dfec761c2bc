package loadtest

import (
	"os/exec"
	"syscall"
)

// detach puts the child in its own process group, so that a Ctrl-C in the
// terminal reaches only the bench, which then reports with the server still
// up and stops it itself; Pdeathsig stops the server should the bench die
// without that chance.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
