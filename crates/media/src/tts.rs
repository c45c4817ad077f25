//! Speech: the [`Tts`] trait and its backends. Each phrase is synthesised on its own, so its duration (from
//! the WAV's sample count) times its subtitle cue exactly.
//!
//! - [`Process`] runs a program that reads the text on stdin and writes WAV on stdout: espeak-ng (`-v cmn
//!   --stdout`, the offline default) and any engine a county has licensed (`tts = "command"`).
//! - [`Http`] POSTs the text to a service on the intranet and reads WAV back: plain HTTP/1.1 over a
//!   `std::net` socket (`Content-Length` or chunked answers), no client library.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::config::{MediaConfig, TtsBackend};
use crate::{MediaError, Wav};

/// A speech engine: text in, linear-PCM WAV out.
pub trait Tts: Send + Sync + std::fmt::Debug {
    /// The backend's name for messages.
    fn name(&self) -> &str;
    fn synthesize(&self, text: &str) -> Result<Wav, MediaError>;
}

/// The backend `cfg` selects (validate `cfg` first).
pub fn from_config(cfg: &MediaConfig) -> Box<dyn Tts> {
    match cfg.tts {
        TtsBackend::EspeakNg => Box::new(Process {
            name: "espeak-ng".into(),
            key: "espeak_program",
            argv: vec![
                cfg.espeak_program.clone(),
                "-v".into(),
                cfg.voice.clone(),
                "-s".into(),
                cfg.rate_wpm.to_string(),
                "--stdout".into(),
            ],
            install: "install it with `apt-get install espeak-ng` (Debian) or set media.tts to another backend".into(),
        }),
        TtsBackend::Command => Box::new(Process {
            name: "command".into(),
            key: "command",
            argv: cfg.command.clone(),
            install: "media.command must name an installed program that reads text on stdin and writes WAV".into(),
        }),
        TtsBackend::Http => {
            Box::new(Http { url: cfg.http_url.clone(), timeout: Duration::from_secs(cfg.http_timeout_secs) })
        }
    }
}

/// A program reading text on stdin and writing WAV on stdout.
#[derive(Debug, Clone)]
pub struct Process {
    pub name: String,
    /// The configuration key naming the program, for messages.
    pub key: &'static str,
    /// Program and arguments.
    pub argv: Vec<String>,
    /// What to do when the program is missing.
    pub install: String,
}

impl Tts for Process {
    fn name(&self) -> &str {
        &self.name
    }

    fn synthesize(&self, text: &str) -> Result<Wav, MediaError> {
        let (program, args) =
            self.argv.split_first().ok_or_else(|| MediaError::Config(vec![(self.key.into(), "is empty".into())]))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    MediaError::MissingTool { program: program.clone(), key: self.key, install: self.install.clone() }
                }
                _ => self.failed(format!("cannot start {program}: {e}")),
            })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = text.as_bytes().to_vec();
        // Written from a thread so a program that answers before reading all its input cannot deadlock us.
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().map_err(|e| self.failed(format!("{program}: {e}")))?;
        let _ = writer.join();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(self.failed(format!("{program} exited with {}: {}", out.status, tail(&err))));
        }
        Wav::parse(&out.stdout, &format!("`{program}` ({})", self.name))
    }
}

impl Process {
    fn failed(&self, reason: String) -> MediaError {
        MediaError::Tts { backend: self.name.clone(), reason, retryable: false }
    }
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.trim().lines().collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

/// A speech service: `POST url` with the text as `text/plain; charset=utf-8`, answering `200` with WAV.
#[derive(Debug, Clone)]
pub struct Http {
    pub url: String,
    pub timeout: Duration,
}

impl Tts for Http {
    fn name(&self) -> &str {
        "http"
    }

    fn synthesize(&self, text: &str) -> Result<Wav, MediaError> {
        let fail = |reason: String, retryable: bool| MediaError::Tts { backend: "http".into(), reason, retryable };
        let rest = self.url.strip_prefix("http://").ok_or_else(|| {
            MediaError::Config(vec![("http_url".into(), format!("`{}` is not an http:// URL", self.url))])
        })?;
        let (authority, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
        let host_port = if authority.contains(':') { authority.to_string() } else { format!("{authority}:80") };
        let addr = host_port
            .to_socket_addrs()
            .map_err(|e| fail(format!("cannot resolve {host_port}: {e}"), true))?
            .next()
            .ok_or_else(|| fail(format!("{host_port} has no address"), true))?;
        let mut stream = TcpStream::connect_timeout(&addr, self.timeout)
            .map_err(|e| fail(format!("cannot connect to {addr}: {e}"), true))?;
        stream
            .set_read_timeout(Some(self.timeout))
            .and_then(|()| stream.set_write_timeout(Some(self.timeout)))
            .map_err(|e| fail(e.to_string(), true))?;
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/plain; charset=utf-8\r\nAccept: audio/wav\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            text.len()
        );
        stream
            .write_all(request.as_bytes())
            .and_then(|()| stream.write_all(text.as_bytes()))
            .map_err(|e| fail(format!("cannot send to {}: {e}", self.url), true))?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).map_err(|e| fail(format!("no answer from {}: {e}", self.url), true))?;
        let (status, body) = parse_response(&response).map_err(|why| fail(why, false))?;
        if !(200..300).contains(&status) {
            let retryable = status >= 500 || status == 429;
            return Err(fail(
                format!("{} answered {status}: {}", self.url, tail(&String::from_utf8_lossy(&body))),
                retryable,
            ));
        }
        Wav::parse(&body, &self.url)
    }
}

/// Status and body of an HTTP/1.1 response read to the end (`Content-Length`, chunked, or until close).
pub(crate) fn parse_response(bytes: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n").ok_or("the answer has no HTTP header")?;
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("the answer has no HTTP status line")?;
    let header = |name: &str| {
        head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_ascii_lowercase())
        })
    };
    let body = &bytes[head_end + 4..];
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        return dechunk(body).map(|b| (status, b));
    }
    match header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        Some(n) if n <= body.len() => Ok((status, body[..n].to_vec())),
        Some(n) => Err(format!("the answer was cut: {} of {n} bytes", body.len())),
        None => Ok((status, body.to_vec())),
    }
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").ok_or("bad chunked encoding")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size `{size_text}`"))?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if body.len() < size {
            return Err("the chunked answer was cut".into());
        }
        out.extend_from_slice(&body[..size]);
        body = body.get(size + 2..).unwrap_or(&[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_with_length_chunks_or_close() {
        let r = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef";
        assert_eq!(parse_response(r), Ok((200, b"abc".to_vec())));
        let r = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(r), Ok((200, b"abcde".to_vec())));
        let r = b"HTTP/1.0 503 Busy\r\n\r\nlater";
        assert_eq!(parse_response(r), Ok((503, b"later".to_vec())));
        assert!(parse_response(b"garbage").is_err());
    }
}
