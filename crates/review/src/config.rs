//! The `[review]` section of `pipeline.toml`: where the workspace listens and how long a login lasts.

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
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self { listen: "127.0.0.1:8080".into(), session_hours: 12, secure_cookie: false }
    }
}

/// The longest session allowed: a month.
const MAX_SESSION_HOURS: u64 = 24 * 31;

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
        errors
    }

    pub fn session_ttl(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.session_hours * 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_name_their_keys() {
        assert!(ReviewConfig::default().validate().is_empty());
        let bad = ReviewConfig { listen: "localhost".into(), session_hours: 0, secure_cookie: true };
        let keys: Vec<String> = bad.validate().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["listen", "session_hours"]);
    }
}
