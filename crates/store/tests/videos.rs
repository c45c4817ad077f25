//! The drafts' 音视频解读 rows (`draft_videos`, migration 0008) on SQLite and PostgreSQL: render requests and their
//! attempts, finished and failed renders, script edits with optimistic concurrency, files inline or in a shared
//! folder, and approval carrying the video in `draft.approved`.

#[allow(dead_code)] // reason: the video suite applies no links
#[path = "support/changes.rs"]
mod changes;

use changes::{doc, draft, upsert};
use tujie_store::{
    Change, DatabaseConfig, DocumentAction, NewDocument, NewDraft, PublishedImages, ScriptSave, Store, VideoFile,
    VideoFiles, VideoStatus,
};
use tujie_test_support::TestDb;

async fn with_draft(store: &Store) {
    let mut c = upsert("e1", doc("policy", "p1", "通知", "2024-03-01"), None);
    c.draft = Some(draft("d1", "p1"));
    store.apply(c).await.unwrap();
}

fn files(tag: &str) -> VideoFiles {
    VideoFiles {
        content_revision: 1,
        script_revision: 0,
        approved: false,
        duration_ms: 12_340,
        speech_ms: 800,
        slides_ms: 1500,
        encoding_ms: 3000,
        mp4: format!("mp4 {tag}").into_bytes(),
        m4a: format!("m4a {tag}").into_bytes(),
        vtt: format!("WEBVTT\n\n00:00.000 --> 00:01.000\n{tag}\n"),
        srt: format!("1\n00:00:00,000 --> 00:00:01,000\n{tag}\n"),
        spoken_json: "{}".into(),
    }
}

async fn requests_attempts_and_outcomes(store: Store) {
    with_draft(&store).await;
    assert_eq!(store.draft_video("d1").await.unwrap(), None);
    assert!(store.request_video("nope", "ed").await.unwrap_err().to_string().contains("not found"));

    let first = store.request_video("d1", "编辑甲").await.unwrap();
    assert_eq!((first.status, first.attempt, first.made.clone()), (VideoStatus::Pending, 1, None));
    assert_eq!(first.requested_by.as_deref(), Some("编辑甲"));
    // A second request overtakes the first: the first render's outcome is dropped.
    let second = store.request_video("d1", "system").await.unwrap();
    assert_eq!(second.attempt, 2);
    assert!(!store.finish_video("d1", 1, &files("old")).await.unwrap());
    assert!(!store.fail_video("d1", 1, "late").await.unwrap());
    assert_eq!(store.video_file("d1", VideoFile::Mp4).await.unwrap(), None, "nothing finished yet");

    assert!(store.finish_video("d1", 2, &files("a")).await.unwrap());
    let done = store.draft_video("d1").await.unwrap().unwrap();
    assert_eq!(done.status, VideoStatus::Done);
    let made = done.made.clone().unwrap();
    assert_eq!((made.duration_ms, made.content_revision, made.video_bytes), (12_340, 1, 5));
    assert_eq!(made.video_sha256.len(), 64);
    assert_eq!(store.video_file("d1", VideoFile::Mp4).await.unwrap().unwrap(), b"mp4 a");
    assert_eq!(store.video_file("d1", VideoFile::M4a).await.unwrap().unwrap(), b"m4a a");
    assert!(String::from_utf8(store.video_file("d1", VideoFile::Vtt).await.unwrap().unwrap()).unwrap().contains('a'));

    // A failed regeneration records why and keeps the previous video.
    let third = store.request_video("d1", "ed").await.unwrap();
    assert_eq!((third.status, third.made.is_some()), (VideoStatus::Pending, true));
    assert!(store.fail_video("d1", 3, "ffmpeg 未安装").await.unwrap());
    let failed = store.draft_video("d1").await.unwrap().unwrap();
    assert_eq!((failed.status, failed.reason.as_deref()), (VideoStatus::Failed, Some("ffmpeg 未安装")));
    assert_eq!(store.video_file("d1", VideoFile::Mp4).await.unwrap().unwrap(), b"mp4 a");
    // The image draft is untouched.
    assert_eq!(store.draft_assets("d1").await.unwrap().unwrap().rendered.png, vec![1, 2, 3]);
}

