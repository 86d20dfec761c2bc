package sitecopy

import (
	"context"
	"fmt"
	"time"
)

// copyMarks carries the notification producers' watermarks over. They are
// positions, not rows: the target's migration wrote its own (at migration
// time), which must be replaced, or every reply in the copied history
// would be notified again.
func (c *copier) copyMarks(ctx context.Context) error {
	rows, err := c.src.QueryContext(ctx, `SELECT name, at, id FROM notify_marks`)
	if err != nil {
		return fmt.Errorf("read notify_marks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var at, id int64
		if err := rows.Scan(&name, &at, &id); err != nil {
			return fmt.Errorf("read notify_marks: %w", err)
		}
		_, err := c.dst.Exec(ctx, `INSERT INTO notify_marks (name, at, id) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET at = excluded.at, id = excluded.id`,
			name, time.UnixMicro(at).UTC(), id)
		if err != nil {
			return fmt.Errorf("write notify_marks: %w", err)
		}
	}
	return rows.Err()
}
