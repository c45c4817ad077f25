//! `InboundEvent::from_slice` on arbitrary bytes: never panics, refuses oversize input with `TooLarge` before
//! parsing, and every error renders and has a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tujie_model::{InboundEvent, ValidationError};

/// The worker's default `[queue] max_message_bytes`.
const LIMIT: usize = 4 * 1024 * 1024;

fn check(data: &[u8], limit: usize) {
    match InboundEvent::from_slice(data, limit) {
        Ok(event) => {
            assert!(data.len() <= limit);
            let _ = format!("{event:?}");
        }
        Err(e) => {
            if data.len() > limit {
                assert!(matches!(e, ValidationError::TooLarge { .. }), "oversize input gave {e:?}");
            }
            assert!(!e.reason().is_empty());
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data, LIMIT);
    // A limit just under the input's size, so the size check is exercised on every input.
    check(data, data.len().saturating_sub(1));
});
