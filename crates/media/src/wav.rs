//! WAV (RIFF, linear PCM) read from what a speech engine wrote, concatenated, and written back.
//!
//! Durations come from the data, not the header's size fields: engines writing to a pipe (espeak-ng
//! `--stdout`, ffmpeg `-f wav -`) cannot seek back and leave placeholder sizes (`0x7ffff000`, `0xffffffff`),
//! so a chunk size past the end of the bytes means "up to the end".

use crate::MediaError;

/// PCM format of a WAV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits: u16,
}

impl Format {
    /// Bytes per sample frame (all channels).
    pub fn frame_bytes(&self) -> usize {
        usize::from(self.channels) * usize::from(self.bits / 8)
    }
}

/// Linear PCM audio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wav {
    pub format: Format,
    pub data: Vec<u8>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Wav {
    /// Parses a RIFF/WAVE file of 8-, 16-, 24- or 32-bit integer PCM (format tag 1 or WAVE_FORMAT_EXTENSIBLE).
    pub fn parse(bytes: &[u8], origin: &str) -> Result<Self, MediaError> {
        let bad = |why: &str| MediaError::BadAudio { origin: origin.to_string(), reason: why.to_string() };
        if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
            return Err(bad("not a RIFF/WAVE file (the backend must write WAV)"));
        }
        let mut at = 12;
        let mut format = None;
        while at + 8 <= bytes.len() {
            let id = &bytes[at..at + 4];
            let size = u32_at(bytes, at + 4) as usize;
            let body = at + 8;
            let end = body.saturating_add(size).min(bytes.len());
            match id {
                b"fmt " if end - body >= 16 => {
                    let tag = u16_at(bytes, body);
                    if tag != 1 && tag != 0xFFFE {
                        return Err(bad(&format!("format tag {tag} is not linear PCM")));
                    }
                    let f = Format {
                        channels: u16_at(bytes, body + 2),
                        sample_rate: u32_at(bytes, body + 4),
                        bits: u16_at(bytes, body + 14),
                    };
                    if f.channels == 0 || f.sample_rate == 0 || !matches!(f.bits, 8 | 16 | 24 | 32) {
                        return Err(bad(&format!("unsupported PCM format {f:?}")));
                    }
                    format = Some(f);
                }
                b"data" => {
                    let format = format.ok_or_else(|| bad("data chunk before fmt chunk"))?;
                    let mut data = bytes[body..end].to_vec();
                    data.truncate(data.len() / format.frame_bytes() * format.frame_bytes());
                    return Ok(Self { format, data });
                }
                _ => {}
            }
            at = end + (size & 1);
        }
        Err(bad("no data chunk"))
    }

    /// Sample frames.
    pub fn frames(&self) -> u64 {
        (self.data.len() / self.format.frame_bytes()) as u64
    }

    pub fn duration_secs(&self) -> f64 {
        self.frames() as f64 / f64::from(self.format.sample_rate)
    }

    /// Appends `other` (same format) and then `silence` sample frames.
    pub fn append(&mut self, other: &Wav, silence: u64) -> Result<(), MediaError> {
        if other.format != self.format {
            return Err(MediaError::BadAudio {
                origin: "speech backend".into(),
                reason: format!("phrases came back in different formats ({:?} and {:?})", self.format, other.format),
            });
        }
        self.data.extend_from_slice(&other.data);
        // 8-bit PCM is unsigned: its silence is 128.
        let fill = if self.format.bits == 8 { 128u8 } else { 0 };
        let n = silence as usize * self.format.frame_bytes();
        self.data.resize(self.data.len() + n, fill);
        Ok(())
    }

    /// The file: a 44-byte header with true sizes, then the data.
    pub fn to_bytes(&self) -> Vec<u8> {
        let f = self.format;
        let mut out = Vec::with_capacity(44 + self.data.len());
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&f.channels.to_le_bytes());
        out.extend_from_slice(&f.sample_rate.to_le_bytes());
        out.extend_from_slice(&(f.sample_rate * f.frame_bytes() as u32).to_le_bytes());
        out.extend_from_slice(&(f.frame_bytes() as u16).to_le_bytes());
        out.extend_from_slice(&f.bits.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&(self.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.data);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(frames: usize) -> Wav {
        let format = Format { sample_rate: 16000, channels: 1, bits: 16 };
        Wav { format, data: (0..frames).flat_map(|i| ((i % 50) as i16 * 100).to_le_bytes()).collect() }
    }

    #[test]
    fn round_trip_and_duration() {
        let w = tone(8000);
        let back = Wav::parse(&w.to_bytes(), "test").expect("parses");
        assert_eq!(back, w);
        assert_eq!(back.frames(), 8000);
        assert!((back.duration_secs() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn streamed_headers_with_placeholder_sizes_use_the_bytes_present() {
        let mut bytes = tone(1600).to_bytes();
        bytes[4..8].copy_from_slice(&0x7fff_f000u32.to_le_bytes());
        bytes[40..44].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
        assert_eq!(Wav::parse(&bytes, "test").expect("parses").frames(), 1600);
    }

    #[test]
    fn append_adds_silence_and_refuses_other_formats() {
        let mut a = tone(100);
        a.append(&tone(50), 25).expect("same format");
        assert_eq!(a.frames(), 175);
        let mut other = tone(10);
        other.format.sample_rate = 22050;
        assert!(a.append(&other, 0).is_err());
        assert!(Wav::parse(b"not a wav file at all", "x").is_err());
    }
}
