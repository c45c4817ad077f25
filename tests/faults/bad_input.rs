//! The bad-input case of the fault suite (a module of `tests/faults.rs`, so `scripts/faults.sh` runs it): bad
//! messages published through the real broker, interleaved with good events, to a real `tujie worker` that may
//! fetch from a loopback HTTP server serving a PDF bomb and a zip-bomb DOCX.
//!
//! Each bad message must end in the dead-letter queue with its reason header (or, when it is a valid event with
//! hostile content, be processed once and harmlessly); the worker must not crash; every good event around them is
//! processed exactly once; the worker's peak resident memory (VmHWM) is printed in the row.
//!
//! What the normal test command already covers is not repeated here at length: `tests/queue_e2e.rs` dead-letters
//! one malformed and one schema-breaking message, `tests/http_intake.rs` checks the HTTP intake's per-line errors
//! and its 413.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{DRAIN_LIMIT, settle, stream, wait_drained, world};
use crate::support::policy_variants;

/// What must become of one bad input.
enum Fate {
    /// Dead-lettered at once with this `x-tujie-reason`.
    Dead(&'static str),
    /// A valid event with hostile content: processed once. `draft` says whether its policy must get a draft;
    /// `reason` is the start of the recorded reason for having none.
    Applied { event_id: String, policy_id: String, draft: bool, reason: Option<&'static str> },
}

struct Bad {
    label: &'static str,
    body: Vec<u8>,
    fate: Fate,
}

/// Peak resident set of a process, in KiB (`VmHWM` in `/proc/<pid>/status`).
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("cannot read /proc/{pid}/status (has the worker exited?): {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in /proc/{pid}/status"))
}

/// Bytes that are neither JSON nor text (xorshift, fixed seed).
fn garbage(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A one-page PDF whose content stream inflates to `size` bytes of blanks: small to download, huge to read.
fn pdf_bomb(size: usize) -> Vec<u8> {
    use flate2::{Compression, write::ZlibEncoder};
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() {
        z.write_all(&chunk).unwrap();
    }
    let stream = z.finish().unwrap();
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: [Vec<u8>; 4] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>".to_vec(),
        [
            format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// A DOCX whose `word/document.xml` inflates to `size` bytes of empty paragraphs.
fn docx_bomb(size: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>")
        .unwrap();
    let unit = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>";
    let chunk: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * 30_000).collect();
    for _ in 0..size / chunk.len() {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"</w:body></w:document>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// Serves `files` (path → (media type, bytes)) on 127.0.0.1, port 0, one request per connection, until the test
/// process ends; each body is sent in 100 pieces spread over `pace` (zero: at once). Returns the base URL.
fn serve_files(files: Vec<(&'static str, &'static str, Vec<u8>)>, pace: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files = std::sync::Arc::new(files);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let files = files.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).map(|n| n == 1).unwrap_or(false) {
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or("/");
                let Some((_, media, body)) = files.iter().find(|(p, _, _)| *p == path) else {
                    let _ = conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {media}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                if conn.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let piece = body.len().div_ceil(100).max(1);
                for chunk in body.chunks(piece) {
                    if conn.write_all(chunk).is_err() {
                        return;
                    }
                    std::thread::sleep(pace / 100);
                }
            });
        }
    });
    base
}

/// Serves one file at `path`, sent a little at a time over `pace`: a slow attachment server. Returns the base URL.
pub(super) fn serve_slowly(path: &'static str, media: &'static str, body: Vec<u8>, pace: Duration) -> String {
    serve_files(vec![(path, media, body)], pace)
}

