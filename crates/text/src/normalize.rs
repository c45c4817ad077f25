//! A normalised view of the source text that still knows where every character came from.
//!
//! Analysis runs on the normalised text (one paragraph per line, half-width digits and letters, no stray spaces
//! inside Chinese, PDF line breaks joined), but every span handed out points into the *source* text, so a draft
//! stays traceable to exactly what the site published. The map is kept per byte of the normalised text.

use std::ops::Range;

use tujie_model::Span;

/// Lines at least this many characters long that stop mid-sentence are taken to be broken by PDF conversion.
const JOIN_MIN_CHARS: usize = 18;

/// Paragraphs longer than this are taken to be a crawler's flattening of a whole page into one line; they are
/// split again before each heading or list marker that follows the end of a sentence or clause.
const RUN_ON_CHARS: usize = 400;

/// The normalised text and, for each of its bytes, the source byte range of the character it came from.
#[derive(Debug, Clone)]
pub struct Norm {
    pub text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

/// True for characters that belong to Chinese text: Han, CJK and full-width punctuation, Chinese quotes and dashes.
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    u >= 0x2E80 || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·' | '–')
}

/// Folds one character: full-width ASCII to half-width, except the punctuation Chinese text writes full-width.
fn fold(c: char) -> char {
    match c {
        '，' | '：' | '；' | '！' | '？' | '（' | '）' => c,
        '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{200B}' | '\u{FEFF}' | '\t' => ' ',
        // Small form variants (NFKC folds them): the embedded font has no `﹝﹞`, which some sites type in a 文号.
        '﹝' => '〔',
        '﹞' => '〕',
        _ => tujie_zh::width::half(c),
    }
}

#[derive(Clone, Copy)]
struct Ch {
    c: char,
    start: u32,
    end: u32,
}

/// Half-width punctuation typed inside Chinese text gets its full-width form, so sentence splitting sees one form.
fn widen_punct(line: &mut [Ch]) {
    let n = line.len();
    for i in 0..n {
        let prev = line[..i].iter().rev().find(|x| x.c != ' ').map(|x| x.c);
        let next = line[i + 1..].iter().find(|x| x.c != ' ').map(|x| x.c);
        let wide_near = prev.is_some_and(is_wide) || next.is_some_and(is_wide);
        let digits_both = prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|p| p.is_ascii_digit());
        let to = match line[i].c {
            ',' if wide_near && !digits_both => '，',
            ';' if wide_near => '；',
            ':' if wide_near && !digits_both => '：',
            '!' if wide_near => '！',
            '?' if wide_near => '？',
            '(' if next.is_some_and(is_wide) || prev.is_some_and(is_wide) => '（',
            ')' if prev.is_some_and(is_wide) || next.is_some_and(is_wide) => '）',
            c => c,
        };
        line[i].c = to;
    }
    pair_brackets(line);
}

/// A bracket pair is one form: `“中国教师资格网”(www.jszg.edu.cn)` widens its `(` for the Chinese before it, so
/// its `)` is widened too (an unbalanced pair would make the rest of the sentence one aside).
fn pair_brackets(line: &mut [Ch]) {
    let mut open: Vec<usize> = Vec::new();
    for i in 0..line.len() {
        match line[i].c {
            '(' | '（' => open.push(i),
            ')' | '）' => {
                if let Some(o) = open.pop()
                    && (line[o].c == '（' || line[i].c == '）')
                {
                    line[o].c = '（';
                    line[i].c = '）';
                }
            }
            _ => {}
        }
    }
}

/// The number opening a paragraph with nothing between it and the words (`3人才层次证明材料复印件`), and the
/// index of the character after it.
fn bare_number(para: &[Ch]) -> Option<(u32, usize)> {
    let digits = para.iter().take_while(|x| x.c.is_ascii_digit()).count();
    let next = para.get(digits)?.c;
    let opens_words = is_han(next) || matches!(next, '《' | '“');
    ((1..=2).contains(&digits) && opens_words)
        .then(|| para[..digits].iter().fold(0, |n, x| n * 10 + x.c.to_digit(10).unwrap_or(0)))
        .map(|n| (n, digits))
}

/// Paragraphs numbered 1, 2, 3… with their list marker's brackets or `.` lost (a page's `<ol>` flattened to text:
/// `1企业营业执照`, `2企业…申请表`, `3人才层次证明材料复印件`) get brackets around their number, of no source width,
/// so that they read as list items and `3人` is no count of persons. The brackets make them the lowest numbered
/// level (`（1）`), under any `1.` item they may be the sub-list of. Only a run of three or more paragraphs in a row numbered
/// from 1 is taken; one line opening with a number is a number. Three fixture documents lost their markers so (a
/// talent-housing 办法's conditions and materials, a purchase-subsidy guide, an employment-subsidy notice).
fn mark_bare_numbers(paras: &mut [Vec<Ch>]) {
    let numbers: Vec<Option<(u32, usize)>> = paras.iter().map(|p| bare_number(p)).collect();
    let mut i = 0;
    while i < paras.len() {
        let run = (i..paras.len()).take_while(|&j| numbers[j].is_some_and(|(n, _)| n as usize == j - i + 1)).count();
        if run < 3 {
            i += 1;
            continue;
        }
        for para in &mut paras[i..i + run] {
            let digits = para.iter().take_while(|x| x.c.is_ascii_digit()).count();
            let (open, close) = (para[0].start, para[digits - 1].end);
            para.insert(digits, Ch { c: '）', start: close, end: close });
            para.insert(0, Ch { c: '（', start: open, end: open });
        }
        i += run;
    }
}

