//! Subtitles timed from the audio: one cue per phrase, SRT and WebVTT.
//!
//! Each phrase is synthesised on its own, so its duration is known exactly (in samples). The narration is the
//! phrases in order with `pause` samples of silence after each sentence but the last; a cue starts where its
//! phrase starts and lasts until the next cue starts (the pause belongs to the cue before it), so cues never
//! overlap and leave no gap inside the speech. Times are computed from cumulative sample counts, so rounding
//! never accumulates.

use serde::Serialize;

use crate::phrases::wrap;
use crate::script::{Script, Slide};

/// One subtitle cue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    /// At most about `line_chars` characters each; two lines for a full phrase.
    pub lines: Vec<String>,
    pub slide: Slide,
    /// Index of the sentence in the script.
    pub sentence: usize,
}

/// The phrase durations do not fit the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountMismatch {
    pub phrases: usize,
    pub durations: usize,
}

impl std::fmt::Display for CountMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the script has {} phrases but {} durations were given", self.phrases, self.durations)
    }
}

impl std::error::Error for CountMismatch {}

/// Where each phrase starts, in samples, and the total length: the arithmetic the audio track and the cues share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub sample_rate: u32,
    /// Start of each phrase, in samples.
    pub starts: Vec<u64>,
    /// Silence appended after each phrase (the sentence pause after a sentence's last phrase, else 0).
    pub pauses: Vec<u64>,
    pub total: u64,
}

impl Timeline {
    /// Lays the phrases of `script` end to end: `durations[i]` samples of phrase `i`, then `pause` samples after
    /// each sentence but the last.
    pub fn new(script: &Script, durations: &[u64], pause: u64, sample_rate: u32) -> Result<Self, CountMismatch> {
        let owners: Vec<usize> = script.phrases().map(|(s, _)| s).collect();
        if owners.len() != durations.len() {
            return Err(CountMismatch { phrases: owners.len(), durations: durations.len() });
        }
        let mut starts = Vec::with_capacity(durations.len());
        let mut pauses = Vec::with_capacity(durations.len());
        let mut at = 0u64;
        for (i, d) in durations.iter().enumerate() {
            starts.push(at);
            let last_of_sentence = owners.get(i + 1).is_some_and(|&next| next != owners[i]);
            let p = if last_of_sentence { pause } else { 0 };
            pauses.push(p);
            at += d + p;
        }
        Ok(Self { sample_rate: sample_rate.max(1), starts, pauses, total: at })
    }

    /// Samples → milliseconds, rounded.
    pub fn ms(&self, samples: u64) -> u64 {
        (samples * 1000 + u64::from(self.sample_rate) / 2) / u64::from(self.sample_rate)
    }

    pub fn total_ms(&self) -> u64 {
        self.ms(self.total)
    }
}

/// The cues of `script` on `timeline`, lines wrapped at `line_chars`; the sentence's closing punctuation is not
/// shown, as in broadcast subtitles.
pub fn cues(script: &Script, timeline: &Timeline, line_chars: usize) -> Vec<Cue> {
    let phrases: Vec<_> = script.phrases().collect();
    phrases
        .iter()
        .enumerate()
        .map(|(i, (s, p))| {
            let end = timeline.starts.get(i + 1).copied().unwrap_or(timeline.total);
            let shown = p.written.trim_end_matches(['。', '，', '；', '、', '：', ',', ';']);
            Cue {
                start_ms: timeline.ms(timeline.starts[i]),
                end_ms: timeline.ms(end),
                lines: wrap(shown, line_chars),
                slide: script.sentences[*s].slide,
                sentence: *s,
            }
        })
        .collect()
}

/// Consecutive cues on the same slide merged: `(slide, start_ms, end_ms)`, covering the narration.
pub fn slide_times(cues: &[Cue]) -> Vec<(Slide, u64, u64)> {
    let mut out: Vec<(Slide, u64, u64)> = Vec::new();
    for c in cues {
        match out.last_mut() {
            Some(last) if last.0 == c.slide => last.2 = c.end_ms,
            _ => out.push((c.slide, c.start_ms, c.end_ms)),
        }
    }
    out
}

fn stamp(ms: u64, sep: char) -> String {
    format!("{:02}:{:02}:{:02}{sep}{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// SubRip.
pub fn srt(cues: &[Cue]) -> String {
    numbered(cues, "", ',')
}

/// WebVTT.
pub fn vtt(cues: &[Cue]) -> String {
    numbered(cues, "WEBVTT\n\n", '.')
}

/// Both formats: numbered cues, `start --> end`, the lines, a blank line; they differ in the header and the
/// millisecond separator.
fn numbered(cues: &[Cue], header: &str, sep: char) -> String {
    let mut out = String::from(header);
    for (i, c) in cues.iter().enumerate() {
        let (start, end) = (stamp(c.start_ms, sep), stamp(c.end_ms, sep));
        out.push_str(&format!("{}\n{start} --> {end}\n{}\n\n", i + 1, c.lines.join("\n")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(start_ms: u64, end_ms: u64, lines: &[&str]) -> Cue {
        Cue { start_ms, end_ms, lines: lines.iter().map(|l| l.to_string()).collect(), slide: Slide::Title, sentence: 0 }
    }

    #[test]
    fn srt_and_webvtt_spell_times_their_own_way() {
        let cues = [cue(0, 1500, &["第一行", "第二行"]), cue(1500, 3_723_004, &["一行"])];
        assert_eq!(
            srt(&cues),
            "1\n00:00:00,000 --> 00:00:01,500\n第一行\n第二行\n\n2\n00:00:01,500 --> 01:02:03,004\n一行\n\n"
        );
        assert_eq!(
            vtt(&cues),
            "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\n第一行\n第二行\n\n2\n00:00:01.500 --> 01:02:03.004\n一行\n\n"
        );
    }
}
