package loadgen

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/headline/headline/internal/sqlite"
)

// produceAll runs a phase's producer with a writer that drops every batch:
// what generating costs, without the store.
func produceAll(b *testing.B, ph *phase) {
	b.Helper()
	for b.Loop() {
		out := make(chan []op, 1)
		bt := &batcher{size: 5000, cur: make([]op, 0, 5000), out: out, free: make(chan []op, 2), stop: make(chan struct{})}
		done := make(chan struct{})
		go func() {
			defer close(done)
			for batch := range out {
				select {
				case bt.free <- batch[:0]:
				default:
				}
			}
		}()
		if err := ph.produce(bt, 0, &Stats{}); err != nil {
			b.Fatal(err)
		}
		bt.flush()
		close(out)
		<-done
	}
	b.ReportMetric(float64(ph.total)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkGenerate measures the producer of each phase alone. Compare its
// items/s with the store's rows/s in `headline loadgen`'s report: the
// producer runs on its own goroutine and must not be what limits a run.
func BenchmarkGenerate(b *testing.B) {
	cfg := Config{Accounts: 10_000, Posts: 20_000, Comments: 200_000, HotComments: -1, Seed: 1, Days: 365, Batch: 5000}
	g := prepared(b, cfg)
	b.Run("accounts", func(b *testing.B) { produceAll(b, g.accountsPhase()) })
	b.Run("posts", func(b *testing.B) { produceAll(b, g.postsPhase()) })
	b.Run("comments", func(b *testing.B) { produceAll(b, g.commentsPhase()) })
}

// BenchmarkLoadSQLite writes a whole run into a fresh SQLite file and
// reports each phase's rows a second: the store's side of a run, which is
// what bounds it. The size is a hundredth of the scale by default
// (HEADLINE_BENCH_LOADGEN_SCALE=10 is a tenth); -cpuprofile shows where a
// phase goes.
//
//	go test -run '^$' -bench LoadSQLite -benchtime 1x ./internal/loadgen/
func BenchmarkLoadSQLite(b *testing.B) {
	scale := 1
	if v, err := strconv.Atoi(os.Getenv("HEADLINE_BENCH_LOADGEN_SCALE")); err == nil && v > 0 {
		scale = v
	}
	cfg := Default()
	cfg.Accounts, cfg.Posts, cfg.Comments = 1000*scale, 10_000*scale, 100_000*scale
	cfg.Now = testNow
	for b.Loop() {
		st, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "h.db"))
		if err != nil {
			b.Fatal(err)
		}
		g, err := New(cfg, st, nil)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := g.Run(b.Context())
		st.Close()
		if err != nil {
			b.Fatal(err)
		}
		for _, ph := range rep.Phases {
			b.ReportMetric(ph.Elapsed.Seconds(), ph.Name+"-s")
		}
		b.ReportMetric(rep.Elapsed.Seconds(), "total-s")
	}
}
