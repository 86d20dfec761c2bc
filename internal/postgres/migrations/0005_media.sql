-- 0005: uploaded images and videos, their resized copies and subtitles,
-- and which posts use them. Blobs live in the blob store (a folder or an
-- S3 bucket), named by key; rows here only name them.

CREATE TABLE media (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        text    NOT NULL CHECK (kind IN ('image', 'video')),
    blob_key    text    NOT NULL,
    size        bigint NOT NULL,
    mime        text    NOT NULL,
    status      text    NOT NULL CHECK (status IN ('processing', 'ready', 'failed')),
    failure     text    NOT NULL DEFAULT '',
    attempts    bigint NOT NULL DEFAULT 0,
    width       bigint NOT NULL DEFAULT 0,
    height      bigint NOT NULL DEFAULT 0,
    duration_ms bigint NOT NULL DEFAULT 0,
    video_codec text    NOT NULL DEFAULT '',
    audio_codec text    NOT NULL DEFAULT '',
    poster_key  text    NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL
);

-- Child index of owner_id; MediaByKey and BlobInUse look blobs up by key;
-- on start the server re-enqueues what is still processing.
CREATE INDEX media_owner ON media (owner_id);
CREATE INDEX media_key ON media (blob_key);
CREATE INDEX media_poster ON media (poster_key) WHERE poster_key <> '';
CREATE INDEX media_status ON media (status, id);

CREATE TABLE media_variants (
    media_id bigint NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width    bigint NOT NULL,
    height   bigint NOT NULL,
    blob_key text    NOT NULL,
    size     bigint NOT NULL,
    PRIMARY KEY (media_id, width)
);

CREATE INDEX media_variants_key ON media_variants (blob_key);

CREATE TABLE subtitles (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    media_id bigint NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    lang     text    NOT NULL,
    label    text    NOT NULL,
    blob_key text    NOT NULL,
    UNIQUE (media_id, lang)
);

CREATE INDEX subtitles_key ON subtitles (blob_key);

-- The media a post uses: role 'main' for a video or image post's media,
-- 'embed' for media shown in an article's body. Media used by no post is
-- deleted when its last post lets it go (ReleasePostMedia).
CREATE TABLE post_media (
    post_id  bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    media_id bigint NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    role     text    NOT NULL CHECK (role IN ('main', 'embed')),
    PRIMARY KEY (post_id, media_id)
);

-- Child index of media_id: "does any post still use this media?".
CREATE INDEX post_media_media ON post_media (media_id);