/// Whether a line spaces out cells of its own (a run of three or more spaces between two words: `学前教育资助一免一补
/// 正式注册学籍…`, a table row a page's text kept; also `第一章　总   则`, a signature beside its date): such a line
/// is never a broken line of a paragraph, nor joined by the next. Seen in a county's student-aid card, whose rows
/// had been joined into one another, and in the headings, signatures and colophons of eleven fixture texts.
fn has_cell_gap(line: &[Ch]) -> bool {
    let first = line.iter().position(|x| x.c != ' ');
    let last = line.iter().rposition(|x| x.c != ' ');
    let (Some(a), Some(b)) = (first, last) else { return false };
    line[a..=b].split(|x| x.c != ' ').any(|run| run.len() >= 3)
}

/// Drops spaces that touch Chinese text and collapses the rest to one, trimming both ends.
fn squeeze_spaces(line: Vec<Ch>) -> Vec<Ch> {
    let mut out: Vec<Ch> = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if line[i].c != ' ' {
            out.push(line[i]);
            i += 1;
            continue;
        }
        let run_start = i;
        while i < line.len() && line[i].c == ' ' {
            i += 1;
        }
        let prev = out.last().map(|x| x.c);
        let next = line.get(i).map(|x| x.c);
        if let (Some(p), Some(n)) = (prev, next)
            && !is_wide(p)
            && !is_wide(n)
        {
            out.push(line[run_start]);
        }
    }
    out
}

/// A run-on paragraph (a page flattened by a crawler, `…通知如下：一、资金支持方向…。二、申报条件（一）…`) split
/// before every heading or list marker that follows `。`, `；`, `：`, `）` or a space, and before an addressee or a
/// `来源：` line that follows a space; other lines unchanged.
/// Splitting only inserts paragraph breaks, so every character keeps its source position.
/// Each piece comes with whether it was split off (and so must not be joined back as a broken line).
fn split_run_on(line: Vec<Ch>) -> Vec<(Vec<Ch>, bool)> {
    // A crawler's flattened page head (`当前位置：首页…`) opens a run-on line whatever its length: a short notice
    // flattened with it (the 低保 and 助学金 notices of field5, 329 and 696 characters) is still head and article.
    let head: String = line.iter().take(12).map(|x| x.c).collect();
    if line.len() < RUN_ON_CHARS && !crate::html::is_page_head(&head) {
        return vec![(line, false)];
    }
    let mut out = Vec::new();
    let mut cur: Vec<Ch> = Vec::new();
    for i in 0..line.len() {
        let prev = line[..i].iter().rev().find(|x| x.c != ' ').map(|x| x.c);
        let after_space = i > 0 && line[i - 1].c == ' ';
        let boundary = after_space || matches!(prev, Some('。' | '；' | '：' | '）' | ';' | ':'));
        let after_duties =
            !boundary && (matches!(line[i].c, '（' | '(') || is_cn_numeral(line[i].c)) && ends_duties(&cur);
        let item = (boundary || after_duties) && opens_item(&line[i..]) && !continues_number(&line[..i]);
        let block = after_space && (opens_block(&line[i..]) || ends_share_bar(&cur));
        if !cur.is_empty() && (item || block) {
            out.push((std::mem::take(&mut cur), !out.is_empty()));
        }
        cur.push(line[i]);
    }
    let split = !out.is_empty();
    out.push((cur, split));
    out
}

/// A heading fused with what follows it on one line (a page whose line breaks were lost), split after the heading:
/// - before the heading's first item: a `一、` or `（一）` marker, a short heading of 2 to 20 characters without
///   digits or punctuation other than one `，` or `、`, then the marker of a deeper level (`二、征集对象（一）依法登记注册…`,
///   `（二）其他要求1.个人消费者…`, `（一）以法控辍，加大宣传力度1.各处室…`). Seen in fifteen fixture documents (county and
///   city notices, plans, a State Council opinion);
/// - before prose: a `一、` or `（一）` marker and one of the standard section names of a 公文 ([`SECTION_NAMES`]) run straight
///   into a paragraph (`一、指导思想坚持…`, `四、申报材料意向参与试点的…`). Seen in four fixture documents (a
///   provincial interpretation, three Pingtan notices and plans).
fn split_fused_heading(line: Vec<Ch>, split: bool) -> Vec<(Vec<Ch>, bool)> {
    use crate::outline::{MarkerKind, marker_of};
    let s: String = line.iter().take(32).map(|x| x.c).collect();
    let Some((kind, mlen)) = marker_of(&s).filter(|(k, _)| matches!(k, MarkerKind::Cn | MarkerKind::ParenCn)) else {
        return vec![(line, split)];
    };
    let marker_chars = s[..mlen].chars().count();
    let at =
        heading_before_item(&line, marker_chars, kind).or_else(|| section_name_before_prose(&line, marker_chars, kind));
    let Some(at) = at else { return vec![(line, split)] };
    let mut line = line;
    let rest = line.split_off(at);
    // The rest may open with a heading fused in turn (`三、主要措施（一）以法控辍，加大宣传力度1.各处室…`).
    let mut out = vec![(line, split)];
    out.extend(split_fused_heading(rest, true));
    out
}

