//! `[fetch]`: which hosts may be fetched from, and the limits of every request.

use serde::{Deserialize, Serialize};

/// `[fetch]` in `pipeline.toml`. Fetching is off while `hosts` is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// Host names (or IP literals) whose pages and attachments may be fetched, e.g. `www.example.gov.cn`; any
    /// port. Redirects are followed only to these hosts. Empty: fetching is off.
    pub hosts: Vec<String>,
    /// Hosts of `hosts` that may resolve to loopback, private, link-local or other non-public addresses (an
    /// intranet CMS, tests on 127.0.0.1). Every other host that resolves to such an address is refused.
    pub private_hosts: Vec<String>,
    /// Time to resolve the host and open the connection.
    pub connect_timeout_ms: u64,
    /// Time for one whole request: connecting, TLS, headers and the body.
    pub timeout_ms: u64,
    /// Largest response body read; larger ones are refused.
    pub max_bytes: usize,
    /// Redirects followed for one URL.
    pub max_redirects: usize,
    /// Attachments read for one policy (in the event's order).
    pub max_documents: usize,
    /// Waits before the retries of a request that failed in a way that may pass (timeout, connection refused or
    /// reset, HTTP 5xx or 429); one retry per entry. After the last, the failure is recorded as the policy's
    /// reason for having no draft.
    pub retry_delays_ms: Vec<u64>,
    /// `User-Agent` of every request.
    pub user_agent: String,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            hosts: Vec::new(),
            private_hosts: Vec::new(),
            connect_timeout_ms: 5_000,
            timeout_ms: 30_000,
            max_bytes: 20 << 20,
            max_redirects: 5,
            max_documents: 5,
            retry_delays_ms: vec![1_000, 5_000],
            user_agent: concat!("tujie/", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

impl FetchConfig {
    /// Whether any host is allowed.
    pub fn enabled(&self) -> bool {
        !self.hosts.is_empty()
    }

    /// Whether `host` is one of `hosts` (compared without case and without a trailing dot).
    pub fn allows(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| same_host(h, host))
    }

    /// Whether `host` may resolve to a non-public address.
    pub fn allows_private(&self, host: &str) -> bool {
        self.private_hosts.iter().any(|h| same_host(h, host))
    }

    /// Every problem, as (key, message).
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        for (key, list) in [("hosts", &self.hosts), ("private_hosts", &self.private_hosts)] {
            for (i, h) in list.iter().enumerate() {
                if let Some(problem) = host_problem(h) {
                    errors.push((format!("{key}[{i}]"), problem));
                }
            }
        }
        for (i, h) in self.private_hosts.iter().enumerate() {
            if !self.allows(h) {
                errors.push((format!("private_hosts[{i}]"), format!("`{h}` must also be listed in `fetch.hosts`")));
            }
        }
        for (key, value, min) in [
            ("connect_timeout_ms", self.connect_timeout_ms, 1),
            ("timeout_ms", self.timeout_ms, 1),
            ("max_bytes", self.max_bytes as u64, 1024),
            ("max_documents", self.max_documents as u64, 1),
        ] {
            if value < min {
                errors.push((key.into(), format!("must be at least {min}, got {value}")));
            }
        }
        if self.connect_timeout_ms > self.timeout_ms {
            errors.push(("connect_timeout_ms".into(), "must not exceed `fetch.timeout_ms`".into()));
        }
        if self.max_redirects > 20 {
            errors.push(("max_redirects".into(), format!("must be at most 20, got {}", self.max_redirects)));
        }
        if self.retry_delays_ms.len() > 10 || self.retry_delays_ms.iter().any(|&d| d > 600_000) {
            errors.push(("retry_delays_ms".into(), "at most 10 delays of at most 600000 ms each".into()));
        }
        if self.user_agent.trim().is_empty() {
            errors.push(("user_agent".into(), "must not be empty".into()));
        }
        errors
    }
}

fn same_host(listed: &str, host: &str) -> bool {
    listed.trim_end_matches('.').eq_ignore_ascii_case(host.trim_end_matches('.'))
}

/// A host entry must be a bare host name or IP literal: no scheme, port, path or wildcard.
fn host_problem(h: &str) -> Option<String> {
    if h.trim().is_empty() {
        return Some("must not be empty".into());
    }
    if h.contains("://") || h.contains('/') {
        return Some(format!("`{h}` must be a host name such as `www.example.gov.cn`, without scheme or path"));
    }
    if h.contains('*') || h.contains(char::is_whitespace) {
        return Some(format!("`{h}` must be one exact host name; list every host"));
    }
    if h.parse::<std::net::IpAddr>().is_err() && h.contains(':') {
        return Some(format!("`{h}` must not carry a port: every port of an allowed host is allowed"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_off_and_valid() {
        let cfg = FetchConfig::default();
        assert!(!cfg.enabled());
        assert!(cfg.validate().is_empty());
    }

    #[test]
    fn every_problem_names_its_key() {
        let cfg = FetchConfig {
            hosts: vec!["https://www.example.gov.cn/".into(), "*.gov.cn".into(), "a.gov.cn:8080".into()],
            private_hosts: vec!["10.0.0.1".into()],
            timeout_ms: 0,
            max_redirects: 99,
            ..FetchConfig::default()
        };
        let keys: Vec<String> = cfg.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "hosts[0]",
                "hosts[1]",
                "hosts[2]",
                "private_hosts[0]",
                "timeout_ms",
                "connect_timeout_ms",
                "max_redirects"
            ]
        );
    }

    #[test]
    fn hosts_compare_without_case_or_trailing_dot() {
        let cfg = FetchConfig { hosts: vec!["WWW.Example.gov.cn".into(), "::1".into()], ..FetchConfig::default() };
        assert!(cfg.allows("www.example.gov.cn."));
        assert!(cfg.allows("::1"));
        assert!(!cfg.allows("example.gov.cn"));
        assert!(cfg.validate().is_empty());
    }
}
