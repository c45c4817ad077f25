//! `tujie video` end to end with the real espeak-ng and ffmpeg: for every policy of the dev fixtures, an MP4
//! and an M4A that ffprobe reads as a 1080×1920 H.264 + AAC video and an AAC audio of the narration's length,
//! subtitles that cover the speech without overlaps, and no number in the script or subtitles that the source
//! lacks. Fails (never skips) when espeak-ng, ffmpeg or ffprobe is missing, saying how to install them.
//!
//! Also `tujie video DRAFT_ID` on a stored draft: the video is made from the store, recorded with the draft (its
//! length exact to the millisecond with a fake `command` backend writing tones of known length), a failure is
//! recorded with its reason, and `tujie drafts approve` publishes the video in `draft.approved`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sqlx::Row as _;

const BIN: &str = env!("CARGO_BIN_EXE_tujie");

fn require(program: &str, package: &str) {
    let ok = Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
        || Command::new(program).arg("-version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "`{program}` is required by this test: install it with `apt-get install {package}` (Debian)");
}

fn dev_policies() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev/docs");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt") && !p.to_string_lossy().contains(".interpretation."))
        .collect();
    out.sort();
    assert!(out.len() >= 5, "expected the dev policies in {}", dir.display());
    out
}

/// ffprobe's `key=value` lines for the streams and the format of `file`.
fn probe(file: &Path) -> Vec<(String, String)> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,pix_fmt:format=duration"])
        .args(["-of", "default=noprint_wrappers=1"])
        .arg(file)
        .output()
        .expect("run ffprobe");
    assert!(out.status.success(), "ffprobe {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

fn values<'a>(p: &'a [(String, String)], key: &str) -> Vec<&'a str> {
    p.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
}

fn srt_ms(stamp: &str) -> u64 {
    let (hms, ms) = stamp.trim().split_once(',').expect("hh:mm:ss,mmm");
    let parts: Vec<u64> = hms.split(':').map(|x| x.parse().expect("number")).collect();
    ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + ms.parse::<u64>().expect("ms")
}

#[test]
fn every_dev_policy_becomes_a_video_and_an_audio_version() {
    require("espeak-ng", "espeak-ng");
    require("ffmpeg", "ffmpeg");
    require("ffprobe", "ffmpeg");
    for file in dev_policies() {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let mut cmd = Command::new(BIN);
        cmd.arg("video").arg(&file).arg("--out").arg(&out).current_dir(dir.path());
        // Short scripts and the fastest preset keep the test quick; the properties checked do not depend on them.
        cmd.env("TUJIE__MEDIA__MAX_ITEMS_PER_SECTION", "1").env("TUJIE__MEDIA__X264_PRESET", "ultrafast");
        let run = cmd.output().expect("run tujie video");
        assert!(run.status.success(), "{name}: {}", String::from_utf8_lossy(&run.stderr));

        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("script.json")).expect("script.json"))
                .expect("json");
        let cues = record["cues"].as_array().expect("cues");
        let total_ms = cues.last().and_then(|c| c["end_ms"].as_u64()).expect("a cue");
        let total = total_ms as f64 / 1000.0;

        let video = probe(&out.join("video.mp4"));
        assert_eq!(values(&video, "codec_type"), ["video", "audio"], "{name}: {video:?}");
        assert_eq!(values(&video, "codec_name"), ["h264", "aac"], "{name}");
        assert_eq!(values(&video, "width"), ["1080"], "{name}");
        assert_eq!(values(&video, "height"), ["1920"], "{name}");
        assert_eq!(values(&video, "pix_fmt"), ["yuv420p"], "{name}");
        let duration: f64 = values(&video, "duration")[0].parse().expect("duration");
        assert!((duration - total).abs() <= 0.5, "{name}: video {duration} s, narration {total} s");

        let audio = probe(&out.join("audio.m4a"));
        assert_eq!(values(&audio, "codec_name"), ["aac"], "{name}");
        let duration: f64 = values(&audio, "duration")[0].parse().expect("duration");
        assert!((duration - total).abs() <= 0.5, "{name}: audio {duration} s, narration {total} s");

        // Subtitles: consecutive, covering 0 … total, no overlaps.
        let srt = std::fs::read_to_string(out.join("subtitles.srt")).expect("srt");
        let times: Vec<(u64, u64)> =
            srt.lines().filter_map(|l| l.split_once(" --> ")).map(|(a, b)| (srt_ms(a), srt_ms(b))).collect();
        assert_eq!(times.len(), cues.len(), "{name}");
        assert_eq!(times.first().map(|t| t.0), Some(0), "{name}");
        assert_eq!(times.last().map(|t| t.1), Some(total_ms), "{name}");
        for w in times.windows(2) {
            assert!(w[0].0 < w[0].1 && w[0].1 <= w[1].0, "{name}: overlap {w:?}");
            assert!(w[1].0 - w[0].1 <= 300, "{name}: gap over 0.3 s {w:?}");
        }
        let vtt = std::fs::read_to_string(out.join("subtitles.vtt")).expect("vtt");
        assert!(vtt.starts_with("WEBVTT\n"), "{name}");

        // Every number of the script and the subtitles occurs in the source.
        let text = std::fs::read_to_string(&file).expect("fixture");
        let doc = tujie_text::document_from_plain_text("doc", &text);
        let source = tujie_text::extract(&doc, &tujie_text::TextConfig::default()).expect("extract").source_text;
        let content = format!("{source}\n{}", doc.title);
        let script = std::fs::read_to_string(out.join("script.txt")).expect("script.txt");
        let subtitle_text =
            srt.lines().filter(|l| !l.contains("-->") && l.parse::<u64>().is_err()).collect::<Vec<_>>().join("\n");
        for (what, text) in [("script", script.as_str()), ("subtitles", subtitle_text.as_str())] {
            let bad = tujie_text::faithful::unsupported_tokens(text, &content);
            assert!(bad.is_empty(), "{name}: {what} says {bad:?}, which the source lacks");
        }
    }
}

