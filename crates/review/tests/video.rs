//! The 音视频解读 in the workspace over real HTTP (a server on a free port, its own database, real espeak-ng and
//! ffmpeg), on SQLite and PostgreSQL: the script is shown and edited under the faithfulness rules, a render is
//! asked for and recorded, the draft page plays the video with its WebVTT track, the files are served (with byte
//! ranges), approval publishes the video in `draft.approved`, and a failed render is shown with its reason while
//! the image draft can still be approved.

#[macro_use]
mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use support::{Account, Fixture, Server, csrf_of, form_body, http, setup};
use tujie_media::{MediaConfig, VideoConfig, VideoDrafts};
use tujie_model::MediaAsset;

fn media(ffmpeg: &str) -> MediaConfig {
    // Short scripts and the fastest preset keep the test quick; what is checked does not depend on them.
    MediaConfig {
        max_items_per_section: 1,
        x264_preset: "ultrafast".into(),
        ffmpeg: ffmpeg.into(),
        ..MediaConfig::default()
    }
}

async fn server(f: &Fixture, media: MediaConfig) -> Server {
    let videos =
        VideoDrafts::new(f.store().clone(), f.renderer.clone(), media, &VideoConfig { auto: false, max_concurrent: 1 });
    let app = tujie_review::router_with_intake(
        f.store().clone(),
        f.renderer.clone(),
        tujie_review::ReviewConfig::default(),
        tujie_text::TextConfig::default(),
        tujie_report::ReportConfig::default(),
        None,
        Some(videos),
    );
    Server::start(app).await
}

async fn api(s: &Server, who: &Account, method: &str, path: &str, body: Option<Value>) -> support::HttpReply {
    let auth = format!("Bearer {}", who.token);
    let mut headers = vec![("Authorization", auth.as_str())];
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    if method == "POST" {
        headers.push(("Content-Type", "application/json"));
    }
    let body = if method == "POST" && body.is_empty() { "{}".to_owned() } else { body };
    http(s.addr, method, path, &headers, body.as_bytes()).await
}

async fn login(s: &Server, who: &Account) -> String {
    let body = form_body(&[("name", &who.name), ("token", &who.token)]);
    let reply =
        http(s.addr, "POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded")], body.as_bytes()).await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    reply.cookie().expect("a session cookie")
}

async fn post_form(s: &Server, cookie: &str, path: &str, fields: &[(&str, &str)]) -> support::HttpReply {
    let csrf = csrf_of(cookie);
    let mut fields = fields.to_vec();
    fields.push(("_csrf", &csrf));
    let origin = format!("http://{}", s.addr);
    let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie), ("Origin", &origin)];
    http(s.addr, "POST", path, &headers, form_body(&fields).as_bytes()).await
}

