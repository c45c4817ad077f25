//! Tidy checks: invariants of the code base that no compiler enforces (after rust-analyzer's `tidy.rs`).
//!
//! - The pure crates (`model`, `text`, `zh`, `matcher`, `render`) never depend on tokio, sqlx or lapin, and never
//!   get chrono's `clock`: they cannot reach the runtime, a database, the broker or the time of day.
//! - Every Rust module under `crates/*/src` opens with a `//!` doc saying what it is for.

use std::path::{Path, PathBuf};
use std::process::Command;

const PURE: [&str; 7] =
    ["tujie-model", "tujie-text", "tujie-zh", "tujie-matcher", "tujie-render", "tujie-report", "tujie-narrate"];

/// Dependencies and features a pure crate must not have, as `cargo tree -e features` prints them.
const FORBIDDEN: [&str; 5] = ["tokio v", "sqlx v", "lapin v", "chrono feature \"clock\"", "chrono feature \"now\""];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("crates/tujie sits two levels down").into()
}

/// What `package` pulls in for its normal build, with features, one line per package or feature.
fn dependency_tree(package: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["tree", "--locked", "-e", "normal,features", "--prefix", "none", "-p", package])
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "cargo tree -p {package} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("cargo tree prints UTF-8")
}

/// The lines of `tree` that a pure crate must not have.
fn impurities(tree: &str) -> Vec<&str> {
    let mut found: Vec<&str> = tree
        .lines()
        .filter(|line| FORBIDDEN.iter().any(|f| line.starts_with(f)))
        .map(|line| line.trim_end_matches(" (*)"))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

#[test]
fn pure_crates_reach_no_runtime_database_broker_or_clock() {
    for package in PURE {
        let tree = dependency_tree(package);
        assert!(tree.contains(package), "cargo tree -p {package} did not list the package itself");
        let found = impurities(&tree);
        assert!(found.is_empty(), "{package} is a pure crate but depends on: {found:?}");
    }
}

#[test]
fn the_purity_check_sees_an_io_crate() {
    // The store is an I/O crate: if the check found nothing there, it would find nothing anywhere.
    let tree = dependency_tree("tujie-store");
    let found = impurities(&tree);
    assert!(found.iter().any(|l| l.starts_with("sqlx v")), "no sqlx in tujie-store's tree: {found:?}");
    assert!(found.iter().any(|l| l.starts_with("chrono feature \"clock\"")), "no clock in tujie-store: {found:?}");
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Does the file's first line that is not blank open a module doc?
fn opens_with_module_doc(source: &str) -> bool {
    source.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| l.starts_with("//!"))
}

#[test]
fn every_module_says_what_it_is_for() {
    let crates = workspace_root().join("crates");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).expect("read crates/") {
        let src = krate.expect("crate folder").path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 20, "found only {} source files under {}", files.len(), crates.display());
    let undocumented: Vec<_> = files
        .iter()
        .filter(|f| !opens_with_module_doc(&std::fs::read_to_string(f).expect("read source")))
        .map(|f| f.strip_prefix(&crates).unwrap_or(f).display().to_string())
        .collect();
    assert!(undocumented.is_empty(), "modules without a `//!` doc: {undocumented:?}");
}

#[test]
fn the_doc_check_tells_a_doc_from_a_comment() {
    assert!(opens_with_module_doc("\n//! The store.\nuse x;"));
    assert!(!opens_with_module_doc("// The store.\nuse x;"));
    assert!(!opens_with_module_doc("use x;\n//! late"));
}
