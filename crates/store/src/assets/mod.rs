//! Where a draft's raster files live: inline in the `drafts` row, as files in a shared folder, or as objects in
//! an S3-compatible bucket.
//!
//! A full-size PNG is about a megabyte. Inline is the simplest choice and the embedded default; on PostgreSQL it
//! costs about 600 TOAST rows plus the WAL for each draft, which measured at four fifths of the database's CPU per
//! event (`bench/pipeline_throughput.sh`). The folder and the bucket take those bytes out of the database: the
//! files are written and confirmed (flushed, or acknowledged by the service) *before* the transaction that
//! references them commits, so a committed row never points at a missing file.
//!
//! Every write gets a name of its own: the SHA-256 of the bytes and a random suffix. A transaction that fails
//! (or turns out to be a duplicate) therefore leaves an orphan that nothing else will ever name, and
//! [`Store::collect_asset_garbage`](crate::Store::collect_asset_garbage) may remove it once it is older than any
//! transaction takes, without racing a writer that is about to name it (see `gc.rs`).
//!
//! The folder or bucket must be reachable by every process that reads or writes drafts (workers, `tujie serve`,
//! exports): a network mount, or the same bucket, when they run on several hosts.

mod folder;
mod s3;

use std::path::PathBuf;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{DatabaseConfig, StoreError};

/// The `[database] asset_store` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetBackend {
    /// In the `drafts` row.
    #[default]
    Database,
    /// Files under `[database] asset_dir`.
    Directory,
    /// Objects in the bucket `[database] s3_bucket`.
    S3,
}

/// The configured asset store. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssetStore {
    Inline,
    Directory(PathBuf),
    Bucket(s3::Bucket),
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

/// One stored file, as garbage collection sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredAsset {
    pub(crate) key: String,
    pub(crate) size: u64,
    /// When it was written (the folder's modification time, the bucket's `Last-Modified`).
    pub(crate) modified: SystemTime,
}

impl AssetStore {
    pub(crate) fn new(cfg: &DatabaseConfig) -> Result<Self, StoreError> {
        Ok(match cfg.asset_store {
            AssetBackend::Database => AssetStore::Inline,
            AssetBackend::Directory => AssetStore::Directory(PathBuf::from(&cfg.asset_dir)),
            AssetBackend::S3 => AssetStore::Bucket(s3::Bucket::new(cfg)?),
        })
    }

    /// Stores the files of one draft and says how each is to be referenced. Blocking file I/O runs off the async
    /// runtime.
    pub(crate) async fn put_all<'a>(&self, files: [&'a [u8]; 2]) -> Result<[AssetRef<'a>; 2], StoreError> {
        let keys = files.map(new_key);
        match self {
            AssetStore::Inline => return Ok(files.map(AssetRef::Inline)),
            AssetStore::Directory(dir) => {
                let (dir, keys, owned) = (dir.clone(), keys.clone(), files.map(<[u8]>::to_vec));
                tokio::task::spawn_blocking(move || {
                    keys.iter().zip(&owned).try_for_each(|(key, bytes)| folder::write(&dir, key, bytes))
                })
                .await
                .map_err(|e| StoreError::Asset { path: "(asset writer)".into(), source: std::io::Error::other(e) })??;
            }
            AssetStore::Bucket(bucket) => {
                for (key, bytes) in keys.iter().zip(files) {
                    bucket.write(key, bytes).await?;
                }
            }
        }
        Ok(keys.map(AssetRef::Key))
    }

    /// Reads a file stored under `key`.
    pub(crate) async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        let key = valid_key(key)?;
        match self {
            AssetStore::Inline => Err(StoreError::Corrupt {
                what: format!("asset {key}"),
                detail: "the row names a file, but [database] asset_store is \"database\"; set it to \"directory\" \
                         or \"s3\" with the asset_dir or bucket the rows were written with"
                    .into(),
            }),
            AssetStore::Directory(dir) => folder::read(dir, key).await,
            AssetStore::Bucket(bucket) => bucket.read(key).await,
        }
    }

    /// Every stored file (none for the inline store).
    pub(crate) async fn list(&self) -> Result<Vec<StoredAsset>, StoreError> {
        match self {
            AssetStore::Inline => Ok(Vec::new()),
            AssetStore::Directory(dir) => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || folder::list(&dir)).await.map_err(|e| StoreError::Asset {
                    path: "(asset lister)".into(),
                    source: std::io::Error::other(e),
                })?
            }
            AssetStore::Bucket(bucket) => bucket.list().await,
        }
    }

    /// Removes the file stored under `key`; one already gone is not an error.
    pub(crate) async fn remove(&self, key: &str) -> Result<(), StoreError> {
        match self {
            AssetStore::Inline => Ok(()),
            AssetStore::Directory(dir) if folder::temp_key(key).is_some() => folder::remove(dir, key),
            AssetStore::Directory(dir) => folder::remove(dir, valid_key(key)?),
            AssetStore::Bucket(bucket) => bucket.remove(valid_key(key)?).await,
        }
    }
}