async fn script_edits_are_revisions(store: Store) {
    with_draft(&store).await;
    assert!(store.save_script("nope", 0, Some("{}"), "ed", None).await.is_err());
    assert_eq!(
        store.save_script("d1", 0, Some("{\"v\":1}"), "编辑甲", Some("改口播")).await.unwrap(),
        ScriptSave::Saved { revision: 1 }
    );
    // Based on an old revision: refused, naming the current one.
    assert_eq!(
        store.save_script("d1", 0, Some("{\"v\":2}"), "编辑乙", None).await.unwrap(),
        ScriptSave::Stale { current: 1 }
    );
    let v = store.draft_video("d1").await.unwrap().unwrap();
    assert_eq!((v.status, v.script_revision, v.script_json.as_deref()), (VideoStatus::None, 1, Some("{\"v\":1}")));
    // A render request keeps the script; a reset brings back the script made from the content.
    let asked = store.request_video("d1", "ed").await.unwrap();
    assert_eq!((asked.attempt, asked.script_revision), (1, 1));
    assert_eq!(store.save_script("d1", 1, None, "编辑甲", None).await.unwrap(), ScriptSave::Saved { revision: 2 });
    assert_eq!(store.draft_video("d1").await.unwrap().unwrap().script_json, None);
    let history = store.draft_history("d1").await.unwrap();
    let scripts: Vec<_> = history.iter().filter(|h| h.action == "script").collect();
    assert_eq!(scripts.len(), 2);
    assert_eq!(scripts[0].comment.as_deref(), Some("改口播"));
    // Script edits of a draft that never had a render row start from revision 0 only.
    let mut c = upsert("e2", doc("policy", "p2", "通知二", "2024-03-02"), None);
    c.draft = Some(draft("d2", "p2"));
    store.apply(c).await.unwrap();
    assert_eq!(store.save_script("d2", 3, Some("{}"), "ed", None).await.unwrap(), ScriptSave::Stale { current: 0 });
}

async fn approval_carries_the_video(store: Store) {
    with_draft(&store).await;
    let rendered =
        tujie_model::RenderedDraft { svg: "<svg/>".into(), png: vec![9], preview_png: vec![8], ..Default::default() };
    let images = PublishedImages { revision: 1, rendered };
    store.request_video("d1", "ed").await.unwrap();
    store.finish_video("d1", 1, &files("draft")).await.unwrap();
    let approved = VideoFiles { approved: true, ..files("approved") };
    store.approve_published_with_video("d1", "编辑甲", None, &images, Some(&approved)).await.unwrap();
    let v = store.draft_video("d1").await.unwrap().unwrap();
    assert!(v.made.as_ref().unwrap().approved);
    assert_eq!(store.video_file("d1", VideoFile::Mp4).await.unwrap().unwrap(), b"mp4 approved");

    let rows = store.outbox_unsent(10).await.unwrap();
    let row = rows.iter().find(|r| r.routing_key == "draft.approved").unwrap();
    let event: serde_json::Value = serde_json::from_str(&row.payload).unwrap();
    let video = &event["data"]["video"];
    assert_eq!(video["video"]["path"], "/api/drafts/d1/video.mp4");
    assert_eq!(video["video"]["bytes"], 12);
    assert_eq!(video["audio"]["media_type"], "audio/mp4");
    assert_eq!(video["subtitles"]["path"], "/api/drafts/d1/subtitles.vtt");
    assert_eq!(video["duration_ms"], 12_340);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/draft.approved.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&event).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    // Without a video the event says nothing of one.
    let mut c = upsert("e2", doc("policy", "p2", "通知二", "2024-03-02"), None);
    c.draft = Some(draft("d2", "p2"));
    store.apply(c).await.unwrap();
    store.approve_published_with_video("d2", "编辑甲", None, &images, None).await.unwrap();
    let rows = store.outbox_unsent(10).await.unwrap();
    let row = rows.iter().find(|r| r.event_id == "draft.approved:d2").unwrap();
    assert!(!row.payload.contains("\"video\""), "{}", row.payload);
}

macro_rules! video_suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $name() { let db = super::TestDb::sqlite().await; super::$name(db.store.clone()).await; db.finish().await; } )* }
        mod postgres { $( #[tokio::test] async fn $name() { let db = super::TestDb::postgres().await; super::$name(db.store.clone()).await; db.finish().await; } )* }
    };
}

video_suite!(requests_attempts_and_outcomes, script_edits_are_revisions, approval_carries_the_video);

/// With `asset_store = "directory"` the MP4 and M4A are files in the shared folder, not bytes in the row.
async fn video_files_in_a_shared_folder(db: &TestDb) {
    let folder = tempfile::tempdir().unwrap();
    let cfg = DatabaseConfig {
        url: db.url.clone(),
        asset_store: tujie_store::AssetBackend::Directory,
        asset_dir: folder.path().display().to_string(),
        ..Default::default()
    };
    let shared = Store::connect(&cfg).await.unwrap();
    with_draft(&shared).await;
    let before = count_files(folder.path());
    shared.request_video("d1", "ed").await.unwrap();
    shared.finish_video("d1", 1, &files("shared")).await.unwrap();
    assert_eq!(count_files(folder.path()), before + 2, "one file each for the MP4 and the M4A");
    assert_eq!(shared.video_file("d1", VideoFile::M4a).await.unwrap().unwrap(), b"m4a shared");
    let err = db.store.video_file("d1", VideoFile::Mp4).await.unwrap_err().to_string();
    assert!(err.contains("asset_store"), "the bytes are not in the row: {err}");
    shared.close().await;
}

fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { count_files(&p) } else { 1 })
        .sum()
}

#[tokio::test]
async fn sqlite_video_files_in_a_shared_folder() {
    let db = TestDb::sqlite().await;
    video_files_in_a_shared_folder(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn postgres_video_files_in_a_shared_folder() {
    let db = TestDb::postgres().await;
    video_files_in_a_shared_folder(&db).await;
    db.finish().await;
}