/// The bad inputs; `base` is a good policy event to vary, `files` the URL of the bomb server.
fn bad_inputs(base: &Value, files: &str) -> Vec<Bad> {
    let variant = |id: &str, change: &dyn Fn(&mut Value)| -> Value {
        let mut e = base.clone();
        e["event_id"] = Value::String(format!("e-bad-{id}"));
        e["document"]["id"] = Value::String(format!("d-bad-{id}"));
        change(&mut e);
        e
    };
    let bytes = |v: &Value| serde_json::to_vec(v).unwrap();
    let applied = |id: &str, draft: bool, reason: Option<&'static str>| Fate::Applied {
        event_id: format!("e-bad-{id}"),
        policy_id: format!("d-bad-{id}"),
        draft,
        reason,
    };
    let body_text = base["document"]["body_text"].as_str().unwrap().to_owned();

    let mut invalid_utf8 = bytes(&variant("utf8", &|e| e["document"]["title"] = "TITLE@@HERE".into()));
    let at = invalid_utf8.windows(11).position(|w| w == b"TITLE@@HERE").unwrap();
    invalid_utf8.splice(at..at + 11, b"\xff\xfe\xc3\x28 \xe6\x94".iter().copied());

    let nested_html = {
        let depth = 20_000;
        let paragraphs: String = body_text.lines().map(|l| format!("<p>{l}</p>")).collect();
        format!("<html><body>{}{paragraphs}{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth))
    };
    let bodiless = |id: &str, file: &str| {
        variant(id, &|e| {
            let doc = e["document"].as_object_mut().unwrap();
            doc.remove("body_text");
            doc.remove("body_html");
            doc.remove("url");
            doc.insert("attachments".into(), json!([{ "url": format!("{files}/{file}") }]));
        })
    };

    vec![
        Bad {
            label: "malformed JSON",
            body: b"{\"event_id\": \"e-bad-json\", \"type\": \"policy.published\", \"document\": {".to_vec(),
            fate: Fate::Dead("malformed_json"),
        },
        Bad {
            label: "wrong types",
            body: bytes(&variant("types", &|e| {
                e["document"]["title"] = json!(["标题"]);
                e["document"]["published_at"] = json!(20230101);
                e["document"]["attachments"] = json!("not a list");
            })),
            fate: Fate::Dead("schema_violation"),
        },
        Bad {
            label: "missing fields",
            body: bytes(&json!({"event_id": "e-bad-missing", "type": "policy.published"})),
            fate: Fate::Dead("schema_violation"),
        },
        Bad { label: "not an object", body: b"\"policy.published\"".to_vec(), fate: Fate::Dead("schema_violation") },
        Bad {
            label: "20 MB body",
            body: bytes(&variant("huge", &|e| e["document"]["body_text"] = "政策".repeat((20 << 20) / 6).into())),
            fate: Fate::Dead("too_large"),
        },
        Bad { label: "binary garbage", body: garbage(64 << 10), fate: Fate::Dead("malformed_json") },
        Bad { label: "invalid UTF-8", body: invalid_utf8, fate: Fate::Dead("malformed_json") },
        Bad {
            label: "JSON nested 100,000 deep",
            body: [b"[".repeat(100_000), b"]".repeat(100_000)].concat(),
            fate: Fate::Dead("malformed_json"),
        },
        Bad {
            label: "date 2023-02-30",
            body: bytes(&variant("date", &|e| e["document"]["published_at"] = "2023-02-30".into())),
            fate: Fate::Dead("schema_violation"),
        },
        Bad {
            label: "unknown event type",
            body: bytes(&variant("type", &|e| e["type"] = "policy.updated".into())),
            fate: Fate::Dead("schema_violation"),
        },
        Bad {
            label: "title of markup and SVG injection",
            body: bytes(&variant("markup", &|e| {
                e["document"]["title"] = "<script>alert(1)</script><svg onload=\"alert(1)\">]]><![CDATA[</text>\
                    &amp;&#x3C;&lt;育儿补贴<img src=x onerror=alert(1)>实施方案</svg>"
                    .into();
                e["document"]["issuer"] = "<style>*{display:none}</style>卫健委".into();
            })),
            fate: applied("markup", true, None),
        },
        Bad {
            label: "body_html nested 20,000 deep",
            body: bytes(&variant("nested", &|e| {
                let doc = e["document"].as_object_mut().unwrap();
                doc.remove("body_text");
                doc.insert("body_html".into(), nested_html.clone().into());
            })),
            fate: applied("nested", false, None),
        },
        Bad {
            label: "PDF bomb (1 GiB content stream)",
            body: bytes(&bodiless("pdf", "bomb.pdf")),
            fate: applied("pdf", false, Some("fetch_failed")),
        },
        Bad {
            label: "zip-bomb DOCX (150 MiB document.xml)",
            body: bytes(&bodiless("docx", "bomb.docx")),
            fate: applied("docx", false, Some("fetch_failed")),
        },
    ]
}

