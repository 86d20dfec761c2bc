package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/headline/headline/internal/news"
)

// postCols are the columns scanPost reads: posts "p" joined with their
// author "a". The tags come along as an array in their stored order, read
// through post_tags' primary key, so a post or a page of posts is one query.
const postCols = `p.id, p.author_id, p.kind, p.title, p.slug, p.summary, p.body_markdown,
	p.body_html, p.lang, p.source_name, p.source_url, p.status, p.published_at,
	p.created_at, p.updated_at, p.comments_count, p.likes_count,
	ARRAY(SELECT pt.tag FROM post_tags pt WHERE pt.post_id = p.id ORDER BY pt.position), ` + accountCols

const postFrom = ` FROM posts p JOIN accounts a ON a.id = p.author_id`

func scanPost(row scanner) (*news.Post, error) {
	var p news.Post
	var published *time.Time
	var a news.Account
	err := row.Scan(&p.ID, &p.AuthorID, &p.Kind, &p.Title, &p.Slug, &p.Summary, &p.BodyMarkdown,
		&p.BodyHTML, &p.Lang, &p.SourceName, &p.SourceURL, &p.Status, &published,
		&p.CreatedAt, &p.UpdatedAt, &p.CommentsCount, &p.LikesCount, &p.Tags,
		&a.ID, &a.Handle, &a.Name, &a.Email, &a.Bio, &a.Role, &a.Official,
		&a.FollowersCount, &a.FollowingCount, &a.PostsCount, &a.CreatedAt, &a.FollowsVersion)
	if err != nil {
		return nil, err
	}
	p.PublishedAt = fromNullTime(published)
	p.CreatedAt, p.UpdatedAt, a.CreatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), a.CreatedAt.UTC()
	if p.Tags == nil {
		p.Tags = []string{}
	}
	p.Author = &a
	return &p, nil
}

// CreatePost inserts p, sets ID, CreatedAt and UpdatedAt (and Author), and
// counts it in the author's PostsCount unless it is a draft. An empty Kind
// is stored as "article". A missing author is NotFound (posts_author_fk).
func (s *Store) CreatePost(ctx context.Context, p *news.Post) error {
	now := s.now()
	kind := p.Kind
	if kind == "" {
		kind = "article"
	}
	var stored *news.Post
	err := s.write(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO posts (author_id, kind, title, slug, summary, body_markdown, body_html, lang,
				source_name, source_url, status, published_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
			RETURNING id`,
			p.AuthorID, kind, p.Title, p.Slug, p.Summary, p.BodyMarkdown, p.BodyHTML, p.Lang,
			p.SourceName, p.SourceURL, string(p.Status), ts(p.PublishedAt), now,
		).Scan(&id)
		if err != nil {
			return err
		}
		if err := writeTags(ctx, tx, id, p); err != nil {
			return err
		}
		if p.Status == news.PostPublished {
			if err := addPostsCount(ctx, tx, p.AuthorID, 1); err != nil {
				return err
			}
		}
		stored, err = postByID(ctx, tx, id)
		return err
	})
	if err != nil {
		return dbErr(err, "create post", msgs{conflict: "You already have a post with that address."})
	}
	*p = *stored
	return nil
}

// UpdatePost stores p's editable fields (title, slug, summary, bodies, lang,
// tags, source, status, published_at), stamps UpdatedAt, and keeps the
// author's PostsCount right when the status changes. The author cannot
// change. On success *p is replaced by the stored post.
func (s *Store) UpdatePost(ctx context.Context, p *news.Post) error {
	now := s.now()
	var stored *news.Post
	err := s.write(ctx, func(tx pgx.Tx) error {
		// FOR UPDATE: two updates of one post at once must not both see the
		// old status, or both would move PostsCount.
		var authorID int64
		var old news.PostStatus
		err := tx.QueryRow(ctx, `SELECT author_id, status FROM posts WHERE id = $1 FOR UPDATE`, p.ID).Scan(&authorID, &old)
		if err == pgx.ErrNoRows {
			return notFound(msgNoPost)
		} else if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE posts SET title = $1, slug = $2, summary = $3, body_markdown = $4, body_html = $5, lang = $6,
				source_name = $7, source_url = $8, status = $9, published_at = $10, updated_at = $11
			WHERE id = $12`,
			p.Title, p.Slug, p.Summary, p.BodyMarkdown, p.BodyHTML, p.Lang,
			p.SourceName, p.SourceURL, string(p.Status), ts(p.PublishedAt), now, p.ID)
		if err != nil {
			return err
		}
		// The tag rows carry a copy of published_at, so they are rewritten on
		// every update, not only when the tags change.
		if _, err := tx.Exec(ctx, `DELETE FROM post_tags WHERE post_id = $1`, p.ID); err != nil {
			return err
		}
		if err := writeTags(ctx, tx, p.ID, p); err != nil {
			return err
		}
		var delta int64
		switch {
		case old != news.PostPublished && p.Status == news.PostPublished:
			delta = 1
		case old == news.PostPublished && p.Status != news.PostPublished:
			delta = -1
		}
		if delta != 0 {
			if err := addPostsCount(ctx, tx, authorID, delta); err != nil {
				return err
			}
		}
		stored, err = postByID(ctx, tx, p.ID)
		return err
	})
	if err != nil {
		return dbErr(err, "update post", msgs{conflict: "You already have a post with that address."})
	}
	*p = *stored
	return nil
}

