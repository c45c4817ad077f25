//! The form of an interpretation (图解, 视频, 音频, 漫画, H5 or text), and the cue that decided it.
//!
//! Coverage depends on it: only a rich form closes a policy's gap, so a text interpretation mistaken for a 图解
//! would hide a policy that still needs a draft. Cues are tried from the most to the least explicit: the CMS's
//! `form` field, the title, the URL, attachments, then media in the body. Names in 《》 are ignored, because a
//! policy may itself be about 广播电视 or 动画产业.

use serde::Serialize;
use tujie_model::{Document, Form};

/// A classified form and the cue behind it, e.g. `title:图解` or `attachment:video/mp4`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormDecision {
    pub form: Form,
    pub cue: String,
}

/// Title words per form; the earliest occurrence in the title wins, so `图解：两部门解读《…》` is a 图解.
const TITLE_CUES: &[(&str, Form)] = &[
    ("一图读懂", Form::Graphic),
    ("一图看懂", Form::Graphic),
    ("一图了解", Form::Graphic),
    ("一图速览", Form::Graphic),
    ("一张图", Form::Graphic),
    ("图文解读", Form::Graphic),
    ("图表解读", Form::Graphic),
    ("图解", Form::Graphic),
    ("图说", Form::Graphic),
    ("长图", Form::Graphic),
    ("海报", Form::Graphic),
    ("信息图", Form::Graphic),
    ("微视频", Form::Video),
    ("短视频", Form::Video),
    ("视频", Form::Video),
    ("动画", Form::Video),
    ("微电影", Form::Video),
    ("直播", Form::Video),
    ("在线访谈", Form::Video),
    ("音频", Form::Audio),
    ("广播", Form::Audio),
    ("播客", Form::Audio),
    ("听政策", Form::Audio),
    ("漫画", Form::Comic),
    ("动漫", Form::Comic),
    ("连环画", Form::Comic),
    ("h5", Form::H5),
    ("解读", Form::Text),
    ("答记者问", Form::Text),
    ("政策问答", Form::Text),
    ("问答", Form::Text),
    ("答问", Form::Text),
    ("吹风会", Form::Text),
    ("发布会", Form::Text),
];

/// Phrases containing a cue word that do not describe the interpretation's form.
const FALSE_CUES: &[&str] = &["视频会议", "广播电视", "电视电话会议", "视频监控", "动画产业"];

/// URL fragments used by government CMSs for media sections (`zxft` is gov.cn's 在线访谈, broadcast as video).
const URL_CUES: &[(&str, Form)] = &[
    ("tujie", Form::Graphic),
    ("yitudong", Form::Graphic),
    ("/video", Form::Video),
    ("video/", Form::Video),
    ("gwyvideo", Form::Video),
    ("shipin", Form::Video),
    ("/sp/", Form::Video),
    ("zxft", Form::Video),
    (".mp4", Form::Video),
    ("/audio", Form::Audio),
    ("yinpin", Form::Audio),
    (".mp3", Form::Audio),
    ("manhua", Form::Comic),
    ("/h5/", Form::H5),
];

const IMAGE_EXT: &[&str] = &[".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"];
const VIDEO_EXT: &[&str] = &[".mp4", ".flv", ".mov", ".m3u8", ".avi", ".wmv", ".webm"];
const AUDIO_EXT: &[&str] = &[".mp3", ".m4a", ".wav", ".aac", ".ogg"];

/// A body whose visible text is shorter than this, but which shows an image, is the image: a 图解 page carries a
/// title and a long picture, while a text interpretation with a photo has paragraphs of prose.
const GRAPHIC_BODY_MAX_TEXT_CHARS: usize = 300;

/// Classifies an interpretation's form. Never fails: with no cue at all it is text, the common case.
pub fn classify_form(doc: &Document) -> FormDecision {
    if let Some(form) = doc.form {
        return FormDecision { form, cue: "form_field".into() };
    }
    if let Some(d) = from_title(&doc.title) {
        return d;
    }
    if let Some(d) = doc.url.as_deref().and_then(|u| from_url(u, "url")) {
        return d;
    }
    if let Some(d) = from_attachments(doc) {
        return d;
    }
    if let Some(d) = from_body(doc) {
        return d;
    }
    FormDecision { form: Form::Text, cue: "default".into() }
}

fn from_title(title: &str) -> Option<FormDecision> {
    let mut t: String = title.chars().map(|c| c.to_ascii_lowercase()).collect();
    // Drop quoted names and phrases that only look like cues.
    t = strip_quoted(&t);
    for f in FALSE_CUES {
        t = t.replace(f, "");
    }
    TITLE_CUES
        .iter()
        .filter_map(|(w, form)| t.find(w).map(|pos| (pos, *w, *form)))
        // Earliest wins; at one position the longer (more specific) word wins.
        .min_by_key(|(pos, w, _)| (*pos, std::cmp::Reverse(w.len())))
        .map(|(_, w, form)| FormDecision { form, cue: format!("title:{w}") })
}

