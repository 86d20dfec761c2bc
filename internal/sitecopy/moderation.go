package sitecopy

import (
	"context"
	"fmt"
)

// copyModerationSettings carries the moderation settings documents over,
// replacing the site row the target's migration wrote; they are a few
// rows. The version is bumped past both sides', so instances already
// running on the target reload them at their next comment.
func (c *copier) copyModerationSettings(ctx context.Context) error {
	rows, err := c.src.QueryContext(ctx, `SELECT scope, data, version FROM moderation_settings`)
	if err != nil {
		return fmt.Errorf("read moderation_settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var scope, version int64
		var data string
		if err := rows.Scan(&scope, &data, &version); err != nil {
			return fmt.Errorf("read moderation_settings: %w", err)
		}
		_, err := c.dst.Exec(ctx, `INSERT INTO moderation_settings (scope, data, version) VALUES ($1, $2, $3)
			ON CONFLICT (scope) DO UPDATE SET data = excluded.data,
				version = greatest(moderation_settings.version, excluded.version) + 1`, scope, data, version)
		if err != nil {
			return fmt.Errorf("write moderation_settings: %w", err)
		}
	}
	return rows.Err()
}
