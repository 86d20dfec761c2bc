package sqlite

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/headline/headline/internal/storetest"
)

// BenchmarkSocial builds one social fixture (sizes from
// HEADLINE_BENCH_SOCIAL_*, see storetest.BenchSizes) and runs the follows,
// timeline, headlines and publishing benchmarks on it, after the two
// timeline query shapes forced one after the other.
//
//	go test -run '^$' -bench Social -benchtime 1x ./internal/sqlite/    # CI smoke
//	go test -run '^$' -bench Social -benchtime 3s ./internal/sqlite/    # figures
//
// HEADLINE_BENCH_SOCIAL_KEEP=/some/dir keeps the built fixture there (one
// database and one JSON file per set of sizes) and later runs copy it
// instead of building it again: minutes saved at 1,000,000 posts. Every
// run works on its own copy, so what the benchmarks write (posts, follows,
// snapshots) never reaches the kept file.
func BenchmarkSocial(b *testing.B) {
	sizes := storetest.BenchSizesFromEnv()
	path := filepath.Join(b.TempDir(), "bench.db")
	meta := ""
	if keep := os.Getenv("HEADLINE_BENCH_SOCIAL_KEEP"); keep != "" {
		meta = keptFixture(b, keep, sizes, path)
	}
	st, err := OpenWith(b.Context(), path, benchOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var fx *storetest.BenchFixture
	if meta == "" {
		fx = storetest.BuildBenchFixture(b, st, sizes)
	} else {
		fx = storetest.LoadBenchFixture(b, st, meta)
	}
	// The shapes first: the publish benchmark adds posts at the top.
	benchShapes(b, fx, storetest.RunTimelineShape(st, fx))
	storetest.RunSocialBenchmarks(b, st, fx)
}

// benchOptions reads HEADLINE_BENCH_SQLITE_MMAP (bytes, -1 for none) and
// HEADLINE_BENCH_SQLITE_CACHE_KIB and HEADLINE_BENCH_SQLITE_CHECKPOINT (a
// duration, -1ns for none), to measure the connection settings
// against their defaults (unset: the defaults), and
// HEADLINE_BENCH_SQLITE_WALK, the timeline walk's index (see walkIndex),
// for the run's later benchmarks.
func benchOptions() Options {
	if ix := os.Getenv("HEADLINE_BENCH_SQLITE_WALK"); ix != "" {
		walkIndex = ix
	}
	var o Options
	o.MmapBytes, _ = strconv.ParseInt(os.Getenv("HEADLINE_BENCH_SQLITE_MMAP"), 10, 64)
	o.CacheKiB, _ = strconv.Atoi(os.Getenv("HEADLINE_BENCH_SQLITE_CACHE_KIB"))
	o.Checkpoint, _ = time.ParseDuration(os.Getenv("HEADLINE_BENCH_SQLITE_CHECKPOINT"))
	return o
}

// keptFixture makes sure dir holds a built fixture of these sizes, building
// it there if it does not, copies its database to path and returns the
// path of its JSON description.
func keptFixture(b *testing.B, dir string, sz storetest.BenchSizes, path string) string {
	name := filepath.Join(dir, fmt.Sprintf("social-a%d-p%d-f%d-r%d", sz.Accounts, sz.Posts, sz.Followers, sz.Follows))
	db, meta := name+".db", name+".json"
	if _, err := os.Stat(meta); errors.Is(err, fs.ErrNotExist) {
		buildKept(b, sz, db, meta)
	} else if err != nil {
		b.Fatal(err)
	}
	if err := copyFile(db, path); err != nil {
		b.Fatalf("copy the kept fixture: %v", err)
	}
	return meta
}

// buildKept builds the fixture into db and records it in meta. meta is
// written last, so an interrupted build is started afresh next time.
func buildKept(b *testing.B, sz storetest.BenchSizes, db, meta string) {
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			b.Fatal(err)
		}
	}
	st, err := Open(b.Context(), db)
	if err != nil {
		b.Fatal(err)
	}
	fx := storetest.BuildBenchFixture(b, st, sz)
	// Closing the last connection checkpoints the WAL into db and removes
	// it, so db alone is the whole database.
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(db + "-wal"); err == nil {
		b.Fatalf("%s-wal is still there after closing", db)
	}
	if err := storetest.SaveBenchFixture(fx, meta); err != nil {
		b.Fatal(err)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// benchShapes times both timeline shapes for both readers, whatever
// fanInLimit would pick, to show why it sits where it does.
func benchShapes(b *testing.B, fx *storetest.BenchFixture, run func(b *testing.B, heavy bool)) {
	defer func(v int, ix string) { fanInLimit, walkIndex = v, ix }(fanInLimit, walkIndex)
	for _, shape := range []struct {
		name  string
		limit int
		index string
	}{{"per-followee", 1 << 30, walkIndex}, {"global-walk", 0, "posts_rank"}, {"global-walk-posts_home", 0, "posts_home"}} {
		fanInLimit, walkIndex = shape.limit, shape.index
		b.Run("TimelineShape/"+shape.name+"/follows=5000", func(b *testing.B) { run(b, true) })
		b.Run("TimelineShape/"+shape.name+"/follows=50", func(b *testing.B) { run(b, false) })
	}
}