/// `{sha256}-{random}.png`: the hash says what the bytes are, the suffix makes every write a name of its own.
fn new_key(bytes: &[u8]) -> String {
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).expect("the operating system's random source");
    let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:x}-{suffix}.png", Sha256::digest(bytes))
}

/// Keys come from our own rows, but paths are built from them: accept only what [`new_key`] produces, and the
/// plain `{sha256}.png` names written before the suffix existed.
fn valid_key(key: &str) -> Result<&str, StoreError> {
    let stem = key.strip_suffix(".png").unwrap_or("");
    let (hash, suffix) = stem.split_once('-').unwrap_or((stem, "0000000000000000"));
    let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    if hex(hash, 64) && hex(suffix, 16) {
        Ok(key)
    } else {
        Err(StoreError::Corrupt { what: "asset key".into(), detail: format!("`{key}` is not a stored asset name") })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[tokio::test]
    async fn directory_store_round_trips_and_names_every_write_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = AssetStore::Directory(dir.path().to_path_buf());
        let [a, b] = store.put_all([b"first", b"second"]).await.unwrap();
        let [a_again, _] = store.put_all([b"first", b"third"]).await.unwrap();
        let (a, a_again) = (a.key().unwrap(), a_again.key().unwrap());
        assert_ne!(a, a_again, "a second write of the same bytes gets a name of its own");
        assert_eq!(a[..64], a_again[..64], "both names start with the bytes' SHA-256");
        assert_eq!(store.get(a).await.unwrap(), b"first");
        assert_eq!(store.get(b.key().unwrap()).await.unwrap(), b"second");
        let leftovers: Vec<_> = walk(dir.path()).into_iter().filter(|p| p.ends_with(".tmp")).collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

        let listed = store.list().await.unwrap();
        assert_eq!(listed.len(), 4, "{listed:?}");
        assert!(listed.iter().any(|f| f.key == a && f.size == 5), "{listed:?}");
        store.remove(a).await.unwrap();
        store.remove(a).await.unwrap();
        assert_eq!(store.list().await.unwrap().len(), 3);
        assert!(!store.get(a).await.unwrap_err().is_retryable());
    }

    #[tokio::test]
    async fn a_temporary_file_left_by_a_killed_writer_is_listed_and_removable() {
        let dir = tempfile::tempdir().unwrap();
        let store = AssetStore::Directory(dir.path().to_path_buf());
        let kept = new_key(b"kept");
        folder::write(dir.path(), &kept, b"kept").unwrap();
        // What `folder::write` leaves when the process dies before its rename.
        let orphan = new_key(b"half");
        let tmp = folder::path_of(dir.path(), &orphan).with_file_name(format!(".{orphan}.tmp"));
        std::fs::create_dir_all(tmp.parent().unwrap()).unwrap();
        std::fs::write(&tmp, b"ha").unwrap();
        std::fs::write(tmp.with_file_name("notes.txt"), b"not ours").unwrap();
        let listed: Vec<String> = store.list().await.unwrap().into_iter().map(|f| f.key).collect();
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert!(listed.contains(&kept) && listed.contains(&format!(".{orphan}.tmp")), "{listed:?}");
        store.remove(&format!(".{orphan}.tmp")).await.unwrap();
        assert!(!tmp.exists());
        assert!(tmp.with_file_name("notes.txt").exists(), "a foreign file is left alone");
        assert!(store.remove("../.x.tmp").await.is_err(), "only a temporary file of an asset key is removed");
    }

    #[test]
    fn keys_old_and_new_are_accepted_and_nothing_else() {
        let hash = "ab".repeat(32);
        for good in [format!("{hash}.png"), format!("{hash}-0123456789abcdef.png"), new_key(b"x")] {
            assert!(valid_key(&good).is_ok(), "{good}");
        }
        for bad in [format!("{hash}-01234.png"), format!("{hash}-0123456789abcdef.svg"), "../x.png".into()] {
            assert!(valid_key(&bad).is_err(), "{bad}");
        }
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
