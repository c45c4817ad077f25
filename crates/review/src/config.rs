//! The `[review]` section of `pipeline.toml`: where the workspace listens, how long a login lasts, which origins
//! may post to it, how wrong logins are throttled, which departments exist, and who may post events to it.

use serde::{Deserialize, Serialize};

/// How the review workspace runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewConfig {
    /// `host:port` the server listens on. Plain HTTP: put a TLS-terminating reverse proxy in front of it for
    /// anything but the loopback interface.
    pub listen: String,
    /// How long a login lasts, in hours; then the editor enters the login token again.
    pub session_hours: u64,
    /// Mark the session cookie `Secure` (sent over HTTPS only). Set it when the proxy in front serves HTTPS.
    pub secure_cookie: bool,
    /// Origins (`https://host[:port]`) that may send state-changing requests besides the one the request's
    /// `Host` header names: the public address when a proxy rewrites `Host`. Empty: only the `Host` origin.
    pub allowed_origins: Vec<String>,
    /// Wrong logins for one account within `login_lockout_minutes` after which that account is locked for the rest
    /// of that time.
    pub login_max_failures_per_account: u32,
    /// Wrong logins from one client address within `login_lockout_minutes` after which that address is refused.
    pub login_max_failures_per_address: u32,
    /// How long failed logins are remembered and a lock lasts, in minutes.
    pub login_lockout_minutes: u64,
    /// The departments (责任单位) editors can belong to, as events spell them, beside those already seen in events.
    /// `tujie user add --department` refuses any other.
    pub departments: Vec<String>,
    /// Names of the service accounts (made with `tujie user add`) that may post events to `POST /api/events` with
    /// `Authorization: Bearer <login token>`. A listed account can do nothing else in the workspace.
    pub intake_accounts: Vec<String>,
    /// The largest request body `POST /api/events` reads, in bytes; a larger one is refused with 413. Each event
    /// (line) is also held to `[amqp] max_message_bytes`, as on the queue.
    pub intake_max_body_bytes: usize,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            session_hours: 12,
            secure_cookie: false,
            allowed_origins: Vec::new(),
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 20,
            login_lockout_minutes: 15,
            departments: Vec::new(),
            intake_accounts: Vec::new(),
            intake_max_body_bytes: 16 * 1024 * 1024,
        }
    }
}

/// The longest session allowed: a month.
const MAX_SESSION_HOURS: u64 = 24 * 31;

/// The largest intake body allowed: 1 GiB (the whole body is held in memory while it is checked).
const MAX_INTAKE_BODY_BYTES: usize = 1 << 30;

impl ReviewConfig {
    /// Problems with this section, as `(key, problem)` pairs.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            errors.push(("listen".into(), format!("`{}` is not host:port with an IP address", self.listen)));
        }
        if !(1..=MAX_SESSION_HOURS).contains(&self.session_hours) {
            errors.push(("session_hours".into(), format!("must be between 1 and {MAX_SESSION_HOURS}")));
        }
        for origin in &self.allowed_origins {
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            if rest.is_none_or(|r| r.is_empty() || r.contains('/')) {
                errors.push((
                    "allowed_origins".into(),
                    format!("`{origin}` is not an origin like https://host or https://host:port (no path)"),
                ));
            }
        }
        for (key, value) in [
            ("login_max_failures_per_account", self.login_max_failures_per_account),
            ("login_max_failures_per_address", self.login_max_failures_per_address),
        ] {
            if value == 0 {
                errors.push((key.into(), "must be at least 1".into()));
            }
        }
        if !(1..=24 * 60).contains(&self.login_lockout_minutes) {
            errors.push(("login_lockout_minutes".into(), "must be between 1 and 1440".into()));
        }
        if self.departments.iter().any(|d| d.trim().is_empty()) {
            errors.push(("departments".into(), "contains an empty name".into()));
        }
        if self.intake_accounts.iter().any(|a| a.trim().is_empty()) {
            errors.push(("intake_accounts".into(), "contains an empty name".into()));
        }
        if !(1..=MAX_INTAKE_BODY_BYTES).contains(&self.intake_max_body_bytes) {
            errors.push(("intake_max_body_bytes".into(), format!("must be between 1 and {MAX_INTAKE_BODY_BYTES}")));
        }
        errors
    }

    /// Whether `name` is a service account of the event intake (and so nothing else).
    pub fn is_intake_account(&self, name: &str) -> bool {
        self.intake_accounts.iter().any(|a| a.trim() == name)
    }

    pub fn session_ttl(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.session_hours * 3600)
    }

    pub fn lockout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.login_lockout_minutes * 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_name_their_keys() {
        assert!(ReviewConfig::default().validate().is_empty());
        let bad = ReviewConfig {
            listen: "localhost".into(),
            session_hours: 0,
            secure_cookie: true,
            allowed_origins: vec!["https://ok.example".into(), "intranet.example/path".into()],
            login_max_failures_per_account: 0,
            login_max_failures_per_address: 3,
            login_lockout_minutes: 0,
            departments: vec![" ".into()],
            intake_accounts: vec!["网站CMS".into(), String::new()],
            intake_max_body_bytes: 0,
        };
        let keys: Vec<String> = bad.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "listen",
                "session_hours",
                "allowed_origins",
                "login_max_failures_per_account",
                "login_lockout_minutes",
                "departments",
                "intake_accounts",
                "intake_max_body_bytes"
            ]
        );
    }
}
