//! From fetched bytes to text: HTML is handed on as HTML (the text crate's main-content extraction reads it, as it
//! reads an event's `body_html`), PDF and DOCX become plain text with one line per paragraph.

use std::io::Read;

use crate::FetchError;

/// What a fetched file turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted {
    /// A web page, decoded to UTF-8.
    Html(String),
    /// Text read from a PDF or DOCX: one line per paragraph, table rows as cells separated by ` | `.
    Text(String),
}

/// The kinds of file the fetcher reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Pdf,
    Docx,
}

/// Reads `body` by what it is: magic bytes first (servers often send attachments as
/// `application/octet-stream`), then the declared media type.
pub fn extract(url: &str, content_type: Option<&str>, body: &[u8], max_bytes: usize) -> Result<Extracted, FetchError> {
    let kind = kind_of(content_type, body).ok_or_else(|| FetchError::Unsupported {
        url: url.to_owned(),
        what: match content_type {
            Some(t) => format!("a file of type `{t}`"),
            None => "a file of unknown type".into(),
        },
    })?;
    let text = match kind {
        Kind::Html => return non_empty(url, "page", Extracted::Html(decode_html(content_type, body))),
        Kind::Pdf => pdf_text(url, body, expanded_max(max_bytes))?,
        Kind::Docx => docx_text(url, body, expanded_max(max_bytes))?,
    };
    non_empty(url, if kind == Kind::Pdf { "PDF" } else { "DOCX" }, Extracted::Text(text))
}

fn non_empty(url: &str, kind: &'static str, e: Extracted) -> Result<Extracted, FetchError> {
    let text = match &e {
        Extracted::Html(h) => tujie_text::html::html_to_text(h),
        Extracted::Text(t) => t.clone(),
    };
    if text.trim().is_empty() { Err(FetchError::NoText { url: url.to_owned(), kind }) } else { Ok(e) }
}