/// Where a short heading after the marker ends, when a marker of a deeper level follows it at once.
fn heading_before_item(line: &[Ch], marker_chars: usize, kind: crate::outline::MarkerKind) -> Option<usize> {
    use crate::outline::{MarkerKind, marker_of};
    let body = &line[marker_chars..];
    let len =
        body.iter().position(|x| !(x.c.is_alphanumeric() || matches!(x.c, '，' | '、')) || x.c.is_ascii_digit())?;
    let commas = body[..len].iter().filter(|x| matches!(x.c, '，' | '、')).count();
    let max = if commas == 0 { 14 } else { 20 };
    if !(2..=max).contains(&len) || commas > 1 || matches!(body[len - 1].c, '，' | '、') {
        return None;
    }
    let at = marker_chars + len;
    let sub = marker_of(&line[at..].iter().take(8).map(|x| x.c).collect::<String>()).map(|(k, _)| k);
    let deeper = match kind {
        MarkerKind::Cn => matches!(sub, Some(MarkerKind::ParenCn | MarkerKind::Num)),
        _ => matches!(sub, Some(MarkerKind::Num | MarkerKind::ParenNum)),
    };
    deeper.then_some(at)
}

/// The standard names of a 公文's top-level sections, which a flattened page runs into the paragraph below them.
const SECTION_NAMES: [&str; 34] = [
    "指导思想",
    "总体要求",
    "基本原则",
    "工作原则",
    "工作目标",
    "总体目标",
    "目标任务",
    "主要目标",
    "主要任务",
    "重点任务",
    "工作任务",
    "主要措施",
    "工作措施",
    "保障措施",
    "组织领导",
    "实施步骤",
    "职责分工",
    "工作要求",
    "有关要求",
    "适用范围",
    "实施范围",
    "支持对象",
    "申报对象",
    "申报条件",
    "申报材料",
    "申报时间",
    "申报程序",
    "补贴标准",
    "补助标准",
    "奖励标准",
    "补贴对象",
    "补助对象",
    "补贴范围",
    "补助范围",
];

/// Where a standard section name after a `一、` or `（一）` marker ends, when a paragraph of prose follows it on the
/// line (`（一）申报时间每场促…`, `（一）补贴对象商品有机肥…`: three flattened fixture documents with `（一）`).
fn section_name_before_prose(line: &[Ch], marker_chars: usize, kind: crate::outline::MarkerKind) -> Option<usize> {
    if !matches!(kind, crate::outline::MarkerKind::Cn | crate::outline::MarkerKind::ParenCn) {
        return None;
    }
    let body: String = line[marker_chars..].iter().take(8).map(|x| x.c).collect();
    let name = SECTION_NAMES.iter().find(|n| body.starts_with(**n))?;
    let at = marker_chars + name.chars().count();
    let next = line.get(at)?.c;
    // The name goes on (`申报条件及要求`, `工作目标任务`) or the line is the heading alone: nothing to split.
    let continues = !is_wide(next) || matches!(next, '及' | '和' | '与' | '、' | '的' | '（' | '：' | '，' | '。');
    (!continues && line.len() >= at + 20).then_some(at)
}

/// How the organisations a notice is addressed to end (`各有关单位`, `各片区管理局`, `各高校、科研院所、有关企业`).
const ADDRESSEE_ENDS: [&str; 18] = [
    "单位", "部门", "局", "委", "办", "政府", "处", "中心", "企业", "学校", "高校", "院所", "机构", "街道", "镇",
    "社区", "公司", "机关",
];

/// An addressee run into the first paragraph (`各有关企业：为深入贯彻落实…`, `各片区管理局：为应对…`) split after its
/// colon, so the layout finds the addressee line and the paragraph stays content (three fixture notices).
fn split_addressee(line: Vec<Ch>, split: bool) -> Vec<(Vec<Ch>, bool)> {
    let head: String = line.iter().take(40).map(|x| x.c).collect();
    let Some(colon) = head.find(['：', ':']) else { return vec![(line, split)] };
    let name = &head[..colon];
    let addressee = name.starts_with('各')
        && ADDRESSEE_ENDS.iter().any(|e| name.ends_with(e))
        && !name.contains(['，', '。', '；']);
    let at = name.chars().count() + 1;
    if !addressee || at >= line.len() {
        return vec![(line, split)];
    }
    let mut line = line;
    let rest = line.split_off(at);
    vec![(line, split), (rest, true)]
}

/// The characters an issuing organ's name ends with, in a signature.
const ORGAN_ENDS: &[char] = &['局', '委', '会', '府', '室', '心', '院', '厅', '部', '办', '处'];