/// Polls the video until its status is no longer pending.
async fn settled(s: &Server, who: &Account, id: &str) -> Value {
    let started = Instant::now();
    loop {
        let reply = api(s, who, "GET", &format!("/api/drafts/{id}/video"), None).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let v = reply.json();
        if v["status"] != "pending" {
            return v;
        }
        assert!(started.elapsed() < Duration::from_secs(240), "the video of {id} never finished: {v}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The index of a sentence made from items (it has spans), and its text.
fn sentence_with_spans(view: &Value) -> (usize, String) {
    let sentences = view["script"]["sentences"].as_array().unwrap();
    let i = sentences.iter().position(|s| !s["spans"].as_array().unwrap().is_empty()).expect("a sentence with spans");
    (i, sentences[i]["written"].as_str().unwrap().to_owned())
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn probe(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.mp4");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0"])
        .arg(&path)
        .output()
        .expect("ffprobe is required: apt-get install ffmpeg");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn edit_render_play_and_approve(f: Fixture) {
    let s = server(&f, media("ffmpeg")).await;
    let id = f.draft_a.clone();
    let path = |p: &str| MediaAsset::api_path(&id, p);

    // The script before any render, and the department rule.
    let view = api(&s, &f.editor_a, "GET", &path("video"), None).await;
    assert_eq!(view.status, 200, "{}", view.text());
    let view = view.json();
    assert_eq!((view["status"].as_str(), view["script_revision"].as_i64()), (Some("none"), Some(0)));
    assert!(view["script"]["sentences"].as_array().unwrap().len() >= 3, "{view}");
    assert_eq!(api(&s, &f.editor_b, "GET", &path("video"), None).await.status, 403);

    // A number the source lacks is refused, in Chinese, naming the sentence; so is a stale base.
    let (k, written) = sentence_with_spans(&view);
    let bad =
        json!({"base_script_revision": 0, "sentences": [{"index": k, "written": format!("{written}每人9999元。")}]});
    let reply = api(&s, &f.editor_a, "POST", &path("script"), Some(bad)).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["code"], "not_in_source");
    assert!(body["error"].as_str().unwrap().contains("9999") && body["error"].as_str().unwrap().contains("原文"));
    assert_eq!(body["input"], format!("script.{k}.text"));
    let stale = json!({"base_script_revision": 4, "sentences": []});
    let reply = api(&s, &f.editor_a, "POST", &path("script"), Some(stale)).await;
    assert_eq!(reply.status, 409);
    assert!(reply.json()["error"].as_str().unwrap().contains("第 4 版"), "{}", reply.text());
    let reply =
        api(&s, &f.editor_a, "POST", &path("script"), Some(json!({"base_script_revision": 0, "bogus": 1}))).await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.json()["error"].as_str().unwrap().contains("口播稿"));

    // A faithful edit: a new opening, and one sentence fewer.
    let opening = view["script"]["sentences"][0]["written"].as_str().unwrap().replace("今天为您解读", "下面为您解读");
    let edit = json!({"base_script_revision": 0, "note": "改开场",
                      "sentences": [{"index": 0, "written": opening}, {"index": k, "remove": true}]});
    let reply = api(&s, &f.editor_a, "POST", &path("script"), Some(edit)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"script_revision": 1, "changed": true}));

    // Ask for the video: 202 and pending; asking again while it runs is refused.
    let reply = api(&s, &f.editor_a, "POST", &path("video"), None).await;
    assert_eq!(reply.status, 202, "{}", reply.text());
    assert_eq!(reply.json()["status"], "pending");
    let again = api(&s, &f.editor_a, "POST", &path("video"), None).await;
    assert_eq!(again.status, 409, "{}", again.text());
    assert!(again.json()["error"].as_str().unwrap().contains("正在生成"));
    let done = settled(&s, &f.editor_a, &id).await;
    assert_eq!(done["status"], "done", "{done}");
    let made = &done["record"]["made"];
    assert_eq!((made["script_revision"].as_i64(), made["content_revision"].as_i64()), (Some(1), Some(1)));
    assert!(made["duration_ms"].as_i64().unwrap() > 1000);
    assert_eq!(done["outdated"], false);

    // The files: an MP4 of the right shape, ranges for seeking, subtitles saying the edited opening.
    let mp4 = api(&s, &f.editor_a, "GET", &path("video.mp4"), None).await;
    assert_eq!((mp4.status, mp4.header("content-type")), (200, "video/mp4"));
    assert_eq!(&mp4.body[4..8], b"ftyp");
    let probed = probe(&mp4.body);
    assert!(probed.contains("h264,1080,1920") && probed.contains("aac"), "{probed}");
    let auth = format!("Bearer {}", f.editor_a.token);
    let part = http(s.addr, "GET", &path("video.mp4"), &[("Authorization", &auth), ("Range", "bytes=0-99")], b"").await;
    assert_eq!((part.status, part.body.len()), (206, 100));
    assert_eq!(part.header("content-range"), format!("bytes 0-99/{}", mp4.body.len()));
    let vtt = api(&s, &f.editor_a, "GET", &path("subtitles.vtt"), None).await.text();
    assert!(vtt.starts_with("WEBVTT") && vtt.contains("下面为您解读"), "{vtt}");
    assert_eq!(api(&s, &f.editor_a, "GET", &path("audio.m4a"), None).await.header("content-type"), "audio/mp4");
    assert_eq!(api(&s, &f.editor_b, "GET", &path("video.mp4"), None).await.status, 403);
    assert_eq!(api(&s, &f.editor_a, "GET", &path("video.webm"), None).await.status, 404);

    // The draft page plays it with the WebVTT track, under a CSP that lets same-origin media in.
    let cookie = login(&s, &f.editor_a).await;
    let page_path = format!("/drafts/{}", support::encode(&id));
    let page = http(s.addr, "GET", &page_path, &[("Cookie", &cookie)], b"").await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<video") && html.contains("<track kind=\"subtitles\"") && html.contains("subtitles.vtt"));
    assert!(html.contains("音视频解读") && html.contains("口播稿（第 1 版") && html.contains("下载音频解读"));
    assert!(page.header("content-security-policy").contains("media-src 'self'"));
    let file = http(s.addr, "GET", &format!("{page_path}/video.mp4"), &[("Cookie", &cookie)], b"").await;
    assert_eq!(file.body, mp4.body, "the page's player gets the stored MP4");

    // The page's form refuses an unfaithful sentence with 422, showing the reason and the input again.
    let field = "script.1.text";
    let form = [("base_script_revision", "1"), (field, "共发放88888元。")];
    let refused = post_form(&s, &cookie, &format!("{page_path}/script"), &form).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    let html = refused.text();
    assert!(html.contains("口播稿未保存") && html.contains("共发放88888元。") && html.contains("88888"), "{html}");

    // Approval publishes the video, made again without the draft mark, in draft.approved.
    let reply = api(&s, &f.editor_a, "POST", &format!("/api/drafts/{}/approve", support::encode(&id)), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let approved = settled(&s, &f.editor_a, &id).await;
    assert_eq!(approved["record"]["made"]["approved"], true, "{approved}");
    let published = api(&s, &f.editor_a, "GET", &path("video.mp4"), None).await.body;
    assert_ne!(published, mp4.body, "the approved video is drawn without the draft mark");
    let outbox = f.store().outbox_unsent(1000).await.unwrap();
    let row = outbox.iter().find(|r| r.routing_key == "draft.approved").expect("draft.approved queued");
    let event: Value = serde_json::from_str(&row.payload).unwrap();
    let video = &event["data"]["video"];
    assert_eq!(video["video"]["sha256"], sha256(&published));
    assert_eq!(video["video"]["path"], path("video.mp4"));
    assert_eq!(video["script_revision"], 1);
    let reply = api(&s, &f.editor_a, "POST", &path("video"), None).await;
    assert_eq!(reply.status, 409, "an approved draft's video is final: {}", reply.text());
}