/// Samples per byte of spoken text of the fake `command` backend, at 16 kHz (as `crates/media/tests/timing.rs`).
const TONE_RATE: u64 = 16_000;
const SAMPLES_PER_BYTE: u64 = 160;

/// `TUJIE__MEDIA__*` for the fake backend: every phrase is a tone of 160 samples per byte of its text.
fn tone_backend() -> Vec<(&'static str, String)> {
    let script = format!(
        "n=$(wc -c); ffmpeg -hide_banner -loglevel error -f lavfi -i sine=frequency=440:sample_rate={TONE_RATE} \
         -af atrim=end_sample=$((n*{SAMPLES_PER_BYTE})) -ac 1 -c:a pcm_s16le -f wav -"
    );
    vec![
        ("TUJIE__MEDIA__TTS", "command".into()),
        ("TUJIE__MEDIA__COMMAND", format!("[\"sh\", \"-c\", \"{script}\"]")),
        ("TUJIE__MEDIA__MAX_ITEMS_PER_SECTION", "1".into()),
        ("TUJIE__MEDIA__X264_PRESET", "ultrafast".into()),
    ]
}

fn tujie(db_url: &str, args: &[&str], vars: &[(&str, String)]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir.path()).env("TUJIE_DATABASE_URL", db_url).env("RUST_LOG", "warn");
    for (k, _) in std::env::vars() {
        if k.starts_with("TUJIE__") || k == "TUJIE_CONFIG" || k == "TUJIE_AMQP_URL" {
            cmd.env_remove(k);
        }
    }
    cmd.envs(vars.iter().map(|(k, v)| (*k, v.as_str())));
    cmd.output().expect("run tujie")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The narration's length the fake backend gives `script.json`: its phrases' tones and the sentence pauses.