/// A signature fused with what surrounds it (`…请认真组织实施。平潭综合实验区经济发展局2023年6月30日平潭综合实验区…`,
/// `广州市财政局2025年5月30日公开方式：主动公开`: a page whose line breaks were lost) split into the text before, the
/// organ, the date and the text after. The date must be whole (year, month, day), follow an organ's last character
/// and be followed by more text. Seen in three fixture pages of two sites (Pingtan, Guangzhou).
fn split_signature(line: Vec<Ch>, split: bool) -> Vec<(Vec<Ch>, bool)> {
    // Most lines have no date at all: look no further.
    if !line.iter().any(|x| x.c == '日') {
        return vec![(line, split)];
    }
    let chars: Vec<char> = line.iter().map(|x| x.c).collect();
    let Some((organ, date, after)) = fused_signature(&chars) else { return vec![(line, split)] };
    let mut line = line;
    let mut pieces = Vec::new();
    for at in [after, date, organ] {
        if at > 0 && at < line.len() {
            pieces.push(line.split_off(at));
        }
    }
    pieces.push(line);
    pieces.reverse();
    pieces
        .into_iter()
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| (l, if i == 0 { split } else { true }))
        .collect()
}

/// Where a fused signature's organ name, date and following text start, in characters.
fn fused_signature(chars: &[char]) -> Option<(usize, usize, usize)> {
    let s: String = chars.iter().collect();
    let m = FULL_DATE.find_iter(&s).find(|m| {
        let after = s[m.end()..].chars().next();
        ends_with_organ(&s[..m.start()])
            && after.is_some_and(|c| is_wide(c) && !matches!(c, '，' | '。' | '；' | '：' | '（' | '）' | '印'))
    })?;
    let date = s[..m.start()].chars().count();
    let after = date + m.as_str().chars().count();
    // The organ's name runs back to the end of the sentence before it, when that is near.
    let organ = chars[..date].iter().rposition(|c| matches!(c, '。' | '：' | ' ' | '；')).map_or(0, |i| i + 1);
    let organ = if date - organ <= 30 { organ } else { date };
    Some((organ, date, after))
}

static FULL_DATE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日").expect("full date regex"));

/// Whether a heading or list marker (not a dash) opens the text.
fn opens_item(line: &[Ch]) -> bool {
    let s: String = line.iter().take(8).map(|x| x.c).collect();
    crate::outline::marker_of(&s).is_some_and(|(k, _)| k != crate::outline::MarkerKind::Dash)
}

/// Words that open the list of units answerable for a measure, which closes it in a plan or a set of measures.
pub(crate) const DUTIES: [&str; 6] =
    ["责任单位：", "牵头单位：", "落实单位：", "责任部门：", "牵头部门：", "配合单位："];

/// Whether a flattened measure ends here in its list of answerable units (`…给予5万元一次性奖励。责任单位：区旅游
/// 文体局、财政金融局`): the units' names run straight into the next measure's marker (`（七）`, `二、`). Seen
/// after every measure of three flattened Pingtan plans and measures (an elderly-care opinion, a 若干措施, a plan).
fn ends_duties(before: &[Ch]) -> bool {
    let tail: String = before[before.len().saturating_sub(48)..].iter().map(|x| x.c).collect();
    let clause = tail.rsplit(['。', '；']).next().unwrap_or("");
    DUTIES.iter().any(|d| clause.starts_with(d))
}

fn is_cn_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Whether a block a crawler joined with a space opens here: an addressee (`各有关单位：`), the list of
/// attachments (`附件：`) or the page's `来源：` line.
fn opens_block(line: &[Ch]) -> bool {
    let s: String = line.iter().take(40).map(|x| x.c).collect();
    s.starts_with("来源：")
        || s.starts_with("附件：")
        || (s.starts_with('各') && s.find('：').is_some_and(|i| s[..i].chars().count() <= 30))
}

/// Whether a crawler's flattened page header ends here: its breadcrumb, title and time stamp close with the share
/// bar (`当前位置： 首页… 时间：2017-08-04 12:01 微信 微博 QQ空间 岚教综〔2017〕169号…`), and the article follows. Seen at
/// the head of all seven texts of the Pingtan crawl in the fixtures (dev2, field4).
fn ends_share_bar(before: &[Ch]) -> bool {
    let tail: String = before[before.len().saturating_sub(12)..].iter().map(|x| x.c).collect();
    crate::html::ends_with_share_bar(&tail)
}

/// Whether the text before a would-be marker ends in a digit, as in `第1. 2项` or a decimal split by a space.
fn continues_number(before: &[Ch]) -> bool {
    before.last().is_some_and(|x| x.c.is_ascii_digit() || x.c == '.')
}

/// Whether a line opens with a heading or list marker, so a break before it is a real paragraph break.
fn starts_with_marker(line: &[Ch]) -> bool {
    let s: String = line.iter().take(8).map(|x| x.c).collect();
    crate::outline::marker_of(&s).is_some() || s.starts_with("——") || s.starts_with('—') || s.starts_with(BULLET_GLYPHS)
}

/// The glyphs a page puts before the items of a list without numbers (`· 小班：150名`, `●户籍老年人提供…`,
/// `◆基础材料`), in three fixture documents (a 兴隆 enrolment notice, a Guangzhou 老年人优待卡 guide, a 静安
/// application guide). Such a line is never the rest of a broken line, and a bullet shows without its glyph. The
/// outline keeps them as text: an item's run-in label (`小班：`) is what its figure means.
pub const BULLET_GLYPHS: [char; 6] = ['·', '•', '●', '◆', '■', '▪'];

