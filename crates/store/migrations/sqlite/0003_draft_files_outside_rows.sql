-- Draft PNGs may live outside the row, as content-addressed files in a shared folder ([database] asset_store =
-- "directory"): the row then holds the file's key and no bytes. Exactly one of png / png_key (and of preview_png /
-- preview_key) is set; the store enforces it when writing. Keep in step with ../postgres/0003_draft_files_outside_rows.sql.
ALTER TABLE drafts ADD COLUMN png_key TEXT;
ALTER TABLE drafts ADD COLUMN preview_key TEXT;
-- SQLite cannot drop NOT NULL in place: move each column through a nullable copy (DROP and RENAME COLUMN need
-- SQLite 3.35, which sqlx bundles).
ALTER TABLE drafts ADD COLUMN png_nullable BLOB;
ALTER TABLE drafts ADD COLUMN preview_png_nullable BLOB;
UPDATE drafts SET png_nullable = png, preview_png_nullable = preview_png;
ALTER TABLE drafts DROP COLUMN png;
ALTER TABLE drafts DROP COLUMN preview_png;
ALTER TABLE drafts RENAME COLUMN png_nullable TO png;
ALTER TABLE drafts RENAME COLUMN preview_png_nullable TO preview_png;
