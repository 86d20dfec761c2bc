package loadtest

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestProcReaders(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux only; the report says n/a elsewhere")
	}
	if rss, err := PeakRSS(os.Getpid()); err != nil || rss < 1<<20 {
		t.Errorf("PeakRSS(self) = %d, %v", rss, err)
	}
	if _, err := PeakRSS(-1); err == nil {
		t.Error("PeakRSS of no process succeeded")
	}
	if _, err := processCPU("self"); err != nil {
		t.Error(err)
	}
	if CPUModel() == "" {
		t.Error("no CPU model")
	}
	if busy, total, err := machineCPU(); err != nil || busy <= 0 || total < busy {
		t.Errorf("machineCPU = %d, %d, %v", busy, total, err)
	}
}

func TestShares(t *testing.T) {
	t0 := time.Unix(1000, 0)
	a := cpuTimes{at: t0, self: time.Second, srv: 10 * time.Second, busy: 1000, total: 10_000, selfOK: true, srvOK: true, mOK: true}
	// 10 s on 2 CPUs: the bench used 2 s, the server 10 s, the machine 16 s.
	b := cpuTimes{at: t0.Add(10 * time.Second), self: 3 * time.Second, srv: 20 * time.Second, busy: 2600, total: 12_000, selfOK: true, srvOK: true, mOK: true}
	s := shares(a, b, 2)
	if s.client == nil || s.server == nil || s.others == nil {
		t.Fatalf("%+v", s)
	}
	near := func(got, want float64) bool { return got > want-1e-9 && got < want+1e-9 }
	if !near(*s.client, 0.1) || !near(*s.server, 0.5) || !near(*s.others, 0.2) {
		t.Errorf("client %v server %v others %v; want 0.1, 0.5, 0.2", *s.client, *s.server, *s.others)
	}
	b.srvOK = false
	if s := shares(a, b, 2); s.server != nil || s.others != nil {
		t.Error("shares without the server's figures")
	}
}
