//! The forms an interpretation can take, and which of them count as "rich" (图解, 音视频, 漫画, H5).

use serde::{Deserialize, Serialize};

/// The form of an interpretation, as in the event contract's `form` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    Text,
    Graphic,
    Video,
    Audio,
    Comic,
    H5,
}

impl Form {
    pub const ALL: [Form; 6] = [Form::Text, Form::Graphic, Form::Video, Form::Audio, Form::Comic, Form::H5];

    /// Rich forms are the ones inspections count as 多元化解读; a text-only interpretation does not close the gap.
    pub fn is_rich(self) -> bool {
        !matches!(self, Form::Text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Form::Text => "text",
            Form::Graphic => "graphic",
            Form::Video => "video",
            Form::Audio => "audio",
            Form::Comic => "comic",
            Form::H5 => "h5",
        }
    }

    pub fn parse(s: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
