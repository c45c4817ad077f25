//! [`FetchError`]: what went wrong fetching a text, and whether trying again can help.

/// Why a text could not be fetched. Every message names the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The host is not in `[fetch] hosts` (also for a redirect target).
    #[error("{url}: host `{host}` is not allowed; add it to [fetch] hosts to fetch from it")]
    HostNotAllowed { url: String, host: String },
    /// The host resolved to a loopback, private or other non-public address and is not in `[fetch] private_hosts`.
    #[error(
        "{url}: host `{host}` resolves to the non-public address {addr}; list it in [fetch] private_hosts to allow it"
    )]
    PrivateAddress { url: String, host: String, addr: std::net::IpAddr },
    /// Not an absolute http(s) URL.
    #[error("{url}: not a fetchable URL: {problem}")]
    BadUrl { url: String, problem: String },
    /// Resolving the name or connecting failed.
    #[error("{url}: cannot connect: {detail}")]
    Connect { url: String, detail: String },
    /// The request took longer than its limit.
    #[error("{url}: no complete answer within {ms} ms")]
    Timeout { url: String, ms: u64 },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    /// The body is larger than `[fetch] max_bytes`.
    #[error("{url}: the body is larger than {limit} bytes ([fetch] max_bytes)")]
    TooLarge { url: String, limit: usize },
    /// More than `[fetch] max_redirects` redirects, or a redirect without a usable `Location`.
    #[error("{url}: {problem}")]
    Redirect { url: String, problem: String },
    /// The HTTP or TLS exchange broke off.
    #[error("{url}: {detail}")]
    Protocol { url: String, detail: String },
    /// A kind of file the fetcher cannot read (images, legacy .doc, …).
    #[error("{url}: cannot read text from {what}")]
    Unsupported { url: String, what: String },
    /// A PDF or DOCX that could not be parsed.
    #[error("{url}: unreadable {kind}: {detail}")]
    Unreadable { url: String, kind: &'static str, detail: String },
    /// The file holds no text (a scanned PDF, an empty page).
    #[error("{url}: the {kind} holds no text")]
    NoText { url: String, kind: &'static str },
    /// The event names nothing to fetch.
    #[error("the event has no URL and no document attachment to fetch the text from")]
    NothingToFetch,
}

impl FetchError {
    /// Whether the same request may succeed later: timeouts, connection failures, HTTP 5xx and 429, a broken
    /// exchange. Refusals by the rules and unreadable files stay what they are.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Connect { .. } | FetchError::Timeout { .. } | FetchError::Protocol { .. } => true,
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    /// Short machine-readable reason for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            FetchError::HostNotAllowed { .. } => "host_not_allowed",
            FetchError::PrivateAddress { .. } => "private_address",
            FetchError::BadUrl { .. } => "bad_url",
            FetchError::Connect { .. } => "connect_failed",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Status { .. } => "http_status",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Redirect { .. } => "redirect",
            FetchError::Protocol { .. } => "protocol",
            FetchError::Unsupported { .. } => "unsupported",
            FetchError::Unreadable { .. } => "unreadable",
            FetchError::NoText { .. } => "no_text",
            FetchError::NothingToFetch => "nothing_to_fetch",
        }
    }
}
