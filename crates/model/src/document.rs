//! A document as a government website carries it: a policy (政策文件) or an interpretation (政策解读).
//!
//! Field names follow the event contract in `docs/events.md`. Optional metadata stays optional here: sites differ
//! in what they publish, and the text crate fills gaps (文号, issuer, dates) from the body when it can.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Form, Timestamp};

/// Which side of the policy–interpretation relation a document is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Policy,
    Interpretation,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Policy => "policy",
            DocumentKind::Interpretation => "interpretation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "policy" => Some(Self::Policy),
            "interpretation" => Some(Self::Interpretation),
            _ => None,
        }
    }
}

/// What kind of site a document was published on: a website, or a 政务新媒体 account. National checks hold
/// new-media accounts to a two-week update rule, so reports need to know which is which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    #[default]
    Website,
    Wechat,
    Weibo,
    Douyin,
}

impl SiteKind {
    pub const ALL: [SiteKind; 4] = [SiteKind::Website, SiteKind::Wechat, SiteKind::Weibo, SiteKind::Douyin];

    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Website => "website",
            SiteKind::Wechat => "wechat",
            SiteKind::Weibo => "weibo",
            SiteKind::Douyin => "douyin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A 政务新媒体 account (微信公众号, 微博, 抖音).
    pub fn is_new_media(self) -> bool {
        self != SiteKind::Website
    }

    /// The Chinese name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            SiteKind::Website => "网站",
            SiteKind::Wechat => "微信公众号",
            SiteKind::Weibo => "微博",
            SiteKind::Douyin => "抖音号",
        }
    }
}

/// A link shown on a document's page, e.g. the 相关解读 box beside a policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RelatedLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Free text from the page or the CMS, e.g. `interpretation`, `policy`, `相关解读`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}

/// An interpretation's explicit reference to the policy it explains. Any one field may identify it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InterpretsRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A file attached to a page (附件). Media attachments (images, video) are a strong cue for the form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attachment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// MIME type when the CMS knows it, e.g. `image/png`, `video/mp4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// A published document, policy or interpretation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable per site; `(site, id)` is unique but ids are unique enough in practice that the store keys on `id`.
    pub id: String,
    pub kind: DocumentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// What `site` is: a website (the default when absent) or a 政务新媒体 account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_kind: Option<SiteKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: String,
    /// 文号, e.g. 通政办发〔2023〕5号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 索引号; formats vary by province, so it is kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_no: Option<String>,
    /// 发文机关.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// 责任单位: the department that owes the interpretation; reports group by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 成文日期.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_at: Option<Timestamp>,
    pub published_at: Timestamp,
    /// 栏目.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// 主题分类.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedLink>,
    /// Only meaningful on interpretations: the form the CMS declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Form>,
    /// Only meaningful on interpretations: explicit references to the policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interprets: Vec<InterpretsRef>,
}

impl Document {
    /// A document with only the required fields; everything optional is empty.
    pub fn new(id: impl Into<String>, kind: DocumentKind, title: impl Into<String>, published_at: Timestamp) -> Self {
        Document {
            id: id.into(),
            kind,
            site: None,
            site_kind: None,
            url: None,
            title: title.into(),
            doc_number: None,
            index_no: None,
            issuer: None,
            department: None,
            written_at: None,
            published_at,
            column: None,
            topic: None,
            body_text: None,
            body_html: None,
            attachments: vec![],
            related: vec![],
            form: None,
            interprets: vec![],
        }
    }

    /// SHA-256 over the fields that change what a draft or a match would be, so a re-published but unchanged page
    /// can be recognised.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            Some(self.title.as_str()),
            self.doc_number.as_deref(),
            self.issuer.as_deref(),
            self.url.as_deref(),
            self.body_text.as_deref(),
            self.body_html.as_deref(),
        ] {
            h.update(part.unwrap_or("").as_bytes());
            h.update([0u8]);
        }
        hex::encode(h.finalize())
    }
}
