//! [`NoDraftReason`]: why a policy has no draft, as `tujie coverage`, the report and the workspace show it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a policy that appears in coverage has no pending or approved draft.
///
/// Written as one short line, `kind` or `kind: detail`, the way it is stored and printed: `no_text`,
/// `fetch_failed: 404 Not Found from https://…`, `render_failed: …`, `covered_by: <interpretation id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoDraftReason {
    /// The event carried no body, and no text could be fetched for it (no URL or attachment, or fetching is off).
    NoText,
    /// Fetching the text from the CMS failed after its retries; the detail says what and where.
    FetchFailed(String),
    /// There is text, but it could not be used (for example over `[text] max_input_bytes`).
    TextUnusable(String),
    /// Rendering the draft failed; retrying cannot help because rendering is deterministic.
    RenderFailed(String),
    /// A rich interpretation (图解, video, …) already covers the policy: the id of that interpretation.
    CoveredBy(String),
    /// The editors rejected the draft made for the current text: its id.
    Rejected(String),
    /// Drafts are switched off (`tujie ingest --no-drafts`, `[pipeline] drafts = false`).
    DraftsOff,
    /// The policy has text and needs a draft that no event has asked for yet (its only rich interpretation was
    /// withdrawn, or it was stored before reasons were recorded): the next reconciliation pass makes it.
    AwaitingDraft,
}

impl NoDraftReason {
    /// The kind alone, e.g. `fetch_failed`: what reports count by.
    pub fn kind(&self) -> &'static str {
        match self {
            NoDraftReason::NoText => "no_text",
            NoDraftReason::FetchFailed(_) => "fetch_failed",
            NoDraftReason::TextUnusable(_) => "text_unusable",
            NoDraftReason::RenderFailed(_) => "render_failed",
            NoDraftReason::CoveredBy(_) => "covered_by",
            NoDraftReason::Rejected(_) => "rejected",
            NoDraftReason::DraftsOff => "drafts_off",
            NoDraftReason::AwaitingDraft => "awaiting_draft",
        }
    }

    /// Whether the policy lacks its text: nothing arrived and nothing could be fetched.
    pub fn text_missing(&self) -> bool {
        matches!(self, NoDraftReason::NoText | NoDraftReason::FetchFailed(_))
    }

    /// The reason as supervisors read it, in Chinese.
    pub fn describe_zh(&self) -> String {
        use NoDraftReason as R;
        match self {
            R::NoText => "缺少正文（事件未带正文，也无可抓取的网址或附件）".into(),
            R::FetchFailed(d) => format!("正文抓取失败（{d}）"),
            R::TextUnusable(d) => format!("正文无法使用（{d}）"),
            R::RenderFailed(d) => format!("生成图片失败（{d}）"),
            R::CoveredBy(i) => format!("已有多元化解读 {i}"),
            R::Rejected(d) => format!("草稿 {d} 已被退回"),
            R::DraftsOff => "未开启草稿生成".into(),
            R::AwaitingDraft => "等待下次核对时生成".into(),
        }
    }

    fn detail(&self) -> Option<&str> {
        match self {
            NoDraftReason::FetchFailed(d)
            | NoDraftReason::TextUnusable(d)
            | NoDraftReason::RenderFailed(d)
            | NoDraftReason::CoveredBy(d)
            | NoDraftReason::Rejected(d) => Some(d),
            NoDraftReason::NoText | NoDraftReason::DraftsOff | NoDraftReason::AwaitingDraft => None,
        }
    }

    /// Reads the stored form back; `None` for a kind this version does not know.
    pub fn parse(s: &str) -> Option<Self> {
        let (kind, detail) = match s.split_once(": ") {
            Some((k, d)) => (k, d.to_owned()),
            None => (s, String::new()),
        };
        Some(match kind {
            "no_text" => NoDraftReason::NoText,
            "drafts_off" => NoDraftReason::DraftsOff,
            "awaiting_draft" => NoDraftReason::AwaitingDraft,
            "fetch_failed" => NoDraftReason::FetchFailed(detail),
            "text_unusable" => NoDraftReason::TextUnusable(detail),
            "render_failed" => NoDraftReason::RenderFailed(detail),
            "covered_by" => NoDraftReason::CoveredBy(detail),
            "rejected" => NoDraftReason::Rejected(detail),
            _ => return None,
        })
    }
}

impl std::fmt::Display for NoDraftReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.detail() {
            Some(d) => write!(f, "{}: {d}", self.kind()),
            None => f.write_str(self.kind()),
        }
    }
}

impl Serialize for NoDraftReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NoDraftReason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NoDraftReason::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown no-draft reason `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_as_written() {
        let all = [
            NoDraftReason::NoText,
            NoDraftReason::FetchFailed("HTTP 404 from http://127.0.0.1/a.pdf".into()),
            NoDraftReason::TextUnusable("document body is 9 bytes, over the limit of 1".into()),
            NoDraftReason::RenderFailed("template: x".into()),
            NoDraftReason::CoveredBy("i-1".into()),
            NoDraftReason::Rejected("dr-p-1-abc".into()),
            NoDraftReason::DraftsOff,
            NoDraftReason::AwaitingDraft,
        ];
        for r in all {
            let text = r.to_string();
            assert!(text.starts_with(r.kind()), "{text}");
            assert_eq!(NoDraftReason::parse(&text), Some(r.clone()), "{text}");
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", text.replace('"', "\\\"")));
        }
        assert_eq!(NoDraftReason::parse("something_else"), None);
    }

    #[test]
    fn only_absent_text_counts_as_missing_text() {
        assert!(NoDraftReason::NoText.text_missing());
        assert!(NoDraftReason::FetchFailed("timeout".into()).text_missing());
        assert!(!NoDraftReason::CoveredBy("i".into()).text_missing());
        assert!(!NoDraftReason::RenderFailed("x".into()).text_missing());
    }
}
