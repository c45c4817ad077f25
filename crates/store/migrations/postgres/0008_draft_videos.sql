-- The 音视频解读 of a draft (issue 15): one row per draft beside the image draft, which it leaves untouched. Keep
-- in step with ../sqlite/0008_draft_videos.sql.
--
-- status: 'none' (a script was edited, no render asked for yet), 'pending' while a render is asked for or
-- running, 'done', or 'failed' with its reason. Each request
-- bumps attempt; a render stores its result only while its attempt is the current one, so a render of a process
-- that died is simply overtaken by the next request. The files of the last finished render stay until another
-- finishes: a failed or running regeneration still shows the previous video.
CREATE TABLE draft_videos (
    draft_id                  TEXT    PRIMARY KEY REFERENCES drafts (id),
    status                    TEXT    NOT NULL CHECK (status IN ('none', 'pending', 'done', 'failed')),
    reason                    TEXT,
    attempt                   BIGINT NOT NULL,
    requested_by              TEXT,
    requested_at              TEXT,
    -- The editors' 口播稿 (tujie_narrate::Script as JSON), NULL until edited: the script is then built from the
    -- draft's content at every render. script_revision counts the edits (0: never edited).
    script_json               TEXT,
    script_revision           BIGINT NOT NULL DEFAULT 0,
    -- What the last finished render used and made. MP4 and M4A go through the asset store (inline here, or a key
    -- naming a file in [database] asset_dir), like the image draft's PNGs; subtitles and the spoken script are text.
    content_revision          BIGINT,
    rendered_script_revision  BIGINT,
    approved                  BIGINT NOT NULL DEFAULT 0,
    duration_ms               BIGINT,
    speech_ms                 BIGINT,
    slides_ms                 BIGINT,
    encoding_ms               BIGINT,
    video                     BYTEA,
    video_key                 TEXT,
    video_sha256              TEXT,
    video_bytes               BIGINT,
    audio                     BYTEA,
    audio_key                 TEXT,
    audio_sha256              TEXT,
    audio_bytes               BIGINT,
    subtitles_vtt             TEXT,
    subtitles_srt             TEXT,
    spoken_json               TEXT,
    finished_at               TEXT,
    updated_at                TEXT    NOT NULL
);
CREATE INDEX draft_videos_status ON draft_videos (status);
-- MP4 and M4A bytes do not compress: store them out of line without trying.
ALTER TABLE draft_videos ALTER COLUMN video SET STORAGE EXTERNAL;
ALTER TABLE draft_videos ALTER COLUMN audio SET STORAGE EXTERNAL;
