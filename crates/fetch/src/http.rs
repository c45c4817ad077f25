//! One guarded HTTP GET: allowed host, public address (or an allowed private one), bounded time and size, and
//! redirects followed only under the same rules.
//!
//! Each request resolves the host itself and connects to an address it has checked, so a name cannot resolve to
//! one address for the check and another for the connection. One connection per request (HTTP/1.1, no pooling):
//! a policy needs a handful of requests, and nothing is shared between hosts.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION, USER_AGENT};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use url::{Host, Url};

use crate::{FetchConfig, FetchError};

/// A successful (2xx) answer.
#[derive(Debug)]
pub struct Response {
    /// Where the body finally came from, after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Makes requests under one configuration.
#[derive(Debug)]
pub struct Client {
    cfg: FetchConfig,
    tls: OnceLock<Result<Arc<rustls::ClientConfig>, String>>,
}

enum Step {
    Done(Response),
    Redirect(Url),
}

impl Client {
    pub fn new(cfg: FetchConfig) -> Self {
        Client { cfg, tls: OnceLock::new() }
    }

    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// GETs `url`, following at most `max_redirects` redirects to allowed hosts.
    pub async fn get(&self, url: &str) -> Result<Response, FetchError> {
        let mut current = parse(url)?;
        for _ in 0..=self.cfg.max_redirects {
            let limit = Duration::from_millis(self.cfg.timeout_ms);
            let step = tokio::time::timeout(limit, self.get_once(&current))
                .await
                .map_err(|_| FetchError::Timeout { url: current.to_string(), ms: self.cfg.timeout_ms })??;
            match step {
                Step::Done(response) => return Ok(response),
                Step::Redirect(next) => current = next,
            }
        }
        Err(FetchError::Redirect {
            url: url.to_owned(),
            problem: format!("more than {} redirects ([fetch] max_redirects)", self.cfg.max_redirects),
        })
    }

    async fn get_once(&self, url: &Url) -> Result<Step, FetchError> {
        let (host, port) = self.checked_host(url)?;
        let addrs = self.resolve(url, &host, port).await?;
        let stream = self.connect(url, &addrs).await?;
        if url.scheme() == "https" {
            let tls = self.tls_config().map_err(|detail| FetchError::Connect { url: url.to_string(), detail })?;
            let name = rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|e| FetchError::BadUrl { url: url.to_string(), problem: e.to_string() })?;
            let stream = tokio_rustls::TlsConnector::from(tls)
                .connect(name, stream)
                .await
                .map_err(|e| FetchError::Connect { url: url.to_string(), detail: format!("TLS: {e}") })?;
            self.exchange(url, stream).await
        } else {
            self.exchange(url, stream).await
        }
    }

    /// The URL's host, if allowed, and its port.
    fn checked_host(&self, url: &Url) -> Result<(String, u16), FetchError> {
        let host = match url.host() {
            Some(Host::Domain(d)) => d.to_owned(),
            Some(Host::Ipv4(ip)) => ip.to_string(),
            Some(Host::Ipv6(ip)) => ip.to_string(),
            None => return Err(FetchError::BadUrl { url: url.to_string(), problem: "no host".into() }),
        };
        if !self.cfg.allows(&host) {
            return Err(FetchError::HostNotAllowed { url: url.to_string(), host });
        }
        let port = url.port_or_known_default().unwrap_or(80);
        Ok((host, port))
    }