/// Bad inputs interleaved with 60 good events, one worker, and what became of each.
#[test]
fn bad_input_among_good_events() {
    let mut env = world();
    env.set_env("TUJIE__FETCH__HOSTS", "[\"127.0.0.1\"]")
        .set_env("TUJIE__FETCH__PRIVATE_HOSTS", "[\"127.0.0.1\"]")
        .set_env("TUJIE__FETCH__RETRY_DELAYS_MS", "[10]");
    let made = Instant::now();
    let files = serve_files(
        vec![
            ("/bomb.pdf", "application/pdf", pdf_bomb(1 << 30)),
            (
                "/bomb.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                docx_bomb(150 << 20),
            ),
        ],
        Duration::ZERO,
    );
    eprintln!("bombs made in {:.1} s", made.elapsed().as_secs_f64());
    let base = policy_variants("bad-base", 1).remove(0);
    let bads = bad_inputs(&base, &files);
    let (goods, mut policies) = stream("bad", 60);

    // Good, bad, good, bad, …, then the rest of the good ones.
    let mut order: Vec<Vec<u8>> = Vec::new();
    for (i, good) in goods.iter().enumerate() {
        order.push(serde_json::to_vec(good).unwrap());
        if let Some(bad) = bads.get(i) {
            order.push(bad.body.clone());
        }
    }
    for body in &order {
        env.publish_raw("policy.published", body);
    }
    let mut expected: BTreeSet<String> = goods.iter().map(|e| e["event_id"].as_str().unwrap().to_owned()).collect();
    let mut dead_expected = 0;
    for bad in &bads {
        match &bad.fate {
            Fate::Dead(_) => dead_expected += 1,
            Fate::Applied { event_id, policy_id, draft, .. } => {
                expected.insert(event_id.clone());
                if *draft {
                    policies.push(policy_id.clone());
                }
            }
        }
    }
    policies.sort();

    let started = Instant::now();
    let worker = env.spawn("worker-1", &["worker"]);
    wait_drained(&env, expected.len(), &[&worker]);
    let drain = started.elapsed();
    let peak = peak_kib(worker.id());
    super::stop_all(vec![worker]);

    let note = format!("{} bad among {} good; worker peak RSS (VmHWM) {} MiB", bads.len(), goods.len(), peak / 1024);
    let row = settle(&env, "bad input, 1 worker", &expected, &policies, drain, note, dead_expected);

    let dead = env.drain(&env.amqp_config().dead_queue());
    for bad in &bads {
        let found = dead.iter().find(|m| m.body == bad.body);
        match &bad.fate {
            Fate::Dead(reason) => {
                let m = found.unwrap_or_else(|| panic!("{}: not in the dead-letter queue", bad.label));
                assert_eq!(m.headers.get("x-tujie-reason").map(String::as_str), Some(*reason), "{}", bad.label);
                let error = m.headers.get("x-tujie-error").cloned().unwrap_or_default();
                assert!(!error.trim().is_empty(), "{}: no x-tujie-error", bad.label);
                println!("BAD-INPUT|{}|dead-lettered: {reason}|{}", bad.label, one_line(&error, 140));
            }
            Fate::Applied { event_id, policy_id, draft, reason } => {
                assert!(found.is_none(), "{}: dead-lettered though it is a valid event", bad.label);
                let recorded = env
                    .strings(&format!("SELECT COALESCE(draft_reason, '') FROM documents WHERE id = '{policy_id}'"))
                    .pop()
                    .unwrap_or_else(|| panic!("{}: event {event_id} stored no document", bad.label));
                let drafts = env.count(&format!("SELECT COUNT(*) FROM drafts WHERE policy_id = '{policy_id}'"));
                if *draft {
                    assert_eq!(drafts, 1, "{}: one draft ({recorded})", bad.label);
                }
                if let Some(start) = reason {
                    assert!(recorded.starts_with(start), "{}: recorded reason `{recorded}`", bad.label);
                }
                let outcome = if drafts > 0 { "processed: draft".to_owned() } else { "processed: no draft".into() };
                println!("BAD-INPUT|{}|{outcome}|{}", bad.label, one_line(&recorded, 140));
            }
        }
    }
    // A hostile title must never reach the draft's SVG as markup: as escaped text it is harmless, so only tags count.
    let svgs = env.strings("SELECT svg FROM drafts WHERE policy_id = 'd-bad-markup'");
    assert_eq!(svgs.len(), 1, "the markup title's draft");
    for tag in svgs[0].split('<').skip(1).map(|t| t.split('>').next().unwrap_or("").to_lowercase()) {
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        assert!(
            !["script", "img", "style", "![cdata["].iter().any(|n| name.starts_with(n))
                && !tag.contains("onload")
                && !tag.contains("onerror"),
            "the draft's SVG has a tag from the title: <{tag}>"
        );
    }
    assert!(svgs[0].contains("&lt;script&gt;") || svgs[0].contains("&lt;"), "the title's markup is shown as text");
    assert_eq!(dead.len() as u32, row.dead, "every dead letter is one of the bad inputs");
    assert!(drain < DRAIN_LIMIT);
    // Bounded: each bomb expands to at most 32 MiB in the fetcher, the 20 MB message is refused unparsed.
    assert!(peak < 1 << 20, "the worker's peak resident memory was {} MiB", peak / 1024);
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c == '\n' || c == '|' { ' ' } else { c }).collect();
    if flat.chars().count() <= max { flat } else { flat.chars().take(max).collect::<String>() + "…" }
}
