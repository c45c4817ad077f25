//! The timing arithmetic, exactly: a fake `command` backend (a shell script that answers every phrase with a
//! tone of 160 samples at 16 kHz per byte of text, made by ffmpeg) lets the test know every phrase's length, so
//! each cue's start and end, the narration WAV's length and the subtitle files are checked to the millisecond.

use tujie_media::{MediaConfig, TtsBackend, Wav, from_config, video};
use tujie_narrate::{Script, ScriptOptions};
use tujie_render::{Mode, RenderConfig, Renderer};

const RATE: u64 = 16_000;
const SAMPLES_PER_BYTE: u64 = 160;

fn fake_backend() -> MediaConfig {
    let script = format!(
        "n=$(wc -c); ffmpeg -hide_banner -loglevel error -f lavfi -i sine=frequency=440:sample_rate={RATE} \
         -af atrim=end_sample=$((n*{SAMPLES_PER_BYTE})) -ac 1 -c:a pcm_s16le -f wav -"
    );
    MediaConfig {
        tts: TtsBackend::Command,
        command: vec!["sh".into(), "-c".into(), script],
        max_items_per_section: 1,
        x264_preset: "ultrafast".into(),
        ..MediaConfig::default()
    }
}

fn content() -> (tujie_model::InfographicContent, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/dev/docs/fujian_2025_yuer_butie_zhidu_shishifangan.txt"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let doc = tujie_text::document_from_plain_text("fujian", &text);
    let x = tujie_text::extract(&doc, &tujie_text::TextConfig::default()).expect("extract");
    (x.content, x.source_text)
}

/// Start and end (ms) of every cue from the phrase lengths, computed independently of the crate.
fn expected(script: &Script, pause_ms: u64) -> Vec<(u64, u64)> {
    let pause = pause_ms * RATE / 1000;
    let phrases: Vec<(usize, u64)> =
        script.phrases().map(|(s, p)| (s, p.spoken.len() as u64 * SAMPLES_PER_BYTE)).collect();
    let mut at = 0;
    let mut starts = Vec::new();
    for (i, (s, len)) in phrases.iter().enumerate() {
        starts.push(at);
        at += len;
        if phrases.get(i + 1).is_some_and(|(next, _)| next != s) {
            at += pause;
        }
    }
    let ms = |samples: u64| (samples * 1000 + RATE / 2) / RATE;
    (0..starts.len()).map(|i| (ms(starts[i]), ms(starts.get(i + 1).copied().unwrap_or(at)))).collect()
}

#[test]
fn cues_follow_the_measured_phrase_lengths_exactly() {
    let cfg = fake_backend();
    let (content, source) = content();
    let renderer = Renderer::new(RenderConfig::default(), Vec::new()).expect("renderer");
    let dir = tempfile::tempdir().expect("tempdir");
    let tts = from_config(&cfg);
    let req = video::Request {
        content: &content,
        source_text: Some(&source),
        site: None,
        mode: Mode::Draft,
        out_dir: dir.path(),
        script: None,
    };
    let made = video::make(&cfg, tts.as_ref(), &renderer, &req).expect("video made with the fake backend");

    let opts = ScriptOptions { max_items_per_section: cfg.max_items_per_section, line_chars: cfg.line_chars };
    assert_eq!(made.script, tujie_narrate::build(&content, &opts));
    let got: Vec<(u64, u64)> = made.cues.iter().map(|c| (c.start_ms, c.end_ms)).collect();
    assert_eq!(got, expected(&made.script, cfg.sentence_pause_ms));

    let wav =
        Wav::parse(&std::fs::read(dir.path().join(video::WAV)).expect("narration.wav"), "narration").expect("wav");
    assert_eq!(wav.format.sample_rate as u64, RATE);
    assert_eq!((wav.frames() * 1000 + RATE / 2) / RATE, made.duration_ms);
    assert_eq!(got.last().map(|c| c.1), Some(made.duration_ms));

    let srt = std::fs::read_to_string(dir.path().join(video::SRT)).expect("srt");
    assert_eq!(srt.matches(" --> ").count(), made.cues.len());
    for name in [video::SCRIPT_TXT, video::VTT, video::M4A, video::MP4] {
        let len = std::fs::metadata(dir.path().join(name)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{name} was not written");
    }
}

#[test]
fn a_missing_backend_program_is_named_with_its_key() {
    let cfg = MediaConfig {
        tts: TtsBackend::Command,
        command: vec!["/nonexistent/tts-engine".into()],
        ..MediaConfig::default()
    };
    let err = from_config(&cfg).synthesize("你好").expect_err("no such program");
    let msg = err.to_string();
    assert!(msg.contains("/nonexistent/tts-engine") && msg.contains("media.command"), "{msg}");
    assert!(err.is_setup());
}

/// The `http` backend against a real socket: a one-connection server that checks the POSTed text and answers
/// with a chunked WAV of known length.
#[test]
fn http_backend_posts_the_text_and_reads_the_wav() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let frames = 4321usize;
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().expect("accept");
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // Read until the body announced by Content-Length has arrived.
        loop {
            let n = conn.read(&mut buf).expect("read");
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                    })
                    .expect("content-length");
                if body.len() >= len || n == 0 {
                    break;
                }
            }
        }
        let wav = Wav {
            format: tujie_media::Format { sample_rate: 16000, channels: 1, bits: 16 },
            data: vec![0; frames * 2],
        }
        .to_bytes();
        let (first, rest) = wav.split_at(100);
        let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for chunk in [first, rest] {
            answer.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            answer.extend_from_slice(chunk);
            answer.extend_from_slice(b"\r\n");
        }
        answer.extend_from_slice(b"0\r\n\r\n");
        conn.write_all(&answer).expect("answer");
        String::from_utf8_lossy(&request).into_owned()
    });
    let cfg = MediaConfig { tts: TtsBackend::Http, http_url: format!("http://{addr}/tts"), ..MediaConfig::default() };
    assert!(cfg.validate().is_empty());
    let wav = from_config(&cfg).synthesize("每孩每年三千六百元。").expect("wav from the service");
    assert_eq!(wav.frames(), frames as u64);
    let request = server.join().expect("server");
    assert!(request.starts_with("POST /tts HTTP/1.1\r\n"), "{request}");
    assert!(request.ends_with("每孩每年三千六百元。"), "{request}");
}
