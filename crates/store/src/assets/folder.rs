//! `asset_store = "directory"`: files under a folder shared by every process, fanned out as `ab/cd/abcd….png`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{StoredAsset, valid_key};
use crate::StoreError;

/// Writes `bytes` as `key` and flushes the file and its folder, so the name survives a crash once the
/// referencing transaction commits. Keys are unique per write, so the rename never replaces a file.
pub(super) fn write(dir: &Path, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let path = path_of(dir, key);
    let folder = path.parent().expect("asset paths have a folder");
    let io = |source| StoreError::Asset { path: path.display().to_string(), source };
    std::fs::create_dir_all(folder).map_err(io)?;
    // A temporary name in the same folder, so the rename is atomic and no reader sees a half-written file.
    let tmp = folder.join(format!(".{key}.tmp"));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(folder)?.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

pub(super) async fn read(dir: &Path, key: &str) -> Result<Vec<u8>, StoreError> {
    let path = path_of(dir, key);
    tokio::fs::read(&path).await.map_err(|source| StoreError::Asset { path: path.display().to_string(), source })
}

/// Every stored file under `dir` whose name is an asset key, and every temporary file a write left behind (a process
/// killed between writing and renaming: [`temp_key`]); foreign files are left alone.
pub(super) fn list(dir: &Path) -> Result<Vec<StoredAsset>, StoreError> {
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, &mut out)?;
    }
    Ok(out)
}

/// Walks `dir` while writers go on: an entry gone between the listing and its metadata (a temporary file a writer
/// renamed, seen in the `gc_races_inserts` test) is skipped, as the collector would have had nothing to remove.
fn walk(dir: &Path, out: &mut Vec<StoredAsset>) -> Result<(), StoreError> {
    let io = |source| StoreError::Asset { path: dir.display().to_string(), source };
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    let entries = match std::fs::read_dir(dir) {
        Err(e) if gone(&e) => return Ok(()),
        listed => listed.map_err(io)?,
    };
    for entry in entries {
        let entry = entry.map_err(io)?;
        let meta = match entry.metadata() {
            Err(e) if gone(&e) => continue,
            meta => meta.map_err(io)?,
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if meta.is_dir() {
            walk(&entry.path(), out)?;
        } else if valid_key(&name).is_ok() || temp_key(&name).is_some() {
            out.push(StoredAsset { key: name, size: meta.len(), modified: meta.modified().map_err(io)? });
        }
    }
    Ok(())
}

/// The asset key a temporary file (`.{key}.tmp`) was being written for, when `name` is one. No row ever names it,
/// so the collector removes it once it is older than its bound.
pub(super) fn temp_key(name: &str) -> Option<&str> {
    name.strip_prefix('.')?.strip_suffix(".tmp").filter(|k| valid_key(k).is_ok())
}

/// Removes the file named `key` (an asset key or a temporary file's name); one already gone is not an error.
pub(super) fn remove(dir: &Path, key: &str) -> Result<(), StoreError> {
    let path = match temp_key(key) {
        Some(asset) => path_of(dir, asset).with_file_name(key),
        None => path_of(dir, key),
    };
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(StoreError::Asset { path: path.display().to_string(), source: e })
        }
        _ => Ok(()),
    }
}

/// `ab/cd/abcd….png`: two levels of fan-out keep folders small.
pub(super) fn path_of(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(&key[2..4]).join(key)
}
