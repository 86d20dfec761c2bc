-- 0005: uploaded images and videos, their resized copies and subtitles,
-- and which posts use them. Blobs live in the blob store (a folder or an
-- S3 bucket), named by key; rows here only name them.

CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    blob_key    TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    mime        TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('processing', 'ready', 'failed')),
    failure     TEXT    NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    width       INTEGER NOT NULL DEFAULT 0,
    height      INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    video_codec TEXT    NOT NULL DEFAULT '',
    audio_codec TEXT    NOT NULL DEFAULT '',
    poster_key  TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;

-- Child index of owner_id; MediaByKey and BlobInUse look blobs up by key;
-- on start the server re-enqueues what is still processing.
CREATE INDEX media_owner ON media (owner_id);
CREATE INDEX media_key ON media (blob_key);
CREATE INDEX media_poster ON media (poster_key) WHERE poster_key <> '';
CREATE INDEX media_status ON media (status, id);

CREATE TABLE media_variants (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL,
    blob_key TEXT    NOT NULL,
    size     INTEGER NOT NULL,
    PRIMARY KEY (media_id, width)
) STRICT, WITHOUT ROWID;

CREATE INDEX media_variants_key ON media_variants (blob_key);

CREATE TABLE subtitles (
    id       INTEGER PRIMARY KEY,
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    lang     TEXT    NOT NULL,
    label    TEXT    NOT NULL,
    blob_key TEXT    NOT NULL,
    UNIQUE (media_id, lang)
) STRICT;

CREATE INDEX subtitles_key ON subtitles (blob_key);

-- The media a post uses: role 'main' for a video or image post's media,
-- 'embed' for media shown in an article's body. Media used by no post is
-- deleted when its last post lets it go (ReleasePostMedia).
CREATE TABLE post_media (
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    role     TEXT    NOT NULL CHECK (role IN ('main', 'embed')),
    PRIMARY KEY (post_id, media_id)
) STRICT, WITHOUT ROWID;

-- Child index of media_id: "does any post still use this media?".
CREATE INDEX post_media_media ON post_media (media_id);