    /// Resolves `host`; every address must be public unless the host is in `private_hosts`.
    async fn resolve(&self, url: &Url, host: &str, port: u16) -> Result<Vec<SocketAddr>, FetchError> {
        let limit = Duration::from_millis(self.cfg.connect_timeout_ms);
        let addrs: Vec<SocketAddr> = tokio::time::timeout(limit, tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| FetchError::Timeout { url: url.to_string(), ms: self.cfg.connect_timeout_ms })?
            .map_err(|e| FetchError::Connect { url: url.to_string(), detail: format!("resolving {host}: {e}") })?
            .collect();
        if !self.cfg.allows_private(host)
            && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip()))
        {
            return Err(FetchError::PrivateAddress { url: url.to_string(), host: host.to_owned(), addr: bad.ip() });
        }
        if addrs.is_empty() {
            return Err(FetchError::Connect { url: url.to_string(), detail: format!("{host} has no address") });
        }
        Ok(addrs)
    }

    /// Connects to the first checked address that answers.
    async fn connect(&self, url: &Url, addrs: &[SocketAddr]) -> Result<TcpStream, FetchError> {
        let limit = Duration::from_millis(self.cfg.connect_timeout_ms);
        let mut last = String::new();
        for addr in addrs {
            match tokio::time::timeout(limit, TcpStream::connect(addr)).await {
                Ok(Ok(stream)) => return Ok(stream),
                Ok(Err(e)) => last = format!("{addr}: {e}"),
                Err(_) => last = format!("{addr}: no connection within {} ms", self.cfg.connect_timeout_ms),
            }
        }
        Err(FetchError::Connect { url: url.to_string(), detail: last })
    }

    /// Sends the GET over `stream` and reads the answer: a body within `max_bytes`, or where to go next.
    async fn exchange<S>(&self, url: &Url, stream: S) -> Result<Step, FetchError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let broken = |e: hyper::Error| FetchError::Protocol { url: url.to_string(), detail: e.to_string() };
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(broken)?;
        let driver = tokio::spawn(conn);
        let request = hyper::Request::get(&url[url::Position::BeforePath..url::Position::AfterQuery])
            .header(HOST, &url[url::Position::BeforeHost..url::Position::AfterPort])
            .header(USER_AGENT, &self.cfg.user_agent)
            .header(ACCEPT, "text/html,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,*/*;q=0.5")
            .body(Empty::<Bytes>::new())
            .map_err(|e| FetchError::BadUrl { url: url.to_string(), problem: e.to_string() })?;
        let response = sender.send_request(request).await.map_err(broken)?;
        let status = response.status();
        let step = if status.is_redirection() {
            let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok());
            let next = location.and_then(|l| url.join(l).ok()).ok_or_else(|| FetchError::Redirect {
                url: url.to_string(),
                problem: format!("HTTP {} without a usable Location", status.as_u16()),
            })?;
            Step::Redirect(next)
        } else if !status.is_success() {
            return Err(FetchError::Status { url: url.to_string(), status: status.as_u16() });
        } else {
            let declared = response.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            if declared.is_some_and(|n| n > self.cfg.max_bytes as u64) {
                return Err(FetchError::TooLarge { url: url.to_string(), limit: self.cfg.max_bytes });
            }
            let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let body = self.read_body(url, response.into_body()).await?;
            Step::Done(Response { url: url.clone(), content_type, body })
        };
        driver.abort();
        Ok(step)
    }

    /// The body, refused past `max_bytes`.
    async fn read_body(&self, url: &Url, mut body: hyper::body::Incoming) -> Result<Vec<u8>, FetchError> {
        let mut out = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| FetchError::Protocol { url: url.to_string(), detail: e.to_string() })?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > self.cfg.max_bytes {
                    return Err(FetchError::TooLarge { url: url.to_string(), limit: self.cfg.max_bytes });
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    }

    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, String> {
        self.tls
            .get_or_init(|| {
                use rustls_platform_verifier::BuilderVerifierExt;
                let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
                rustls::ClientConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .and_then(|b| b.with_platform_verifier())
                    .map(|b| Arc::new(b.with_no_client_auth()))
                    .map_err(|e| format!("TLS set-up: {e}"))
            })
            .clone()
    }
}

/// Parses an absolute http(s) URL.
pub fn parse(url: &str) -> Result<Url, FetchError> {
    let parsed =
        Url::parse(url.trim()).map_err(|e| FetchError::BadUrl { url: url.to_owned(), problem: e.to_string() })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::BadUrl { url: url.to_owned(), problem: "only http and https are fetched".into() });
    }
    Ok(parsed)
}

/// Whether an address is on the public internet: not loopback, private (RFC 1918, unique local), link-local,
/// shared (100.64/10), unspecified, broadcast, multicast or documentation space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_public_addresses_are_recognised() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["202.108.22.5", "8.8.8.8", "2400:3200::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn only_http_urls_parse() {
        assert!(parse("https://www.example.gov.cn/a.pdf").is_ok());
        assert!(matches!(parse("file:///etc/passwd"), Err(FetchError::BadUrl { .. })));
        assert!(matches!(parse("/relative/a.pdf"), Err(FetchError::BadUrl { .. })));
    }
}
