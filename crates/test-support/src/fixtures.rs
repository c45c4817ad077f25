//! Files under the repository's `tests/fixtures/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository's top folder.
pub fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture file, e.g. `fixture("dev/doc_events.jsonl")`.
pub fn fixture(rel: &str) -> PathBuf {
    repo_dir().join("tests/fixtures").join(rel)
}

/// The JSON values of a JSON Lines file, in file order, blank lines skipped; panics naming the file and the line.
pub fn read_jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: bad line ({e}): {l}", path.display())))
        .collect()
}
