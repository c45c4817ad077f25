-- What kind of site a document was published on (`website`, or a 政务新媒体 account: `wechat`, `weibo`, `douyin`;
-- NULL means a website), so that reports can hold new-media accounts to the two-week update rule. The index serves
-- the reports' last-publication-per-column query. Kept in step with the other flavour of this file.
ALTER TABLE documents ADD COLUMN site_kind TEXT;
CREATE INDEX documents_site_column ON documents (site, column_name, published_at);
