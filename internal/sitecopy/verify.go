package sitecopy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// errNotThisSite reports a target holding data of another site.
var errNotThisSite = errors.New("the target database holds another site's data")

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// checkTarget refuses a target that holds accounts of another site: an
// account id of the target must be the same account (the same handle) in
// the source. Without this, a second site copied into the same database
// would have its rows skipped as "already copied", or mixed in. The target
// is read a page at a time, so a big site is not held in memory.
func (c *copier) checkTarget(ctx context.Context) error {
	const page = 1000
	var after int64
	for {
		rows, err := c.dst.Query(ctx, `SELECT id, handle FROM accounts WHERE id > $1 ORDER BY id LIMIT $2`, after, page)
		if err != nil {
			return fmt.Errorf("check the target: %w", err)
		}
		target, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
			ID     int64
			Handle string
		}])
		if err != nil {
			return fmt.Errorf("check the target: %w", err)
		}
		if len(target) == 0 {
			return nil
		}
		first, last := target[0].ID, target[len(target)-1].ID
		source, err := c.sourceHandles(ctx, first, last)
		if err != nil {
			return err
		}
		for _, a := range target {
			switch h, ok := source[a.ID]; {
			case !ok:
				return fmt.Errorf("%w: it has account #%d @%s, which this site does not have; copy into an empty database, or finish this site's own interrupted copy", errNotThisSite, a.ID, a.Handle)
			case h != a.Handle:
				return fmt.Errorf("%w: its account #%d is @%s, where this site's is @%s; copy into an empty database, or finish this site's own interrupted copy", errNotThisSite, a.ID, a.Handle, h)
			}
		}
		after = last
	}
}

// sourceHandles maps the source's account ids in [first, last] to handles.
func (c *copier) sourceHandles(ctx context.Context, first, last int64) (map[int64]string, error) {
	rows, err := c.src.QueryContext(ctx, `SELECT id, handle FROM accounts WHERE id BETWEEN ? AND ?`, first, last)
	if err != nil {
		return nil, fmt.Errorf("read the source accounts: %w", err)
	}
	defer rows.Close()
	m := map[int64]string{}
	for rows.Next() {
		var id int64
		var h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		m[id] = h
	}
	return m, rows.Err()
}

// resetSequences moves each identity sequence past the largest copied id,
// so the next row written in PostgreSQL does not take an id the copy used.
func (c *copier) resetSequences(ctx context.Context) error {
	for _, t := range tables {
		if !t.identity {
			continue
		}
		_, err := c.dst.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) FROM `+t.name, t.name)
		if err != nil {
			return fmt.Errorf("move the id sequence of %s: %w", t.name, err)
		}
	}
	return nil
}

// verify counts the rows of every table on both sides, and totals their
// counters, and fills res. Any difference is an error naming each one.
func (c *copier) verify(ctx context.Context, res *Result) error {
	var bad []string
	for i, t := range tables {
		src := make([]int64, 1+len(t.sums))
		dst := make([]int64, 1+len(t.sums))
		if err := c.src.QueryRowContext(ctx, totalsQuery(t, "")).Scan(ptrs(src)...); err != nil {
			return fmt.Errorf("verify %s in the source: %w", t.name, err)
		}
		// sum(bigint) is numeric in PostgreSQL; these totals fit a bigint.
		if err := c.dst.QueryRow(ctx, totalsQuery(t, "::bigint")).Scan(ptrs(dst)...); err != nil {
			return fmt.Errorf("verify %s in the target: %w", t.name, err)
		}
		res.Tables[i].Source, res.Tables[i].Target = src[0], dst[0]
		if src[0] != dst[0] {
			bad = append(bad, fmt.Sprintf("%s: %d rows in the source, %d in the target", t.name, src[0], dst[0]))
		}
		for j, s := range t.sums {
			if src[j+1] != dst[j+1] {
				bad = append(bad, fmt.Sprintf("%s.%s: total %d in the source, %d in the target", t.name, s, src[j+1], dst[j+1]))
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("the copy does not match the source: %s", strings.Join(bad, "; "))
	}
	return nil
}

// totalsQuery counts the rows of t and totals its counters, each total
// followed by cast.
func totalsQuery(t table, cast string) string {
	q := `SELECT count(*)`
	for _, s := range t.sums {
		q += `, coalesce(sum(` + s + `)` + cast + `, 0)`
	}
	return q + ` FROM ` + t.name
}

func ptrs(v []int64) []any {
	out := make([]any, len(v))
	for i := range v {
		out[i] = &v[i]
	}
	return out
}