fn kind_of(content_type: Option<&str>, body: &[u8]) -> Option<Kind> {
    if body.starts_with(b"%PDF-") {
        return Some(Kind::Pdf);
    }
    if body.starts_with(b"PK\x03\x04") {
        return Some(Kind::Docx);
    }
    let media = content_type.map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match media.as_deref() {
        Some("application/pdf") => Some(Kind::Pdf),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document") => Some(Kind::Docx),
        Some("text/html" | "application/xhtml+xml") => Some(Kind::Html),
        _ if looks_like_html(body) => Some(Kind::Html),
        _ => None,
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    let head: Vec<u8> =
        start.iter().skip_while(|b| b.is_ascii_whitespace()).take(512).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.windows(5).any(|w| w == b"<body")
}

/// Decodes a page by its declared charset (header, then `<meta>`), else UTF-8 if it is valid, else GB18030, the
/// superset of the GBK and GB2312 that older government CMSs still serve.
fn decode_html(content_type: Option<&str>, body: &[u8]) -> String {
    let declared = content_type.and_then(charset_in).or_else(|| {
        let head = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
        charset_in(&head)
    });
    let encoding = declared.and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    let encoding = match encoding {
        Some(e) => e,
        None if std::str::from_utf8(body).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::GB18030,
    };
    encoding.decode(body).0.into_owned()
}

fn charset_in(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let value: String = lower[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// How far the compressed parts of a downloaded file (a PDF's streams, a DOCX's `word/document.xml`) may expand:
/// a generous multiple of the download limit, at most 32 MiB. A file of 1 MB can inflate to gigabytes (a PDF or
/// zip bomb); the fault suite's bombs took a worker to 3.6 GiB before this bound. The text of a policy is far
/// smaller (the pipeline refuses bodies over 2 MiB).
fn expanded_max(max_bytes: usize) -> u64 {
    (max_bytes as u64).saturating_mul(8).min(32 << 20)
}

/// Refuses a PDF whose Flate-compressed streams, images aside, expand past `limit` in all: `pdf-extract` inflates
/// each stream whole into memory. Inflating through a bounded reader costs one more pass over the streams.
fn pdf_expands_within(body: &[u8], limit: u64) -> Result<(), String> {
    use std::io::Read;
    // What lopdf cannot load, pdf-extract cannot either; it says why.
    let Ok(doc) = pdf_extract::Document::load_mem(body) else { return Ok(()) };
    let mut total = 0u64;
    for stream in doc.objects.values().filter_map(|o| o.as_stream().ok()) {
        let image = stream.dict.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|n| n == b"Image");
        let flate = stream.filters().is_ok_and(|f| f.iter().any(|n| *n == b"FlateDecode"));
        if image || !flate {
            continue;
        }
        let mut inflated = flate2::read::ZlibDecoder::new(&stream.content[..]).take(limit - total + 1);
        total += std::io::copy(&mut inflated, &mut std::io::sink()).unwrap_or(0);
        if total > limit {
            return Err(format!("its compressed streams expand past {limit} bytes"));
        }
    }
    Ok(())
}

/// PDF text through `pdf-extract`, which maps glyphs back to characters with the fonts' ToUnicode tables. It
/// panics on some malformed files; a panic is an unreadable PDF, not a crash.
fn pdf_text(url: &str, body: &[u8], limit: u64) -> Result<String, FetchError> {
    let unreadable = |detail: String| FetchError::Unreadable { url: url.to_owned(), kind: "PDF", detail };
    pdf_expands_within(body, limit).map_err(unreadable)?;
    match std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(body)) {
        Ok(Ok(text)) => Ok(tidy_pdf_text(&text)),
        Ok(Err(e)) => Err(unreadable(e.to_string())),
        Err(_) => Err(unreadable("the PDF parser gave up on this file".into())),
    }
}

/// `pdf-extract` writes one line per line of the page, with runs of blank lines between blocks and padding.
/// Keep one line per text line, without padding, and join a line that fills the text width to the next one: the
/// page wrapped it, the author did not end it. The text crate's normaliser joins such breaks too, but only after a
/// Chinese character; a wrapped line ending in a number (`每孩每年3600` / `元。`) or Latin letters would otherwise
/// stay torn, and the amount lose its unit.
fn tidy_pdf_text(text: &str) -> String {
    let lines: Vec<&str> =
        text.lines().map(|l| l.trim_matches([' ', '\u{a0}', '\u{3000}', '\t'])).filter(|l| !l.is_empty()).collect();
    let full = lines.iter().map(|l| width(l)).max().unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in lines {
        out.push_str(line);
        let ends_sentence = line.ends_with(['。', '！', '？', '；', '：', '.', '!', '?', ';', ':']);
        // A wrapped line comes within about two full-width characters of the widest line.
        if ends_sentence || width(line) + 4 < full {
            out.push('\n');
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Width of a line in half-width units: Chinese and full-width characters count 2, others 1.
fn width(line: &str) -> usize {
    line.chars().map(|c| if (c as u32) < 0x2e80 { 1 } else { 2 }).sum()
}

/// DOCX text: `word/document.xml`, one line per paragraph, one line per table row (cells separated by ` | `, as
/// the HTML path writes tables), deleted revisions and field codes left out.
fn docx_text(url: &str, body: &[u8], cap: u64) -> Result<String, FetchError> {
    let unreadable = |detail: String| FetchError::Unreadable { url: url.to_owned(), kind: "DOCX", detail };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).map_err(|e| unreadable(e.to_string()))?;
    let entry = archive.by_name("word/document.xml").map_err(|_| FetchError::Unsupported {
        url: url.to_owned(),
        what: "a ZIP file that is not a Word document (no word/document.xml)".into(),
    })?;
    // A compressed entry may expand enormously; read no more than `expanded_max`.
    let mut xml = String::new();
    entry.take(cap + 1).read_to_string(&mut xml).map_err(|e| unreadable(e.to_string()))?;
    if xml.len() as u64 > cap {
        return Err(unreadable(format!("word/document.xml expands past {cap} bytes")));
    }
    let doc = roxmltree::Document::parse(&xml).map_err(|e| unreadable(e.to_string()))?;
    let body = doc.descendants().find(|n| n.has_tag_name((W, "body"))).ok_or_else(|| unreadable("no w:body".into()))?;
    let mut lines = Vec::new();
    block_lines(body, &mut lines);
    Ok(lines.into_iter().filter(|l| !l.trim().is_empty()).map(|l| l + "\n").collect())
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Paragraphs and tables of a block container (the body, a cell, a content control), in order.
fn block_lines(container: roxmltree::Node<'_, '_>, lines: &mut Vec<String>) {
    for node in container.children().filter(|n| n.is_element() && n.tag_name().namespace() == Some(W)) {
        match node.tag_name().name() {
            "p" => lines.extend(paragraph_text(node).split('\n').map(str::to_owned)),
            "tbl" => {
                for row in node.children().filter(|n| n.has_tag_name((W, "tr"))) {
                    let cells: Vec<String> = row
                        .children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|cell| {
                            let mut inner = Vec::new();
                            block_lines(cell, &mut inner);
                            inner.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
                        })
                        .collect();
                    lines.push(cells.join(" | "));
                }
            }
            "sdt" | "sdtContent" | "customXml" => block_lines(node, lines),
            _ => {}
        }
    }
}

/// A paragraph's visible text: runs' `w:t`, tabs as a space, breaks as new lines.
fn paragraph_text(p: roxmltree::Node<'_, '_>) -> String {
    let mut text = String::new();
    for n in p.descendants().filter(|n| n.is_element() && n.tag_name().namespace() == Some(W)) {
        match n.tag_name().name() {
            "t" => text.push_str(n.text().unwrap_or("")),
            "tab" => text.push(' '),
            "br" | "cr" => text.push('\n'),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx(document_xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(document_xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn docx_paragraphs_and_table_rows_become_lines() {
        let xml = format!(
            r#"<w:document xmlns:w="{W}"><w:body>
            <w:p><w:r><w:t>第一条</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">甲 </w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>类别</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>标准</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:p><w:r><w:t>一档</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>100元</w:t></w:r></w:p><w:p><w:r><w:t>每月</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p></w:body></w:document>"#
        );
        let got = extract("u", None, &docx(&xml), 1 << 20).unwrap();
        assert_eq!(got, Extracted::Text("第一条 甲 \n类别 | 标准\n一档 | 100元 每月\n乙\n丙\n".into()));
    }

    #[test]
    fn pdf_lines_that_fill_the_width_are_joined() {
        let page = "  第一段文字写满了这一行的宽度每孩每年3600\n元，第二行没有写满。\n\n\n短行\n第三段同样写满了这一行的宽度到达右边\n界为止。\n";
        assert_eq!(
            tidy_pdf_text(page),
            "第一段文字写满了这一行的宽度每孩每年3600元，第二行没有写满。\n短行\n第三段同样写满了这一行的宽度到达右边界为止。\n"
        );
    }

    /// A one-page PDF whose content stream inflates to `size` blanks.
    fn pdf_bomb(size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; size]).unwrap();
        let stream = z.finish().unwrap();
        use pdf_extract::{Dictionary, Object, Stream};
        let dict = |pairs: Vec<(&str, Object)>| {
            let mut d = Dictionary::new();
            for (k, v) in pairs {
                d.set(k, v);
            }
            d
        };
        let name = |n: &str| Object::Name(n.as_bytes().to_vec());
        let mut doc = pdf_extract::Document::with_version("1.4");
        let content = doc.add_object(Stream::new(dict(vec![("Filter", name("FlateDecode"))]), stream));
        let pages = doc.new_object_id();
        let media_box = Object::Array([0, 0, 595, 842].map(Object::Integer).to_vec());
        let page = doc.add_object(dict(vec![
            ("Type", name("Page")),
            ("Parent", Object::Reference(pages)),
            ("Contents", Object::Reference(content)),
            ("MediaBox", media_box),
        ]));
        let kids = Object::Array(vec![Object::Reference(page)]);
        doc.objects.insert(
            pages,
            Object::Dictionary(dict(vec![("Type", name("Pages")), ("Kids", kids), ("Count", Object::Integer(1))])),
        );
        let catalog = doc.add_object(dict(vec![("Type", name("Catalog")), ("Pages", Object::Reference(pages))]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn a_pdf_whose_streams_expand_past_the_bound_is_refused_before_it_is_read() {
        let bomb = pdf_bomb(64 << 20);
        assert!(bomb.len() < 1 << 20, "a small download: {}", bomb.len());
        let err = extract("http://h/bomb.pdf", None, &bomb, 1 << 20).unwrap_err();
        assert!(err.to_string().contains("expand past 8388608 bytes"), "{err}");
        // Under the bound it is read (and found empty), not refused for its size.
        let small = extract("http://h/small.pdf", None, &pdf_bomb(1 << 20), 1 << 20).unwrap_err();
        assert!(matches!(small, FetchError::NoText { .. }), "{small}");
    }

    #[test]
    fn a_docx_whose_document_expands_past_the_bound_is_refused() {
        let unit = "<w:p><w:r><w:t>x</w:t></w:r></w:p>";
        let xml = format!(r#"<w:document xmlns:w="{W}"><w:body>{}</w:body></w:document>"#, unit.repeat(300_000));
        let err = extract("http://h/bomb.docx", None, &docx(&xml), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("expands past 8388608 bytes"), "{err}");
    }

    #[test]
    fn a_zip_without_a_document_is_not_read_as_word() {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"x").unwrap();
        zip.finish().unwrap();
        let err = extract("http://h/a.zip", None, &out.into_inner(), 1 << 20).unwrap_err();
        assert!(err.to_string().contains("not a Word document"), "{err}");
    }

    #[test]
    fn pages_are_decoded_by_their_declared_or_likely_charset() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<html><body><p>补贴标准。</p></body></html>");
        let declared = extract("u", Some("text/html; charset=GBK"), &gbk, 1 << 20).unwrap();
        let guessed = extract("u", None, &gbk, 1 << 20).unwrap();
        let want = Extracted::Html("<html><body><p>补贴标准。</p></body></html>".into());
        assert_eq!((declared, guessed), (want.clone(), want));
    }

    #[test]
    fn images_and_empty_pages_are_refused_with_their_reason() {
        let png = extract("http://h/a.png", Some("image/png"), b"\x89PNG\r\n", 1 << 20).unwrap_err();
        assert!(png.to_string().contains("image/png"), "{png}");
        let empty = extract("http://h/", Some("text/html"), b"<html><body> </body></html>", 1 << 20).unwrap_err();
        assert!(matches!(empty, FetchError::NoText { .. }), "{empty}");
    }
}
