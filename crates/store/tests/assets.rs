//! Drafts' files outside the rows: the folder store and the S3 store (against a real S3-API server, moto, started
//! by `scripts/test.sh`), each on SQLite and PostgreSQL, and garbage collection racing concurrent inserts.

#[path = "support/changes.rs"]
#[allow(dead_code)] // reason: this binary makes no links
mod changes;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use changes::{doc, draft, upsert};
use futures::TryStreamExt as _;
use object_store::ObjectStoreExt as _;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use tujie_store::{
    ApplyOutcome, Change, DatabaseConfig, DocumentAction, NewDocument, NewDraft, Store, VideoFile, VideoFiles,
};
use tujie_test_support::TestDb;
use tujie_test_support::s3 as support;

/// Where a test keeps drafts' files, and a view of it that does not go through the store.
enum Place {
    Folder(tempfile::TempDir),
    Bucket { name: String, client: Arc<dyn object_store::ObjectStore> },
}

impl Place {
    fn folder() -> Self {
        Place::Folder(tempfile::tempdir().unwrap())
    }

    fn bucket() -> Self {
        let name = support::s3_bucket();
        let client = AmazonS3Builder::new()
            .with_endpoint(support::s3_url())
            .with_bucket_name(&name)
            .with_region("us-east-1")
            .with_allow_http(true)
            .with_access_key_id("tujie-test")
            .with_secret_access_key("tujie-test")
            .build()
            .unwrap();
        Place::Bucket { name, client: Arc::new(client) }
    }

    fn config(&self, url: &str) -> DatabaseConfig {
        match self {
            Place::Folder(dir) => DatabaseConfig {
                url: url.into(),
                asset_store: tujie_store::AssetBackend::Directory,
                asset_dir: dir.path().display().to_string(),
                ..Default::default()
            },
            Place::Bucket { name, .. } => support::s3_config(url, name),
        }
    }

    /// The names of the stored files, sorted.
    async fn files(&self) -> Vec<String> {
        let mut names = match self {
            Place::Folder(dir) => support::files_under(dir.path())
                .into_iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect(),
            Place::Bucket { client, .. } => {
                let metas: Vec<_> = client.list(None).try_collect().await.unwrap();
                metas.into_iter().map(|m| m.location.filename().unwrap().to_owned()).collect::<Vec<_>>()
            }
        };
        names.sort();
        names
    }

    async fn delete(&self, name: &str) {
        match self {
            Place::Folder(dir) => {
                let path = support::files_under(dir.path()).into_iter().find(|p| p.ends_with(name)).unwrap();
                std::fs::remove_file(path).unwrap();
            }
            Place::Bucket { client, .. } => client.delete(&ObjectPath::from(format!("drafts/{name}"))).await.unwrap(),
        }
    }
}

/// Drafts written with a folder or bucket keep their PNGs there, not in the row; rows written inline before the
/// switch stay readable; a file that went missing is an error naming it, and not worth retrying.
async fn draft_files_outside_rows(db: &TestDb, place: Place) {
    let shared = Store::connect(&place.config(&db.url)).await.unwrap();
    let inline = &db.store;

    let mut old = upsert("e-p1", doc("policy", "p1", "旧政策", "2024-01-01"), None);
    old.draft = Some(draft("dr-p1", "p1"));
    inline.apply(old).await.unwrap();
    let mut new = upsert("e-p2", doc("policy", "p2", "新政策", "2024-01-02"), None);
    let mut with_files = draft("dr-p2", "p2");
    with_files.rendered.png = b"\x89PNG full page".to_vec();
    with_files.rendered.preview_png = b"\x89PNG preview".to_vec();
    new.draft = Some(with_files.clone());
    assert!(matches!(shared.apply(new).await.unwrap(), ApplyOutcome::Applied { draft_created: Some(_), .. }));

    let files = place.files().await;
    assert_eq!(files.len(), 2, "one file per PNG: {files:?}");
    let read = shared.draft_assets("dr-p2").await.unwrap().unwrap();
    assert_eq!(
        (read.rendered.png, read.rendered.preview_png),
        (with_files.rendered.png, with_files.rendered.preview_png)
    );
    // The bytes are not in the row: a store that only knows inline rows cannot produce them.
    let err = inline.draft_assets("dr-p2").await.unwrap_err().to_string();
    assert!(err.contains("asset_store"), "{err}");
    assert_eq!(
        shared.draft_assets("dr-p1").await.unwrap().unwrap().rendered.png,
        vec![1, 2, 3],
        "inline rows still read"
    );

    place.delete(&files[0]).await;
    let err = shared.draft_assets("dr-p2").await.unwrap_err();
    assert!(!err.is_retryable(), "a missing file will not come back: {err}");
    assert!(err.to_string().contains(&files[0]), "{err}");
    shared.close().await;
}

/// A policy event with a draft whose PNGs are its own.
fn with_draft(n: usize) -> Change {
    let policy = format!("p{n}");
    let mut change = upsert(&format!("e{n}"), doc("policy", &policy, "通知", "2024-03-01"), None);
    let mut d = draft(&format!("d{n}"), &policy);
    d.rendered.png = format!("png {n}").into_bytes();
    d.rendered.preview_png = format!("preview {n}").into_bytes();
    change.draft = Some(d);
    change
}

/// Applies the event and then delivers it again: the duplicate writes its two files and then finds the event
/// already done, leaving two real orphans.
async fn apply_twice(store: &Store, n: usize) {
    assert!(matches!(store.apply(with_draft(n)).await.unwrap(), ApplyOutcome::Applied { .. }));
    assert_eq!(store.apply(with_draft(n)).await.unwrap(), ApplyOutcome::Duplicate);
}

