package ui

import (
	"context"
	"net/http"

	"github.com/headline/headline/internal/jobs"
)

// JobsOverview reads the background job queue for /admin/jobs;
// *jobs.Queue has it.
type JobsOverview interface {
	Overview(ctx context.Context) (jobs.Overview, error)
}

// adminJobsPage shows the job queue: counts by kind and state, the recent
// failures with their errors, and what the machine can and cannot do.
type adminJobsPage struct {
	Base
	Running      bool // a queue is configured in this process
	Backend      string
	States       []string
	Kinds        []jobKindRow
	Failures     []jobs.Failure
	Capabilities []jobs.Capability
}

// jobKindRow is one kind's counts, in the order of States.
type jobKindRow struct {
	Kind   string
	Counts []int64
}

// adminJobs serves GET /admin/jobs.
func (s *server) adminJobs(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(viewerOf(r)); err != nil {
		return err
	}
	p := &adminJobsPage{States: jobs.States, Capabilities: s.capabilities}
	p.Title = "Background jobs"
	if s.jobs != nil {
		o, err := s.jobs.Overview(r.Context())
		if err != nil {
			return err
		}
		p.Running, p.Backend, p.Failures = true, o.Backend, o.Failures
		p.Kinds = kindRows(o.Counts)
	}
	return s.render(w, r, http.StatusOK, "admin_jobs", p)
}

// kindRows turns counts (sorted by kind) into one row per kind.
func kindRows(counts []jobs.Count) []jobKindRow {
	var rows []jobKindRow
	for _, c := range counts {
		if len(rows) == 0 || rows[len(rows)-1].Kind != c.Kind {
			rows = append(rows, jobKindRow{Kind: c.Kind, Counts: make([]int64, len(jobs.States))})
		}
		for i, st := range jobs.States {
			if st == c.State {
				rows[len(rows)-1].Counts[i] = c.N
			}
		}
	}
	return rows
}
