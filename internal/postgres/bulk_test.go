package postgres

import (
	"testing"
	"time"

	"github.com/headline/headline/internal/news"
	"github.com/headline/headline/internal/postgres/pgtest"
	"github.com/headline/headline/internal/storetest"
)

func TestBulkLoaderConformance(t *testing.T) {
	storetest.RunBulk(t, func(t *testing.T, now func() time.Time) news.Store {
		s := openTest(t, pgtest.Schema(t))
		s.Now = now
		return s
	})
}
