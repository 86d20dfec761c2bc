package loadtest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PeakRSS returns the peak resident set size of process pid since it
// started (VmHWM in /proc/<pid>/status), in bytes. It works on Linux only;
// elsewhere, or once the process has exited, it returns an error.
func PeakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmHWM of %d: %w", pid, err)
		}
		return kb * 1024, nil
	}
	return 0, fmt.Errorf("no VmHWM for process %d", pid)
}

// userHZ is the unit of the CPU times in /proc/<pid>/stat. The kernel fixes
// it at 100 for user space on every architecture Go supports on Linux.
const userHZ = 100

// processCPU returns the user+system CPU time process pid ("self" for this
// one) has used, from /proc/<pid>/stat.
func processCPU(pid string) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces and parentheses; fields
	// after the last ')' are fixed: state is the first, utime the 12th and
	// stime the 13th of them (fields 14 and 15 of the whole line).
	i := strings.LastIndexByte(string(b), ')')
	fields := strings.Fields(string(b)[i+1:])
	if i < 0 || len(fields) < 13 {
		return 0, errors.New("unexpected /proc stat format")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("unexpected /proc stat format")
	}
	return time.Duration(utime+stime) * time.Second / userHZ, nil
}

// CPUModel names the processor from /proc/cpuinfo, or the architecture
// where that is not available.
func CPUModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "model name", "Model", "Hardware", "cpu model":
			if v := strings.TrimSpace(val); v != "" {
				return v
			}
		}
	}
	return runtime.GOARCH
}

// machineCPU returns the busy and total CPU time of the whole machine, in
// ticks, from the first line of /proc/stat (idle and iowait are not busy).
func machineCPU() (busy, total int64, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 6 || fields[0] != "cpu" {
		return 0, 0, errors.New("unexpected /proc/stat format")
	}
	for i, f := range fields[1:] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, 0, errors.New("unexpected /proc/stat format")
		}
		// guest times (fields 9 and 10) are already counted in user time.
		if i < 8 {
			total += v
		}
		if i != 3 && i != 4 && i < 8 {
			busy += v
		}
	}
	return busy, total, nil
}

// cpuTimes is one reading of the CPU counters the report compares.
type cpuTimes struct {
	at                 time.Time
	self, srv          time.Duration
	busy, total        int64 // machine ticks
	selfOK, srvOK, mOK bool
}

func readCPU(pid int) cpuTimes {
	c := cpuTimes{at: time.Now()}
	c.self, c.selfOK = cpuOf("self")
	if pid > 0 {
		c.srv, c.srvOK = cpuOf(strconv.Itoa(pid))
	}
	var err error
	c.busy, c.total, err = machineCPU()
	c.mOK = err == nil && c.total > 0
	return c
}

func cpuOf(pid string) (time.Duration, bool) {
	d, err := processCPU(pid)
	return d, err == nil
}

// cpuShares are fractions of all the machine's CPUs over the measured
// time: the bench, the server, and everything else that ran meanwhile
// (other processes competing for the CPUs make figures lower and noisier).
type cpuShares struct {
	client, server, others *float64
}

func shares(a, b cpuTimes, ncpu int) cpuShares {
	var out cpuShares
	wall := b.at.Sub(a.at).Seconds() * float64(ncpu)
	if wall <= 0 {
		return out
	}
	if a.selfOK && b.selfOK {
		v := (b.self - a.self).Seconds() / wall
		out.client = &v
	}
	if a.srvOK && b.srvOK {
		v := (b.srv - a.srv).Seconds() / wall
		out.server = &v
	}
	if a.mOK && b.mOK && b.total > a.total && out.client != nil && out.server != nil {
		v := max(0, float64(b.busy-a.busy)/float64(b.total-a.total)-*out.client-*out.server)
		out.others = &v
	}
	return out
}

// probe samples the server's peak RSS throughout the run, rather than once
// at the end, so that a figure survives a server that is already gone when
// the run stops; and it reads the CPU counters around the measured time.
type probe struct {
	pid        int
	peak       atomic.Int64
	stop       chan struct{}
	wg         sync.WaitGroup
	start, end cpuTimes
}

func startProbe(pid int) *probe {
	p := &probe{pid: pid, stop: make(chan struct{})}
	if pid <= 0 {
		return p
	}
	p.sampleRSS()
	p.wg.Go(func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.sampleRSS()
			}
		}
	})
	return p
}

func (p *probe) sampleRSS() {
	if v, err := PeakRSS(p.pid); err == nil && v > p.peak.Load() {
		p.peak.Store(v)
	}
}

// begin marks the start of the measured time.
func (p *probe) begin() { p.start = readCPU(p.pid) }

// finish marks its end and stops the RSS sampling.
func (p *probe) finish() {
	p.end = readCPU(p.pid)
	if p.pid > 0 {
		p.sampleRSS()
	}
	close(p.stop)
	p.wg.Wait()
}
