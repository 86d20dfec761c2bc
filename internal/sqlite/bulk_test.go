package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/storetest"
)

func TestBulkLoaderConformance(t *testing.T) {
	storetest.RunBulk(t, func(t *testing.T, now func() time.Time) news.Store {
		s := openTest(t, filepath.Join(t.TempDir(), "headline.db"))
		s.Now = now
		return s
	})
}
