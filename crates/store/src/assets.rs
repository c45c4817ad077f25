//! Where a draft's raster files live: inline in the `drafts` row, or as content-addressed files in a shared
//! folder.
//!
//! A full-size PNG is about a megabyte. Inline is the simplest choice and the embedded default; on PostgreSQL it
//! costs about 600 TOAST rows plus the WAL for each draft, which measured at four fifths of the database's CPU per
//! event (`bench/pipeline_throughput.sh`). The folder store takes those bytes out of the database: the files are
//! written and flushed *before* the transaction that references them commits, so a committed row never points at
//! a missing file. A transaction that then fails (or turns out to be a duplicate) leaves an orphan file behind; it
//! is harmless, because names are the SHA-256 of the bytes and the same render writes the same name again.
//!
//! The folder must be reachable by every process that reads or writes drafts (workers, `tujie serve`, exports):
//! a network mount when they run on several hosts. Nothing deletes files yet (see ARCHITECTURE.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The `[database] asset_store` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetBackend {
    /// In the `drafts` row.
    #[default]
    Database,
    /// Files under `[database] asset_dir`.
    Directory,
}

/// The configured asset store. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssetStore {
    Inline,
    Directory(PathBuf),
}

/// How one file is referenced from its row: exactly one of the two is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssetRef<'a> {
    Inline(&'a [u8]),
    Key(String),
}

impl AssetRef<'_> {
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        match self {
            AssetRef::Inline(b) => Some(b),
            AssetRef::Key(_) => None,
        }
    }

    pub(crate) fn key(&self) -> Option<&str> {
        match self {
            AssetRef::Inline(_) => None,
            AssetRef::Key(k) => Some(k),
        }
    }
}

impl AssetStore {
    pub(crate) fn new(backend: AssetBackend, dir: &str) -> Self {
        match backend {
            AssetBackend::Database => AssetStore::Inline,
            AssetBackend::Directory => AssetStore::Directory(PathBuf::from(dir)),
        }
    }

    /// Stores the files of one draft and says how each is to be referenced. Blocking file I/O runs off the async
    /// runtime.
    pub(crate) async fn put_all<'a>(&self, files: [&'a [u8]; 2]) -> Result<[AssetRef<'a>; 2], StoreError> {
        let AssetStore::Directory(dir) = self else {
            return Ok(files.map(AssetRef::Inline));
        };
        let dir = dir.clone();
        let owned = files.map(<[u8]>::to_vec);
        let keys = tokio::task::spawn_blocking(move || -> Result<Vec<String>, StoreError> {
            owned.iter().map(|bytes| write_file(&dir, bytes)).collect()
        })
        .await
        .map_err(|e| StoreError::Asset { path: "(asset writer)".into(), source: std::io::Error::other(e) })??;
        let mut keys = keys.into_iter().map(AssetRef::Key);
        Ok([keys.next().expect("two keys for two files"), keys.next().expect("two keys for two files")])
    }

    /// Reads a file stored under `key`.
    pub(crate) async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        let AssetStore::Directory(dir) = self else {
            return Err(StoreError::Corrupt {
                what: format!("asset {key}"),
                detail: "the row names a file, but [database] asset_store is \"database\"; set it to \"directory\" \
                         with the asset_dir the rows were written with"
                    .into(),
            });
        };
        let key = valid_key(key)?;
        let path = path_of(dir, key);
        tokio::fs::read(&path).await.map_err(|source| StoreError::Asset { path: path.display().to_string(), source })
    }
}

/// Writes `bytes` under their content hash unless that file exists, flushing the file and its folder so the
/// name survives a crash once the referencing transaction commits.
fn write_file(dir: &Path, bytes: &[u8]) -> Result<String, StoreError> {
    let key = format!("{:x}.png", Sha256::digest(bytes));
    let path = path_of(dir, &key);
    if path.exists() {
        return Ok(key);
    }
    let folder = path.parent().expect("asset paths have a folder");
    let io = |source| StoreError::Asset { path: path.display().to_string(), source };
    std::fs::create_dir_all(folder).map_err(io)?;
    // A unique temporary name in the same folder, so the rename is atomic and concurrent writers of the same
    // content (two workers, one document) never see a half-written file.
    let tmp = folder.join(format!(".{key}.{}.{}.tmp", std::process::id(), unique()));
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
    Ok(key)
}

/// `ab/cd/abcd….png`: two levels of fan-out keep folders small.
fn path_of(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(&key[2..4]).join(key)
}

/// Keys come from our own rows, but a path is built from them: accept only what [`write_file`] produces.
fn valid_key(key: &str) -> Result<&str, StoreError> {
    let hex = key.strip_suffix(".png").unwrap_or("");
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(key)
    } else {
        Err(StoreError::Corrupt { what: "asset key".into(), detail: format!("`{key}` is not a stored asset name") })
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn directory_store_round_trips_and_is_content_addressed() {
        let dir = tempfile::tempdir().unwrap();
        let store = AssetStore::Directory(dir.path().to_path_buf());
        let [a, b] = store.put_all([b"first", b"second"]).await.unwrap();
        let [a_again, _] = store.put_all([b"first", b"third"]).await.unwrap();
        assert_eq!(a, a_again, "same bytes, same key");
        assert_ne!(a, b);
        assert_eq!(store.get(a.key().unwrap()).await.unwrap(), b"first");
        assert_eq!(store.get(b.key().unwrap()).await.unwrap(), b"second");
        let leftovers: Vec<_> = walk(dir.path()).into_iter().filter(|p| p.ends_with(".tmp")).collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[tokio::test]
    async fn bad_or_missing_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = AssetStore::Directory(dir.path().to_path_buf());
        let err = store.get("../../etc/passwd").await.unwrap_err().to_string();
        assert!(err.contains("not a stored asset name"), "{err}");
        let missing = format!("{}.png", "0".repeat(64));
        let err = store.get(&missing).await.unwrap_err().to_string();
        assert!(err.contains(&missing), "{err}");
        let err = AssetStore::Inline.get(&missing).await.unwrap_err().to_string();
        assert!(err.contains("asset_store"), "{err}");
    }

    #[tokio::test]
    async fn inline_store_keeps_the_bytes_in_the_row() {
        let refs = AssetStore::Inline.put_all([b"x", b"y"]).await.unwrap();
        assert_eq!(refs[0].bytes(), Some(&b"x"[..]));
        assert_eq!(refs[1].key(), None);
    }

    fn walk(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path.display().to_string());
            }
        }
        out
    }
}