fn ends_title_like(line: &[Ch]) -> bool {
    let s: String = line.iter().rev().take(4).map(|x| x.c).collect::<Vec<_>>().into_iter().rev().collect();
    ["通知", "意见", "方案", "办法", "决定", "公告", "通告", "批复", "规定", "细则", "条例", "计划", "规划", "函"]
        .iter()
        .any(|t| s.ends_with(t))
}

/// Whether a line is the 版记's printing line (`某县人民政府办公室 2023年7月10日印发`): it closes the document's
/// front or back matter, so what follows (`（共印120份）`, the attached text's title) is never its continuation.
/// Seen at the end of a line in seven fixture texts (dev, dev2, field6).
fn ends_colophon(prev: &[Ch]) -> bool {
    let tail: String = prev[prev.len().saturating_sub(4)..].iter().map(|x| x.c).collect();
    tail.ends_with("日印发") && tail.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '日')
}

/// A CJK unified ideograph (the Han characters of a label or a name).
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The last `n` characters of `s` (all of it when shorter).
pub fn last_chars(s: &str, n: usize) -> &str {
    &s[s.len() - s.chars().rev().take(n).map(char::len_utf8).sum::<usize>()..]
}

/// Whether `before` ends with an issuing organ's name: the text right before a signature's date
/// (`…社会事业局2023年4月18日`).
pub fn ends_with_organ(before: &str) -> bool {
    before.chars().next_back().is_some_and(|c| ORGAN_ENDS.contains(&c))
}

/// Whether a line opens with a form field's label (`办理时间：`, `咨询电话:`, `地址：`): 2 to 6 Han characters then a
/// colon. A field after a field (a service guide's 办理地址 / 办理时间 / 咨询电话, a list of award grades
/// `一等奖：…`) is never a wrapped sentence's rest, though the line before it ends without punctuation.
fn opens_field(next: &[Ch]) -> bool {
    let label = next.iter().take_while(|x| is_han(x.c)).count();
    (2..=6).contains(&label) && next.get(label).is_some_and(|x| matches!(x.c, '：' | ':'))
}

/// Whether the break between `prev` and `next` was left by PDF conversion in the middle of a sentence. `last_line`
/// is the length of the last line `prev` took in: a line wrapped by conversion is a long one, so a run of short
/// lines (the cells of a flattened table, a list of names) never snowballs into the paragraph before it.
fn should_join(prev: &[Ch], last_line: usize, next: &[Ch], width: Option<usize>) -> bool {
    let Some(last) = prev.last().map(|x| x.c) else { return false };
    // A line of the page's full width was wrapped wherever the width ran out, also inside a number or a name
    // written in Latin letters (`每人每月1` · `500元`) and inside a title (`《…管理办法` · `》`).
    let full_width = width.is_some_and(|w| last_line + 1 >= w) && !last.is_whitespace();
    // A table row (`a | b | c`, the cells of an HTML `<table>`) is a line of its own.
    let row = |l: &[Ch]| l.iter().any(|x| x.c == '|');
    if matches!(last, '。' | '！' | '？' | '；' | '：' | '…')
        || row(next)
        || row(&prev[prev.len().saturating_sub(last_line)..])
        || starts_with_marker(next)
        || (!full_width && (ends_title_like(prev) || ends_colophon(prev)))
        || (opens_field(next) && opens_field(&prev[prev.len().saturating_sub(last_line)..]))
    {
        return false;
    }
    let open = matches!(last, '，' | '、' | '（' | '《' | '“');
    let next_is_date = crate::dates::is_date_line(&next.iter().map(|x| x.c).collect::<String>());
    (open || last_line >= JOIN_MIN_CHARS) && (is_wide(last) || full_width) && !next_is_date
}

/// The width of a text wrapped at a fixed number of characters (a PDF's lines, 28 in a 公文): the length most of
/// its long lines share, when at least three do and they are at least a third of the long lines; `None` for text
/// with a paragraph per line.
fn wrap_width(lines: &[Vec<Ch>]) -> Option<usize> {
    let long: Vec<usize> = lines.iter().map(Vec::len).filter(|&n| n >= JOIN_MIN_CHARS).collect();
    let mut counts = std::collections::HashMap::new();
    for &n in &long {
        *counts.entry(n).or_insert(0usize) += 1;
    }
    let (&width, _) = counts.iter().max_by_key(|&(&n, &c)| (c, n))?;
    let near = long.iter().filter(|&&n| n + 1 >= width && n <= width).count();
    (near >= 3 && 3 * near >= long.len()).then_some(width)
}

