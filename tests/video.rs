//! `tujie video` end to end with the real espeak-ng and ffmpeg: for every policy of the dev fixtures, an MP4
//! and an M4A that ffprobe reads as a 1080×1920 H.264 + AAC video and an AAC audio of the narration's length,
//! subtitles that cover the speech without overlaps, and no number in the script or subtitles that the source
//! lacks. Fails (never skips) when espeak-ng, ffmpeg or ffprobe is missing, saying how to install them.

use std::path::{Path, PathBuf};
use std::process::Command;

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