// addPostsCount moves an author's PostsCount in one atomic UPDATE: under
// READ COMMITTED a concurrent writer waits for the row and adds to the
// committed value.
func addPostsCount(ctx context.Context, tx pgx.Tx, authorID, delta int64) error {
	_, err := tx.Exec(ctx, `UPDATE accounts SET posts_count = posts_count + $1 WHERE id = $2`, delta, authorID)
	return err
}

// writeTags inserts p's tags for post id in their order, skipping repeats,
// in one statement. The rows carry the post's published_at while it is
// published, NULL while it is a draft (see post_tags in 0001_init.sql).
func writeTags(ctx context.Context, tx pgx.Tx, id int64, p *news.Post) error {
	var published any
	if p.Status == news.PostPublished {
		published = ts(p.PublishedAt)
	}
	seen := map[string]bool{}
	var tags []string
	for _, t := range p.Tags {
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO post_tags (post_id, position, tag, published_at)
		SELECT $1::bigint, t.ord - 1, t.tag, $3::timestamptz
		FROM unnest($2::text[]) WITH ORDINALITY AS t (tag, ord)`,
		id, tags, published)
	return err
}

// PostByID returns the post with this id, whatever its status.
func (s *Store) PostByID(ctx context.Context, id int64) (*news.Post, error) {
	p, err := postByID(ctx, s.db(), id)
	return p, dbErr(err, "post by id", msgs{notFound: msgNoPost})
}

func postByID(ctx context.Context, q querier, id int64) (*news.Post, error) {
	return scanPost(q.QueryRow(ctx, `SELECT `+postCols+postFrom+` WHERE p.id = $1`, id))
}

// PostBySlug returns the author's post with this slug, whatever its status.
func (s *Store) PostBySlug(ctx context.Context, authorID int64, slug string) (*news.Post, error) {
	p, err := scanPost(s.db().QueryRow(ctx,
		`SELECT `+postCols+postFrom+` WHERE p.author_id = $1 AND p.slug = $2`, authorID, slug))
	return p, dbErr(err, "post by slug", msgs{notFound: msgNoPost})
}

// ListPosts returns one page of posts:
//   - by default the posts visible at f.Now (published, PublishedAt <= Now),
//     newest first by (PublishedAt, ID), optionally of one author or tag;
//   - with f.Drafts the author's drafts, newest first by (CreatedAt, ID);
//     the cursor's Time is then CreatedAt;
//   - with f.Scheduled the author's published posts not yet visible at
//     f.Now, soonest first by (PublishedAt, ID) ascending, which is the
//     order they will appear in; After continues in that order.
//
// A zero f.Now means s.Now(). Pages are continued with a keyset after
// f.After, never an offset.
func (s *Store) ListPosts(ctx context.Context, f news.PostFilter) ([]*news.Post, error) {
	if (f.Drafts || f.Scheduled) && f.AuthorID == 0 {
		return nil, &news.Error{Code: news.Invalid, Message: "Drafts and scheduled posts are listed for one author.",
			Fields: map[string]string{"author_id": "Choose an author."}}
	}
	if f.Drafts && f.Scheduled {
		return nil, &news.Error{Code: news.Invalid, Message: "List drafts or scheduled posts, not both.",
			Fields: map[string]string{"status": "Choose drafts or scheduled posts."}}
	}
	now := f.Now
	if now.IsZero() {
		now = s.now()
	}
	q, a := listPostsQuery(f, now)
	rows, err := s.db().Query(ctx, q, a...)
	if err != nil {
		return nil, dbErr(err, "list posts", msgs{})
	}
	posts, err := collect(rows, scanPost)
	if err != nil {
		return nil, dbErr(err, "list posts", msgs{})
	}
	return posts, nil
}

// listPostsQuery builds the query of ListPosts (checked filters, resolved
// now). It is apart so that a test can check its query plans.
func listPostsQuery(f news.PostFilter, now time.Time) (string, args) {
	from := postFrom
	// timeCol and idCol are the keyset columns. For a visible tag list they
	// are post_tags' copies, so the scan runs on post_tags_list.
	timeCol, idCol, desc := "p.published_at", "p.id", true
	var where []string
	var a args
	if f.Tag != "" {
		from = ` FROM post_tags t JOIN posts p ON p.id = t.post_id JOIN accounts a ON a.id = p.author_id`
		where = append(where, "t.tag = "+a.add(f.Tag))
	}
	if f.AuthorID != 0 {
		where = append(where, "p.author_id = "+a.add(f.AuthorID))
	}
	switch {
	case f.Drafts:
		// An author's drafts are few: posts_author finds them, and they are
		// sorted by created_at without an index of their own.
		timeCol = "p.created_at"
		where = append(where, "p.status = "+a.add(string(news.PostDraft)))
	case f.Scheduled:
		desc = false
		where = append(where, "p.status = "+a.add(string(news.PostPublished)), "p.published_at > "+a.add(utc(now)))
	default:
		if f.Tag != "" {
			timeCol, idCol = "t.published_at", "t.post_id"
		}
		where = append(where, "p.status = "+a.add(string(news.PostPublished)), timeCol+" <= "+a.add(utc(now)))
	}
	dir, cmp := "DESC", "<"
	if !desc {
		dir, cmp = "ASC", ">"
	}
	if f.After != nil {
		// A row comparison, which PostgreSQL turns into one index condition
		// on the (time, id) columns.
		where = append(where, "("+timeCol+", "+idCol+") "+cmp+" ("+a.add(utc(f.After.Time))+", "+a.add(f.After.ID)+")")
	}
	q := `SELECT ` + postCols + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + timeCol + ` ` + dir + `, ` + idCol + ` ` + dir + ` LIMIT ` + a.add(limit(f.Limit, 20, maxPage))
	return q, a
}

// DeletePost removes post id. Its comments, likes, views, tags,
// notifications, fan-out job and media references go with it through the
// foreign keys' ON DELETE CASCADE (see the migrations); only the author's
// PostsCount needs moving by hand. DELETE waits for a concurrent
// UpdatePost's row lock and returns the status that update committed, so
// the count moves by what was really counted.
func (s *Store) DeletePost(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		var authorID int64
		var status news.PostStatus
		err := tx.QueryRow(ctx, `DELETE FROM posts WHERE id = $1 RETURNING author_id, status`, id).Scan(&authorID, &status)
		if err == pgx.ErrNoRows {
			return notFound(msgNoPost)
		} else if err != nil {
			return err
		}
		if status == news.PostPublished {
			return addPostsCount(ctx, tx, authorID, -1)
		}
		return nil
	})
	return dbErr(err, "delete post", msgs{notFound: msgNoPost})
}
