-- Why a policy has no draft, and where a text the CMS did not send came from. draft_reason is written with each
-- version of a policy when the pipeline made no draft for it (`no_text`, `fetch_failed: …`, `text_unusable: …`,
-- `render_failed: …`, `drafts_off`) and cleared when it made one; `covered_by` and `rejected` are derived when
-- coverage is read, because they change without a new version. fetched_from lists, one per line, the URLs whose
-- text became the body. Kept in step with the other flavour of this file.
ALTER TABLE documents ADD COLUMN draft_reason TEXT;
ALTER TABLE documents ADD COLUMN fetched_from TEXT;