fn strip_quoted(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn from_url(url: &str, source: &str) -> Option<FormDecision> {
    let u = url.to_ascii_lowercase();
    URL_CUES
        .iter()
        .find(|(frag, _)| u.contains(frag))
        .map(|(frag, form)| FormDecision { form: *form, cue: format!("{source}:{frag}") })
}

fn by_extension(url: &str) -> Option<(Form, &'static str)> {
    let u = url.to_ascii_lowercase();
    let path = u.split(['?', '#']).next().unwrap_or_default();
    for (exts, form) in [(VIDEO_EXT, Form::Video), (AUDIO_EXT, Form::Audio), (IMAGE_EXT, Form::Graphic)] {
        if let Some(ext) = exts.iter().find(|e| path.ends_with(*e)) {
            return Some((form, ext));
        }
    }
    None
}

fn from_attachments(doc: &Document) -> Option<FormDecision> {
    // Video and audio outrank images: a video page often also attaches a cover picture.
    let mut best: Option<FormDecision> = None;
    for a in &doc.attachments {
        let found = match a.media_type.as_deref().map(str::to_ascii_lowercase) {
            Some(mt) if mt.starts_with("video/") => Some((Form::Video, mt)),
            Some(mt) if mt.starts_with("audio/") => Some((Form::Audio, mt)),
            Some(mt) if mt.starts_with("image/") => Some((Form::Graphic, mt)),
            _ => a.url.as_deref().and_then(by_extension).map(|(f, ext)| (f, ext.to_owned())),
        };
        if let Some((form, what)) = found {
            let rank = |f: Form| match f {
                Form::Video => 0,
                Form::Audio => 1,
                _ => 2,
            };
            if best.as_ref().is_none_or(|b| rank(form) < rank(b.form)) {
                best = Some(FormDecision { form, cue: format!("attachment:{what}") });
            }
        }
    }
    best
}

fn from_body(doc: &Document) -> Option<FormDecision> {
    let html = doc.body_html.as_deref()?.to_ascii_lowercase();
    if html.contains("<video") || VIDEO_EXT.iter().any(|e| html.contains(e)) {
        return Some(FormDecision { form: Form::Video, cue: "body:video".into() });
    }
    if html.contains("<audio") || AUDIO_EXT.iter().any(|e| html.contains(e)) {
        return Some(FormDecision { form: Form::Audio, cue: "body:audio".into() });
    }
    if html.contains("<img") && visible_text_chars(&html) < GRAPHIC_BODY_MAX_TEXT_CHARS {
        return Some(FormDecision { form: Form::Graphic, cue: "body:img".into() });
    }
    None
}

/// Characters outside tags, ignoring white space; enough to tell a picture page from prose.
fn visible_text_chars(html: &str) -> usize {
    let mut in_tag = false;
    let mut n = 0;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use tujie_model::{Attachment, DocumentKind, Timestamp};

    fn doc(title: &str) -> Document {
        Document::new("i", DocumentKind::Interpretation, title, Timestamp::parse("2024-01-02").unwrap())
    }

    fn form(title: &str) -> Form {
        classify_form(&doc(title)).form
    }

    #[test]
    fn title_cues() {
        assert_eq!(form("图解：某某办法"), Form::Graphic);
        assert_eq!(form("一图读懂《某某办法》"), Form::Graphic);
        assert_eq!(form("图解：两部门解读《某某意见》"), Form::Graphic);
        assert_eq!(form("视频"), Form::Video);
        assert_eq!(form("【微视频】某某政策来了"), Form::Video);
        assert_eq!(form("动画｜三分钟看懂某某"), Form::Video);
        assert_eq!(form("音频：听某某政策"), Form::Audio);
        assert_eq!(form("漫画说某某"), Form::Comic);
        assert_eq!(form("H5｜某某政策"), Form::H5);
        assert_eq!(form("某部负责人就《某某办法》答记者问"), Form::Text);
        assert_eq!(form("某某政策问答"), Form::Text);
        assert_eq!(form("某某工作有关情况"), Form::Text);
    }

    #[test]
    fn quoted_names_and_false_cues_are_not_forms() {
        assert_eq!(form("《某某广播电视管理办法》解读"), Form::Text);
        assert_eq!(form("关于召开视频会议推进某某的解读"), Form::Text);
        assert_eq!(classify_form(&doc("《动画产业促进办法》解读")).cue, "title:解读");
    }

    #[test]
    fn declared_form_wins() {
        let mut d = doc("图解：某某");
        d.form = Some(Form::Text);
        assert_eq!(classify_form(&d), FormDecision { form: Form::Text, cue: "form_field".into() });
    }

    #[test]
    fn url_attachment_and_body_cues() {
        let mut d = doc("发展改革委谈某某");
        d.url = Some("http://www.example.gov.cn/wenzheng/wz_zxft_ft40/".into());
        assert_eq!(classify_form(&d).form, Form::Video);

        let mut d = doc("某某政策");
        d.attachments = vec![
            Attachment { url: Some("https://x.gov.cn/a.png".into()), ..Default::default() },
            Attachment { media_type: Some("video/mp4".into()), ..Default::default() },
        ];
        assert_eq!(classify_form(&d), FormDecision { form: Form::Video, cue: "attachment:video/mp4".into() });

        let mut d = doc("某某政策");
        d.body_html = Some("<p>某某</p><img src=\"/a/long.jpg\">".into());
        assert_eq!(classify_form(&d).form, Form::Graphic);
        d.body_html = Some(format!("<p>{}</p><img src=\"/a/photo.jpg\">", "正文".repeat(400)));
        assert_eq!(classify_form(&d).cue, "default");
        d.body_html = Some("<video src=\"/a.mp4\"></video>".into());
        assert_eq!(classify_form(&d).form, Form::Video);
    }
}