fn tone_length_ms(record: &serde_json::Value) -> u64 {
    let sentences = record["script"]["sentences"].as_array().expect("sentences");
    let bytes: u64 = sentences
        .iter()
        .flat_map(|s| s["phrases"].as_array().expect("phrases").iter())
        .map(|p| p["spoken"].as_str().expect("spoken").len() as u64)
        .sum();
    let pause = 250 * TONE_RATE / 1000;
    let samples = bytes * SAMPLES_PER_BYTE + pause * (sentences.len() as u64 - 1);
    (samples * 1000 + TONE_RATE / 2) / TONE_RATE
}

#[tokio::test]
async fn a_stored_draft_gets_its_video_recorded_and_approval_publishes_it() {
    require("ffmpeg", "ffmpeg");
    require("ffprobe", "ffmpeg");
    let db = tujie_test_support::TestDb::sqlite().await;
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev/doc_events.jsonl");
    let shortest = std::fs::read_to_string(&events)
        .expect("doc_events.jsonl")
        .lines()
        .filter(|l| l.contains("\"policy.published\""))
        .min_by_key(|l| l.len())
        .expect("a policy event")
        .to_owned();
    let dir = tempfile::tempdir().expect("tempdir");
    let one = dir.path().join("one.jsonl");
    std::fs::write(&one, format!("{shortest}\n")).expect("write");
    let out = tujie(&db.url, &["ingest", one.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = tujie(&db.url, &["drafts", "list", "--format", "jsonl"], &[]);
    let draft: serde_json::Value = serde_json::from_slice(&list.stdout).expect("one draft as JSON");
    let id = draft["draft_id"].as_str().expect("draft_id").to_owned();
    let pool = {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&db.url).await.expect("open the test database")
    };

    // Not a file and not a draft: one sentence saying so.
    let out = tujie(&db.url, &["video", "dr-nope", "--out", "x"], &[]);
    assert!(!out.status.success() && stderr(&out).contains("neither a file nor a stored draft"), "{}", stderr(&out));

    // A render that fails is recorded with its reason; the image draft stays as it was.
    let mut broken = tone_backend();
    broken.push(("TUJIE__MEDIA__FFMPEG", "/nonexistent/ffmpeg".into()));
    let failed_dir = dir.path().join("failed");
    let out = tujie(&db.url, &["video", &id, "--out", failed_dir.to_str().unwrap()], &broken);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("音视频环境未就绪") && stderr(&out).contains("media.ffmpeg"), "{}", stderr(&out));
    let row = sqlx::query("SELECT status, reason FROM draft_videos WHERE draft_id = $1")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .expect("a video row");
    assert_eq!(row.get::<String, _>(0), "failed");
    assert!(row.get::<String, _>(1).contains("/nonexistent/ffmpeg"));

    // The video of the stored draft, from its stored content, recorded with exact timing.
    let out_dir = dir.path().join("out");
    let out = tujie(&db.url, &["video", &id, "--out", out_dir.to_str().unwrap()], &tone_backend());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("recorded as the video of draft {id}")), "{}", stderr(&out));
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("script.json")).expect("script.json"))
            .expect("json");
    let expected_ms = tone_length_ms(&record);
    let cues = record["cues"].as_array().expect("cues");
    assert_eq!(cues.last().and_then(|c| c["end_ms"].as_u64()), Some(expected_ms));
    let probed = probe(&out_dir.join("video.mp4"));
    assert_eq!(values(&probed, "codec_name"), ["h264", "aac"]);
    assert_eq!((values(&probed, "width"), values(&probed, "height")), (vec!["1080"], vec!["1920"]));
    let duration: f64 = values(&probed, "duration")[0].parse().expect("duration");
    assert!((duration - expected_ms as f64 / 1000.0).abs() <= 0.5, "video {duration} s, narration {expected_ms} ms");
    let row = sqlx::query(
        "SELECT status, reason, duration_ms, rendered_script_revision, content_revision, video, audio, subtitles_vtt,
             approved FROM draft_videos WHERE draft_id = $1",
    )
    .bind(&id)
    .fetch_one(&pool)
    .await
    .expect("a video row");
    assert_eq!(row.get::<String, _>(0), "done");
    assert_eq!(row.get::<Option<String>, _>(1), None, "the earlier failure's reason is gone");
    assert_eq!(row.get::<i64, _>(2), expected_ms as i64);
    assert_eq!((row.get::<i64, _>(3), row.get::<i64, _>(4)), (0, 1));
    assert_eq!(row.get::<Vec<u8>, _>(5), std::fs::read(out_dir.join("video.mp4")).expect("mp4"));
    assert_eq!(row.get::<Vec<u8>, _>(6), std::fs::read(out_dir.join("audio.m4a")).expect("m4a"));
    assert_eq!(row.get::<String, _>(7), std::fs::read_to_string(out_dir.join("subtitles.vtt")).expect("vtt"));
    assert_eq!(row.get::<i64, _>(8), 0);
    let drafts = tujie(&db.url, &["drafts", "list", "--format", "jsonl"], &[]);
    assert!(String::from_utf8_lossy(&drafts.stdout).contains("\"pending\""), "the image draft is still pending");

    // Approval draws the video again without the draft mark and draft.approved carries it.
    let out = tujie(&db.url, &["drafts", "approve", &id, "--by", "编辑甲"], &tone_backend());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("its video"), "{}", stderr(&out));
    let row = sqlx::query("SELECT approved, video_sha256 FROM draft_videos WHERE draft_id = $1")
        .bind(&id)
        .fetch_one(&pool)
        .await
        .expect("a video row");
    assert_eq!(row.get::<i64, _>(0), 1);
    let sha: String = row.get(1);
    let payload: String = sqlx::query("SELECT payload FROM outbox WHERE routing_key = 'draft.approved'")
        .fetch_one(&pool)
        .await
        .expect("draft.approved queued")
        .get(0);
    let event: serde_json::Value = serde_json::from_str(&payload).expect("json");
    assert_eq!(event["data"]["video"]["video"]["sha256"], sha.as_str());
    assert_eq!(event["data"]["video"]["duration_ms"], expected_ms);

    // `tujie drafts export` writes the video's files beside the images.
    let export = dir.path().join("export");
    let out = tujie(&db.url, &["drafts", "export", &id, "--out", export.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = std::fs::read(export.join(format!("{id}.mp4"))).expect("exported mp4");
    assert_eq!(format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&exported)), sha);
    assert!(export.join(format!("{id}.vtt")).exists() && export.join(format!("{id}.m4a")).exists());
    pool.close().await;
    db.finish().await;
}

