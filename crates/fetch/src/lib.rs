//! Fetching the text of a policy that reached tujie without one.
//!
//! Sites often publish a policy as a short page with the document as a PDF or Word attachment, and some CMSs send
//! the event without any body. For such a policy the pipeline asks [`Fetcher::fetch`] for its text: the event's
//! document attachments (PDF, DOCX, HTML) in order, or, when none gives text, the page at its `url`. The text
//! becomes the policy's body (`body_text`, or `body_html` for a page, which the text crate's main-content
//! extraction reads as it reads an event's `body_html`), so every span of the draft points into it.
//!
//! This is an I/O edge with rules of its own, because it makes requests to addresses that events name:
//! - it is off unless `[fetch] hosts` lists hosts, and it requests (and follows redirects to) those hosts only;
//! - a host that resolves to a loopback, private or link-local address is refused unless it is also in
//!   `[fetch] private_hosts`, and the connection goes to the address that was checked;
//! - every request is bounded in time (`connect_timeout_ms`, `timeout_ms`), size (`max_bytes`, also after DOCX
//!   decompression) and redirects (`max_redirects`);
//! - a failure that may pass (timeout, connection, HTTP 5xx/429) is retried after each of `retry_delays_ms`;
//!   then the failure is returned, and the pipeline records it as the policy's reason for having no draft. A
//!   failed fetch never fails the event.
//!
//! Architecture invariant: nothing is fetched from a host that `[fetch] hosts` does not list, and a fetch
//! never fails the event.

mod config;
mod error;
mod extract;
mod http;

use tujie_model::{Attachment, Document, DocumentKind};

pub use config::FetchConfig;
pub use error::FetchError;
pub use extract::Extracted;
pub use http::is_public;

/// A policy's body, fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub body: Extracted,
    /// The URLs the body was read from (after redirects), in order.
    pub sources: Vec<String>,
}

impl Fetched {
    /// Makes the fetched text the document's body.
    pub fn apply_to(self, doc: &mut Document) -> Vec<String> {
        match self.body {
            Extracted::Html(h) => doc.body_html = Some(h),
            Extracted::Text(t) => doc.body_text = Some(t),
        }
        self.sources
    }
}

/// Fetches bodies under one `[fetch]` configuration. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Fetcher {
    client: http::Client,
}

impl Fetcher {
    pub fn new(cfg: FetchConfig) -> Self {
        Fetcher { client: http::Client::new(cfg) }
    }

    /// Whether `doc` is a policy without a body that names something to fetch.
    pub fn wants(doc: &Document) -> bool {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
        doc.kind == DocumentKind::Policy
            && blank(&doc.body_text)
            && blank(&doc.body_html)
            && (doc.url.is_some() || doc.attachments.iter().any(is_document))
    }

    /// The policy's text: its document attachments joined in order (up to `max_documents`), or its page when no
    /// attachment gives text. On failure, the first attachment's error (or the page's, when there is no
    /// attachment), after retries.
    pub async fn fetch(&self, doc: &Document) -> Result<Fetched, FetchError> {
        let cfg = self.client.config();
        let mut first_error = None;
        let mut texts = Vec::new();
        let mut sources = Vec::new();
        for url in doc.attachments.iter().filter(|a| is_document(a)).filter_map(|a| a.url.as_deref()) {
            if texts.len() == cfg.max_documents {
                break;
            }
            let url = resolve_against(doc.url.as_deref(), url);
            match self.fetch_url(&url).await {
                Ok((source, body)) => {
                    sources.push(source);
                    texts.push(match body {
                        Extracted::Html(h) => tujie_text::html::html_to_text(&h),
                        Extracted::Text(t) => t,
                    });
                }
                Err(e) => {
                    tracing::warn!(policy = %doc.id, error = %e, "attachment not fetched");
                    first_error.get_or_insert(e);
                }
            }
        }
        if !texts.is_empty() {
            return Ok(Fetched { body: Extracted::Text(texts.join("\n")), sources });
        }
        if let Some(page) = doc.url.as_deref() {
            match self.fetch_url(page).await {
                Ok((source, body)) => return Ok(Fetched { body, sources: vec![source] }),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(FetchError::NothingToFetch))
    }

    /// One URL to text, retried after each of `retry_delays_ms` while the failure may pass.
    async fn fetch_url(&self, url: &str) -> Result<(String, Extracted), FetchError> {
        let cfg = self.client.config();
        let mut delays = cfg.retry_delays_ms.iter();
        loop {
            match self.fetch_once(url).await {
                Ok(done) => return Ok(done),
                Err(e) if e.is_retryable() => match delays.next() {
                    Some(&ms) => {
                        tracing::info!(url, error = %e, retry_in_ms = ms, "fetch failed; retrying");
                        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                    }
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
    }

    /// One request and the extraction of its body (on a blocking thread: PDF parsing is CPU work).
    async fn fetch_once(&self, url: &str) -> Result<(String, Extracted), FetchError> {
        let response = self.client.get(url).await?;
        let source = response.url.to_string();
        let (content_type, body, max) = (response.content_type, response.body, self.client.config().max_bytes);
        tokio::task::spawn_blocking(move || {
            extract::extract(&source, content_type.as_deref(), &body, max).map(|e| (source, e))
        })
        .await
        .map_err(|e| FetchError::Unreadable { url: url.to_owned(), kind: "file", detail: e.to_string() })?
    }
}

/// Whether an attachment may hold the document's text: not an image, audio or video (by media type or file
/// extension), and with a URL.
fn is_document(a: &Attachment) -> bool {
    const MEDIA_EXTENSIONS: [&str; 14] =
        ["jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "mp4", "mov", "avi", "flv", "mp3", "wav", "m4a"];
    let Some(url) = a.url.as_deref() else { return false };
    let media = a.media_type.as_deref().unwrap_or("").to_ascii_lowercase();
    if ["image/", "video/", "audio/"].iter().any(|p| media.starts_with(p)) {
        return false;
    }
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    !MEDIA_EXTENSIONS.contains(&ext.as_str())
}

/// An attachment URL relative to the page is taken relative to it.
fn resolve_against(page: Option<&str>, url: &str) -> String {
    match page.and_then(|p| url::Url::parse(p).ok()) {
        Some(base) if url::Url::parse(url).is_err() => base.join(url).map_or_else(|_| url.to_owned(), String::from),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(url: &str, media_type: Option<&str>) -> Attachment {
        Attachment { title: None, url: Some(url.into()), media_type: media_type.map(Into::into) }
    }

    #[test]
    fn media_attachments_are_not_documents() {
        assert!(is_document(&attachment("http://h/a.pdf", None)));
        assert!(is_document(&attachment("http://h/download?id=7", Some("application/octet-stream"))));
        assert!(!is_document(&attachment("http://h/a.JPG?x=1", None)));
        assert!(!is_document(&attachment("http://h/v", Some("video/mp4"))));
    }

    #[test]
    fn relative_attachments_resolve_against_the_page() {
        assert_eq!(resolve_against(Some("http://h/a/b.html"), "../f/c.pdf"), "http://h/f/c.pdf");
        assert_eq!(resolve_against(Some("http://h/a/b.html"), "http://g/c.pdf"), "http://g/c.pdf");
        assert_eq!(resolve_against(None, "c.pdf"), "c.pdf");
    }
}