/// The age bound of these tests. S3 reports an object's time in whole seconds, so a new object can look up to a
/// second older than it is; the bound leaves room for that and for a slow transaction on a loaded machine.
const BOUND: Duration = Duration::from_secs(3);

/// `collect_asset_garbage` running over and over while drafts are inserted: no committed row ever names a missing
/// file, orphans older than the bound are removed, and a dry run removes nothing.
async fn gc_races_inserts(db: &TestDb, place: Place) {
    let store = Store::connect(&place.config(&db.url)).await.unwrap();
    for n in 0..4 {
        apply_twice(&store, n).await;
    }
    tokio::time::sleep(BOUND + Duration::from_millis(300)).await;
    let dry = store.collect_asset_garbage(BOUND, true).await.unwrap();
    assert_eq!((dry.examined, dry.named, dry.young, dry.removed.len()), (16, 8, 0, 8), "{dry:?}");
    assert_eq!(place.files().await.len(), 16, "a dry run removes nothing");
    let old_orphans: BTreeSet<String> = dry.removed.iter().map(|(k, _)| k.clone()).collect();
    assert!(dry.removed.iter().all(|(_, size)| *size > 0));

    let writing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (store, writing) = (store.clone(), writing.clone());
        tokio::spawn(async move {
            for n in 4..40 {
                apply_twice(&store, n).await;
            }
            writing.store(false, std::sync::atomic::Ordering::SeqCst);
        })
    };
    let mut removed = BTreeSet::new();
    let mut passes = 0;
    while writing.load(std::sync::atomic::Ordering::SeqCst) || passes == 0 {
        let pass = store.collect_asset_garbage(BOUND, false).await.unwrap();
        removed.extend(pass.removed.into_iter().map(|(k, _)| k));
        passes += 1;
    }
    writer.await.unwrap();
    assert!(passes > 1, "the collector ran while the writer wrote ({passes} passes)");
    assert!(old_orphans.is_subset(&removed), "orphans older than the bound are removed");

    for summary in store.drafts(None).await.unwrap() {
        let assets = store.draft_assets(&summary.draft_id).await.unwrap().unwrap();
        assert!(assets.rendered.png.starts_with(b"png "), "{} reads back", summary.draft_id);
    }
    // Once the young orphans age past the bound, exactly the named files remain.
    tokio::time::sleep(BOUND + Duration::from_millis(300)).await;
    store.collect_asset_garbage(BOUND, false).await.unwrap();
    let last = store.collect_asset_garbage(BOUND, true).await.unwrap();
    assert_eq!((last.examined, last.named, last.removed.len()), (80, 80, 0), "{last:?}");
    assert_eq!(place.files().await.len(), 80);
    store.close().await;
}

macro_rules! on_every_backend_and_place {
    ($($name:ident),* $(,)?) => {
        $(mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_folder() {
                let db = super::TestDb::sqlite().await;
                super::$name(&db, super::Place::folder()).await;
                db.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_s3() {
                let db = super::TestDb::sqlite().await;
                super::$name(&db, super::Place::bucket()).await;
                db.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_folder() {
                let db = super::TestDb::postgres().await;
                super::$name(&db, super::Place::folder()).await;
                db.finish().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_s3() {
                let db = super::TestDb::postgres().await;
                super::$name(&db, super::Place::bucket()).await;
                db.finish().await;
            }
        })*
    };
}

/// A draft's 音视频解读 keeps its MP4 and M4A in the same store: the collector counts them as named.
async fn gc_keeps_video_files(db: &TestDb, place: Place) {
    let store = Store::connect(&place.config(&db.url)).await.unwrap();
    assert!(matches!(store.apply(with_draft(0)).await.unwrap(), ApplyOutcome::Applied { .. }));
    store.request_video("d0", "编辑").await.unwrap();
    let files = VideoFiles {
        content_revision: 1,
        script_revision: 0,
        approved: false,
        duration_ms: 1000,
        speech_ms: 100,
        slides_ms: 100,
        encoding_ms: 100,
        mp4: b"mp4 d0".to_vec(),
        m4a: b"m4a d0".to_vec(),
        vtt: "WEBVTT\n".into(),
        srt: String::new(),
        spoken_json: "{}".into(),
    };
    assert!(store.finish_video("d0", 1, &files).await.unwrap());
    tokio::time::sleep(BOUND + Duration::from_millis(300)).await;
    let pass = store.collect_asset_garbage(BOUND, false).await.unwrap();
    assert_eq!((pass.named, pass.removed.len()), (4, 0), "{pass:?}");
    assert_eq!(store.video_file("d0", VideoFile::Mp4).await.unwrap().as_deref(), Some(&b"mp4 d0"[..]));
    assert_eq!(store.video_file("d0", VideoFile::M4a).await.unwrap().as_deref(), Some(&b"m4a d0"[..]));
    store.close().await;
}

on_every_backend_and_place!(draft_files_outside_rows, gc_races_inserts, gc_keeps_video_files);

/// An unreachable service is an outage to retry, not poison.
#[tokio::test]
async fn an_unreachable_bucket_is_retryable() {
    let db = TestDb::sqlite().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let cfg = DatabaseConfig { s3_endpoint: format!("http://127.0.0.1:{port}"), ..support::s3_config(&db.url, "b") };
    let store = Store::connect(&cfg).await.unwrap();
    let err = store.apply(with_draft(1)).await.unwrap_err();
    assert!(err.is_retryable(), "{err}");
    assert!(err.to_string().contains("drafts/"), "names the object: {err}");
    store.close().await;
    db.finish().await;
}
