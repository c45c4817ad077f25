//! Login throttling: wrong logins are counted per account and per client address, and past a limit the account or
//! the address is refused for `[review] login_lockout_minutes`. Counts live in memory: a restart forgets them,
//! which costs an attacker a restart per few guesses, and each login code is 160 random bits anyway; the point is
//! to make guessing visibly slow and loud (every failure is logged with account and address).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures of one key since the last success.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// Entries kept before old ones are swept, so a flood of addresses cannot grow the map without bound.
const SWEEP_AT: usize = 10_000;

/// Counts of wrong logins; shared by every request.
#[derive(Debug)]
pub struct LoginThrottle {
    per_account: u32,
    per_address: u32,
    window: Duration,
    failures: Mutex<HashMap<String, Failures>>,
}

impl LoginThrottle {
    pub fn new(per_account: u32, per_address: u32, window: Duration) -> Self {
        Self { per_account, per_address, window, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(account: &str, address: Option<IpAddr>) -> [(String, bool); 2] {
        let address = address.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
        [(format!("account:{account}"), true), (format!("address:{address}"), false)]
    }

    /// How long `account` or `address` must still wait, if either is locked now.
    pub fn locked(&self, account: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        Self::keys(account, address)
            .iter()
            .filter_map(|(key, is_account)| {
                let f = map.get(key)?;
                let limit = if *is_account { self.per_account } else { self.per_address };
                let until = f.last + self.window;
                (f.count >= limit && now < until).then(|| until - now)
            })
            .max()
    }

    /// Counts a wrong login against both the account and the address.
    pub fn failed(&self, account: &str, address: Option<IpAddr>, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= SWEEP_AT {
            let window = self.window;
            map.retain(|_, f| now.duration_since(f.last) < window);
        }
        for (key, _) in Self::keys(account, address) {
            let f = map.entry(key).or_insert(Failures { count: 0, last: now });
            if now.duration_since(f.last) >= self.window {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
        }
    }

    /// A successful login clears the account's count (not the address's: one right code among many wrong ones
    /// from an address does not make the others less suspicious).
    pub fn succeeded(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("account:{account}"));
    }
}

/// `N 分钟` for a wait, rounded up.
pub fn minutes(wait: Duration) -> u64 {
    wait.as_secs().div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_and_addresses_lock_after_their_limits_and_unlock_after_the_window() {
        let t = LoginThrottle::new(3, 5, Duration::from_secs(900));
        let start = Instant::now();
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(t.locked("甲", Some(ip), start), None);
            t.failed("甲", Some(ip), start);
        }
        let wait = t.locked("甲", Some(ip), start).expect("the account is locked");
        assert_eq!(minutes(wait), 15);
        let other: IpAddr = "10.0.0.8".parse().unwrap();
        assert!(t.locked("甲", Some(other), start).is_some(), "the account is locked from every address");
        assert_eq!(t.locked("乙", Some(other), start), None);
        for _ in 0..2 {
            t.failed("乙", Some(ip), start);
        }
        assert!(t.locked("丙", Some(ip), start).is_some(), "the address is locked for every account");
        let later = start + Duration::from_secs(901);
        assert_eq!(t.locked("甲", Some(ip), later), None, "locks end");
        t.failed("甲", Some(ip), later);
        assert_eq!(t.locked("甲", Some(other), later), None, "counting starts again after the window");
        t.succeeded("甲");
        assert_eq!(minutes(Duration::from_secs(61)), 2);
    }
}