/// `[video] auto = true`: `tujie ingest` makes the video of every new draft after committing it, and waits for them
/// before exiting; the image drafts are there whatever becomes of the videos.
#[tokio::test]
async fn with_auto_on_ingest_makes_the_video_of_each_new_draft() {
    require("ffmpeg", "ffmpeg");
    let db = tujie_test_support::TestDb::sqlite().await;
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/dev/doc_events.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&events)
        .expect("doc_events.jsonl")
        .lines()
        .filter(|l| l.contains("\"policy.published\""))
        .map(str::to_owned)
        .collect();
    lines.sort_by_key(String::len);
    lines.truncate(2);
    let dir = tempfile::tempdir().expect("tempdir");
    let two = dir.path().join("two.jsonl");
    std::fs::write(&two, lines.join("\n")).expect("write");
    let mut vars = tone_backend();
    vars.push(("TUJIE__VIDEO__AUTO", "true".into()));
    let out = tujie(&db.url, &["ingest", two.to_str().unwrap()], &vars);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 drafts created"), "{}", stderr(&out));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.expect("open the test database");
    let rows = sqlx::query(
        "SELECT v.status, v.requested_by, v.duration_ms, d.status FROM draft_videos v JOIN drafts d ON d.id = v.draft_id",
    )
    .fetch_all(&pool)
    .await
    .expect("video rows");
    assert_eq!(rows.len(), 2, "one video per new draft");
    for row in rows {
        assert_eq!(row.get::<String, _>(0), "done");
        assert_eq!(row.get::<String, _>(1), "system");
        assert!(row.get::<i64, _>(2) > 0);
        assert_eq!(row.get::<String, _>(3), "pending", "the image draft is untouched");
    }
    pool.close().await;
    db.finish().await;
}