async fn a_failed_render_is_shown_and_never_blocks_the_image(f: Fixture) {
    let s = server(&f, media("/nonexistent/ffmpeg")).await;
    let id = f.draft_b.clone();
    let path = |p: &str| MediaAsset::api_path(&id, p);
    assert_eq!(api(&s, &f.editor_b, "POST", &path("video"), None).await.status, 202);
    let failed = settled(&s, &f.editor_b, &id).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let reason = failed["reason"].as_str().unwrap();
    assert!(reason.contains("音视频环境未就绪") && reason.contains("ffmpeg"), "{reason}");
    assert_eq!(api(&s, &f.editor_b, "GET", &path("video.mp4"), None).await.status, 404);

    let cookie = login(&s, &f.editor_b).await;
    let page = http(s.addr, "GET", &format!("/drafts/{}", support::encode(&id)), &[("Cookie", &cookie)], b"").await;
    let html = page.text();
    assert!(html.contains("失败原因") && html.contains("生成视频") && !html.contains("<video"), "{html}");

    let reply = api(&s, &f.editor_b, "POST", &format!("/api/drafts/{}/approve", support::encode(&id)), None).await;
    assert_eq!(reply.status, 200, "the image draft is approved whatever its video: {}", reply.text());
    let outbox = f.store().outbox_unsent(1000).await.unwrap();
    let row = outbox.iter().find(|r| r.event_id == format!("draft.approved:{id}")).expect("draft.approved queued");
    assert!(!row.payload.contains("\"video\""), "no video to publish: {}", row.payload);
}

both_backends!(edit_render_play_and_approve, a_failed_render_is_shown_and_never_blocks_the_image);