impl Norm {
    /// Builds the normalised view of `src`.
    pub fn new(src: &str) -> Self {
        let mut lines: Vec<Vec<Ch>> = Vec::new();
        let mut cur: Vec<Ch> = Vec::new();
        for (i, c) in src.char_indices() {
            let ch = Ch { c: fold(c), start: i as u32, end: (i + c.len_utf8()) as u32 };
            if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' || c == '\u{0B}' || c == '\u{0C}' {
                lines.push(std::mem::take(&mut cur));
            } else if c.is_control() {
                // Stray control characters (binary junk, form feeds) carry no text.
                continue;
            } else {
                cur.push(ch);
            }
        }
        lines.push(cur);
        let width = wrap_width(&lines);
        let mut paras: Vec<Vec<Ch>> = Vec::new();
        let mut last_len = 0;
        let mut last_cells = false;
        let pieces = lines
            .into_iter()
            .flat_map(split_run_on)
            .flat_map(|(l, split)| split_fused_heading(l, split))
            .flat_map(|(l, split)| split_addressee(l, split))
            .flat_map(|(l, split)| split_signature(l, split));
        for (mut line, split) in pieces {
            widen_punct(&mut line);
            let cells = has_cell_gap(&line);
            let line = squeeze_spaces(line);
            if line.is_empty() {
                continue;
            }
            let len = line.len();
            match paras.last_mut() {
                Some(prev) if !split && !cells && !last_cells && should_join(prev, last_len, &line, width) => {
                    prev.extend(line)
                }
                _ => paras.push(line),
            }
            (last_len, last_cells) = (len, cells);
        }
        mark_bare_numbers(&mut paras);
        let mut text = String::with_capacity(src.len());
        let mut starts = Vec::with_capacity(src.len());
        let mut ends = Vec::with_capacity(src.len());
        for (pi, para) in paras.iter().enumerate() {
            if pi > 0 {
                let at = paras[pi - 1].last().map_or(0, |x| x.end);
                text.push('\n');
                starts.push(at);
                ends.push(at);
            }
            for ch in para {
                text.push(ch.c);
                for _ in 0..ch.c.len_utf8() {
                    starts.push(ch.start);
                    ends.push(ch.end);
                }
            }
        }
        Norm { text, starts, ends }
    }

    /// The source span of a non-empty normalised byte range (both ends on character boundaries).
    pub fn span(&self, r: Range<usize>) -> Span {
        if r.start >= r.end || r.end > self.text.len() {
            let at = self.starts.get(r.start).copied().unwrap_or(0) as usize;
            return Span::new(at, at);
        }
        Span::new(self.starts[r.start] as usize, self.ends[r.end - 1] as usize)
    }

    /// The normalised text of a byte range.
    pub fn get(&self, r: Range<usize>) -> &str {
        self.text.get(r).unwrap_or("")
    }

    /// Byte ranges of the paragraphs (lines) of the normalised text.
    /// The line that holds `r`, or `None` when `r` runs over a line break.
    pub fn line_of(&self, r: &Range<usize>) -> Option<Range<usize>> {
        let start = self.text[..r.start].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[r.start..].find('\n').map_or(self.text.len(), |i| r.start + i);
        (r.end <= end).then_some(start..end)
    }

    pub fn lines(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut s = 0;
        for (i, c) in self.text.char_indices() {
            if c == '\n' {
                out.push(s..i);
                s = i + 1;
            }
        }
        if s < self.text.len() {
            out.push(s..self.text.len());
        }
        out
    }
}

/// Width folding and space removal as a plain string function, for comparing draft text against the source.
pub fn fold_for_compare(s: &str) -> String {
    s.chars().map(fold).filter(|c| !c.is_whitespace()).collect()
}

