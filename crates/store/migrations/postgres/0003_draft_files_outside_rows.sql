-- Draft PNGs may live outside the row, as content-addressed files in a shared folder ([database] asset_store =
-- "directory"): the row then holds the file's key and no bytes. Exactly one of png / png_key (and of preview_png /
-- preview_key) is set; the store enforces it when writing. Keep in step with ../sqlite/0003_draft_files_outside_rows.sql.
ALTER TABLE drafts ADD COLUMN png_key TEXT;
ALTER TABLE drafts ADD COLUMN preview_key TEXT;
ALTER TABLE drafts ALTER COLUMN png DROP NOT NULL;
ALTER TABLE drafts ALTER COLUMN preview_png DROP NOT NULL;
-- PNG bytes do not compress: store them out of line without trying (pglz gives up, but only after a try).
ALTER TABLE drafts ALTER COLUMN png SET STORAGE EXTERNAL;
ALTER TABLE drafts ALTER COLUMN preview_png SET STORAGE EXTERNAL;