/// [`fold_for_compare`] with Chinese punctuation folded to ASCII too, for asking whether a draft shows a phrase
/// typed from the raw source: the normalised view writes `(`, `,` and `:` inside Chinese text full-width, so a
/// draft shows `签订一年以上（含一年）` where the source has `签订一年以上(含一年)`. Commas and colons are dropped:
/// a table row reads its condition, heading and value with no mark between them (`产权面积120m2及以上` · `奖励` ·
/// `3万元` for the source's `产权面积120m2及以上,奖励3万元`), and a bullet may join a heading with `：`. So are the
/// bars a page's text puts between table cells (`特困人员|0|90%|20000`), which a drawn table replaces by its grid.
pub fn fold_for_match(s: &str) -> String {
    fold_for_compare(s)
        .chars()
        .filter(|c| !matches!(c, '，' | ',' | '：' | ':' | '|' | '｜'))
        .map(|c| match c {
            '；' => ';',
            '！' => '!',
            '？' => '?',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_numbered_without_marks_are_list_items() {
        let n = Norm::new("所需材料：\n1申请表；\n2营业执照；\n3人员花名册。\n2人参加。");
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        assert_eq!(lines, ["所需材料：", "（1）申请表；", "（2）营业执照；", "（3）人员花名册。", "2人参加。"]);
        // The brackets have no source width: the item's span starts at its number.
        let r = n.lines()[3].clone();
        assert_eq!(n.span(r.start..r.start + "（3）".len()), n.span(r.start + "（".len()..r.start + "（3".len()));
        // Two numbered lines are no run: `2人` stays a count.
        let n = Norm::new("1人负责。\n2人参加。");
        assert!(n.text.starts_with("1人"));
    }

    #[test]
    fn a_heading_fused_with_its_first_item_is_split() {
        let n = Norm::new(
            "二、征集对象（一）依法登记注册。\n（二）其他要求1.个人申请。\n三、征集时间2026年9月1日。\n四、工作要求（1）按时报送。",
        );
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        let want = [
            "二、征集对象",
            "（一）依法登记注册。",
            "（二）其他要求",
            "1.个人申请。",
            "三、征集时间2026年9月1日。",
            "四、工作要求（1）按时报送。",
        ];
        assert_eq!(lines, want);
        assert_eq!(n.span(n.lines()[1].clone()).start, "二、征集对象".len());
    }

    #[test]
    fn headings_fused_in_turn_and_with_a_comma_are_split() {
        let n =
            Norm::new("三、主要措施（一）以法控辍，加大宣传力度1.各处室要开展宣传。\n（二）补贴，奖励，服务1.不拆。");
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        // Two commas: not a heading but a list, so the line stays whole.
        assert_eq!(
            lines,
            ["三、主要措施", "（一）以法控辍，加大宣传力度", "1.各处室要开展宣传。", "（二）补贴，奖励，服务1.不拆。"]
        );
    }

    #[test]
    fn a_standard_section_name_run_into_its_paragraph_is_split() {
        let n = Norm::new(
            "一、指导思想坚持以人民为中心的发展思想，扎实开展各项工作。\n二、工作目标任务\n三、申报条件及要求如下，请各单位认真对照执行。",
        );
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        assert_eq!(
            lines,
            [
                "一、指导思想",
                "坚持以人民为中心的发展思想，扎实开展各项工作。",
                "二、工作目标任务",
                "三、申报条件及要求如下，请各单位认真对照执行。"
            ]
        );
    }

    #[test]
    fn a_signature_fused_with_the_text_around_it_is_split() {
        let n = Norm::new(
            "请认真组织实施。平潭综合实验区经济发展局2023年6月30日平潭综合实验区若干措施\n广州市财政局2025年5月30日公开方式：主动公开\n于2023年6月30日前报送。",
        );
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        assert_eq!(
            lines,
            [
                "请认真组织实施。",
                "平潭综合实验区经济发展局",
                "2023年6月30日",
                "平潭综合实验区若干措施",
                "广州市财政局",
                "2025年5月30日",
                "公开方式：主动公开",
                "于2023年6月30日前报送。"
            ]
        );
        assert_eq!(n.span(n.lines()[2].clone()).start, "请认真组织实施。平潭综合实验区经济发展局".len());
    }

    #[test]
    fn an_addressee_run_into_the_first_paragraph_is_split() {
        let n = Norm::new("各高校、科研院所、有关企业：为做好征集工作，现将有关事项通知如下。\n各项费用：按标准执行。");
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        assert_eq!(
            lines,
            ["各高校、科研院所、有关企业：", "为做好征集工作，现将有关事项通知如下。", "各项费用：按标准执行。"]
        );
    }

    /// A short notice flattened with its page head (the 低保 and 助学金 notices of field5) is split like a long one:
    /// the head, the article, its attachments and the 来源 line.
    #[test]
    fn a_short_flattened_page_is_split_after_its_head() {
        let n = Norm::new(
            "当前位置： 首页政务公开 某区提高低保标准 时间：2013-10-28 10:15 微信 微博 QQ空间 经研究，将低保标准提高到每人每月460元。 附件：花名册 来源：某区民政局",
        );
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[1], "经研究，将低保标准提高到每人每月460元。");
        assert!(lines[2].starts_with("附件：") && lines[3].starts_with("来源："), "{lines:?}");
    }

    #[test]
    fn a_flattened_measure_ends_in_its_answerable_units() {
        let filler = "，鼓励企业开展促消费活动并按规定给予支持".repeat(20);
        let text = format!(
            "一、促进消费（一）支持商贸企业。对新纳统企业给予5万元奖励{filler}。责任单位：区商务局、财政局（二）稳定汽车消费。每辆补贴3000元。责任单位：区商务局二、稳定就业（三）吸纳就业。每人补贴1000元。"
        );
        let n = Norm::new(&text);
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        let opens: Vec<String> = lines.iter().map(|l| l.chars().take(4).collect()).collect();
        assert_eq!(opens, ["一、促进", "（一）支", "（二）稳", "二、稳定", "（三）吸"], "{lines:?}");
        assert!(lines[1].ends_with("责任单位：区商务局、财政局"));
    }

    #[test]
    fn the_line_of_a_range_is_one_of_the_lines() {
        let n = Norm::new("第一行，补贴100元\n第二行，奖励5万元\n第三行");
        for l in n.lines() {
            let mid = l.start + (l.end - l.start) / 2;
            let mid = (mid..l.end).find(|&i| n.text.is_char_boundary(i)).unwrap_or(l.end);
            assert_eq!(n.line_of(&(l.start..mid)), Some(l.clone()));
        }
        let across = n.text.find("100").expect("100")..n.text.find("奖励").expect("奖励");
        assert_eq!(n.line_of(&across), None);
    }

    #[test]
    fn small_brackets_of_a_doc_number_fold_to_the_standard_ones() {
        let n = Norm::new("依据闽教师﹝2024﹞8号文件");
        assert_eq!(n.text, "依据闽教师〔2024〕8号文件");
    }

    /// A line that spaces out its cells is a row of its own: neither joined to the next line nor joined by it.
    #[test]
    fn lines_of_spaced_cells_are_never_joined() {
        let row1 = "学前资助类别一    在园家庭经济困难儿童均可申请本项资助并由幼儿园统一造册上报。2400元/生/年";
        let row2 = "义务教育资助类别二    在校家庭经济困难学生均可申请本项资助并由学校统一造册上报";
        let n = Norm::new(&format!("{row1}\n{row2}"));
        assert_eq!(n.lines().len(), 2, "{}", n.text);
        let plain =
            Norm::new("在园家庭经济困难儿童均可申请本项资助并由幼儿园统一造册上报以及资助标准为每生每年\n2400元");
        assert_eq!(plain.lines().len(), 1, "{}", plain.text);
    }

    /// A phrase typed from the source matches a draft without its commas, colons and cell bars.
    #[test]
    fn matching_drops_commas_colons_and_cell_bars() {
        assert_eq!(fold_for_match("特困人员|0|90%|20000"), fold_for_match("特困人员090%20000"));
        assert_eq!(fold_for_match("奖励：3万元，"), "奖励3万元");
    }

    #[test]
    fn folds_width_and_spaces_and_maps_back() {
        let src = "补贴标准为 １５% ，每件 2000 元。";
        let n = Norm::new(src);
        assert_eq!(n.text, "补贴标准为15%，每件2000元。");
        let at = n.text.find("15%").unwrap();
        let sp = n.span(at..at + 3);
        assert_eq!(sp.slice(src), Some("１５%"));
    }

    #[test]
    fn a_colophon_line_is_never_continued() {
        let src = "浦东新区某镇党政办公室                              2023年7月10日印发\n（共印120份）\n某镇住宅小区物业服务补贴办法";
        let n = Norm::new(src);
        assert!(n.text.starts_with("浦东新区某镇党政办公室2023年7月10日印发\n（共印120份）\n"), "{}", n.text);
    }

    #[test]
    fn a_line_opened_by_a_bullet_glyph_is_an_item_of_its_own() {
        let n =
            Norm::new("报名时间：\n·上午报名时间：上午（8:30—11:30）\n·下午报名时间：下午（2:00-5:00）\n·逾期不受理。");
        assert_eq!(n.lines().len(), 4, "{:?}", n.text);
        let line = n.get(n.lines()[2].clone());
        assert_eq!(&line[crate::outline::item_mark_len(line)..], "下午报名时间：下午（2:00-5:00）");
    }

    #[test]
    fn joins_pdf_breaks_but_not_headings() {
        let src = "全面落实某某委员会关于实施某项设备更\n\n新和消费品换新政策的通知要求。\n一、总体要求\n坚持。";
        let n = Norm::new(src);
        assert_eq!(n.text, "全面落实某某委员会关于实施某项设备更新和消费品换新政策的通知要求。\n一、总体要求\n坚持。");
    }

    /// A text wrapped at a fixed width (a PDF's) is joined at every full-width line, also where the width ran out
    /// inside a number or a title; a short line of such a text, and any line of a text with a paragraph per line,
    /// keeps its break.
    #[test]
    fn a_text_wrapped_at_a_fixed_width_is_joined_inside_numbers_and_titles() {
        let src = "一、补贴标准\n对符合条件的城乡居民每人每月发放基本生活补助金1\n500元，具体按照《某县城乡居民生活补贴管理办法\n》执行，由县民政局负责组织实施审核工作，补贴资金\n由县财政统一安排拨付到位。\n联系电话：0591-12345678\n某县民政局";
        let n = Norm::new(src);
        let lines: Vec<&str> = n.lines().into_iter().map(|r| n.get(r)).collect();
        assert_eq!(
            lines,
            [
                "一、补贴标准",
                "对符合条件的城乡居民每人每月发放基本生活补助金1500元，具体按照《某县城乡居民生活补贴管理办法》执行，由县民政局负责组织实施审核工作，补贴资金由县财政统一安排拨付到位。",
                "联系电话：0591-12345678",
                "某县民政局",
            ]
        );
        // Without a common width, a line ending in a digit is a paragraph's end.
        let n = Norm::new("申请人应当在规定时间内提交材料，咨询电话12345678\n某县民政局负责解释。");
        assert_eq!(n.lines().len(), 2);
    }

    /// The rows of a page's table (`a | b | c`) are never joined, to each other or to the line before them.
    #[test]
    fn table_rows_keep_their_lines() {
        let src = "各区域补偿标准如下表：\n区域类别 | 土地使用权基价 | 价格补贴 | 合计\n一类区域 | 900 | 900 | 1800\n二类区域 | 800 | 750 | 1550\n三类区域 | 700 | 600 | 1300";
        assert_eq!(Norm::new(src).lines().len(), 5);
    }

    #[test]
    fn ascii_punct_in_chinese_is_widened() {
        let n = Norm::new("决策精神,按照部署(试行)。1,000元");
        assert_eq!(n.text, "决策精神，按照部署（试行）。1,000元");
        // A pair widened on one side is widened on both.
        let n = Norm::new("登录“中国教师资格网”(www.jszg.edu.cn),通过平台");
        assert_eq!(n.text, "登录“中国教师资格网”（www.jszg.edu.cn），通过平台");
        assert_eq!(Norm::new("公式(a+b)计算").text, "公式（a+b）计算");
    }
}
