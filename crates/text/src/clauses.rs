//! Sentences and clauses of the normalised text, and the shortening of a sentence into a bullet by dropping
//! whole clauses (and bracketed asides), never by rewording, so every word and number of a bullet is the source's.

use std::ops::Range;

use crate::normalize::Norm;

const OPEN: [char; 5] = ['（', '《', '“', '‘', '「'];
const CLOSE: [char; 5] = ['）', '》', '”', '’', '」'];

/// Splits `r` at the characters in `seps`, outside brackets and quotes. Each piece is trimmed of the separator;
/// empty pieces are dropped. The separator that ended each piece comes with it.
fn split_at(norm: &Norm, r: Range<usize>, seps: &[char]) -> Vec<(Range<usize>, Option<char>)> {
    let t = norm.get(r.clone());
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (i, c) in t.char_indices() {
        if OPEN.contains(&c) {
            depth += 1;
        } else if CLOSE.contains(&c) {
            depth = (depth - 1).max(0);
        } else if depth == 0 && seps.contains(&c) && !in_clock_time(t, i, c) {
            if i > start {
                out.push((r.start + start..r.start + i, Some(c)));
            }
            start = i + c.len_utf8();
        }
    }
    if start < t.len() {
        out.push((r.start + start..r.end, None));
    }
    out
}

/// Whether the `：` at byte `i` of `t` is a clock time's (`17：00`): a digit on both sides. A `；` or `，` between
/// two clock times (`上午9:00-12:00；下午13:00-17:00`, `08:00-12:00，15:00-18:00`) joins the two halves of one
/// day's hours, as the three fixture documents that give office hours write them.
fn in_clock_time(t: &str, i: usize, c: char) -> bool {
    let (before, after) = (&t[..i], &t[i + c.len_utf8()..]);
    match c {
        '：' => {
            before.chars().next_back().is_some_and(|p| p.is_ascii_digit())
                && after.chars().next().is_some_and(|n| n.is_ascii_digit())
        }
        '；' | '，' => {
            // Most separators follow no digit: look no further (this runs for every separator of the text).
            if !before.ends_with(|p: char| p.is_ascii_digit()) {
                return false;
            }
            let tail = crate::normalize::last_chars(before, 4);
            let after = ["上午", "中午", "下午", "晚上"].iter().find_map(|w| after.strip_prefix(w)).unwrap_or(after);
            CLOCK_END.is_match(tail) && CLOCK_START.is_match(after)
        }
        _ => false,
    }
}

static CLOCK_END: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\d[:：]\d\d$").expect("clock end regex"));
static CLOCK_START: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"^\s?\d{1,2}[:：]\d\d").expect("clock start regex"));

/// Sentences of a paragraph range, without their closing punctuation. `；` ends a sentence too: policy text uses it
/// between parallel provisions.
pub fn sentences(norm: &Norm, r: Range<usize>) -> Vec<Range<usize>> {
    split_at(norm, r, &['。', '！', '？', '；', '\n']).into_iter().map(|(r, _)| r).collect()
}

/// Whether a sentence (a range [`sentences`] gave) is closed by a question mark: the question of a 问答 page
/// (`10.…积分材料的截止时间？`), which states nothing its answer does not, so it is no bullet and no frame.
pub fn asked(norm: &Norm, s: &Range<usize>) -> bool {
    norm.text.get(s.end..).is_some_and(|rest| rest.starts_with(['？', '?']))
}

/// Full sentences of a paragraph range: like [`sentences`], but `；` does not end one.
pub fn periods(norm: &Norm, r: Range<usize>) -> Vec<Range<usize>> {
    split_at(norm, r, &['。', '！', '？', '\n']).into_iter().map(|(r, _)| r).collect()
}

/// Clauses of a sentence with the separator that followed each.
pub fn clauses(norm: &Norm, r: Range<usize>) -> Vec<(Range<usize>, Option<char>)> {
    split_at(norm, r, &['，', '：'])
}

/// Character count of a normalised range.
pub fn chars(norm: &Norm, r: &Range<usize>) -> usize {
    norm.get(r.clone()).chars().count()
}

/// A clause with its bracketed asides (`（详见附件1）`) cut out: the remaining pieces, in order. Asides that state
/// a condition or a figure (`（含7座）`, `（不含）`, `（60周岁以上）`, `（每辆5万元）`) stay: without them a tier or an
/// eligibility rule says something else.
pub fn without_asides(norm: &Norm, r: Range<usize>) -> Vec<Range<usize>> {
    let t = norm.get(r.clone());
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    let mut open = 0;
    for (i, c) in t.char_indices() {
        if c == '（' {
            if depth == 0 {
                open = i;
            }
            depth += 1;
        } else if c == '）' && depth > 0 {
            depth -= 1;
            let end = i + c.len_utf8();
            if depth == 0 && !is_condition(&t[open..end]) {
                if open > start {
                    out.push(r.start + start..r.start + open);
                }
                start = end;
            }
        }
    }
    if depth > 0 {
        // Unbalanced bracket: keep the text as it is rather than lose the tail.
        return vec![r];
    }
    if start < t.len() {
        out.push(r.start + start..r.end);
    }
    out
}

/// Whether a bracketed aside carries a condition or a figure rather than a reference or an example.
fn is_condition(aside: &str) -> bool {
    const WORDS: [&str; 11] =
        ["含", "以上", "以下", "以内", "不超过", "不低于", "不少于", "周岁", "除外", "以外", "之外"];
    let referential = aside.contains("附件") || aside.contains("详见") || aside.contains('〔') || aside.contains('《');
    // A web or mail address in brackets (`“中国教师资格网”(www.jszg.edu.cn)`) is the channel itself.
    let address = aside.contains("www.") || aside.contains("://") || aside.contains('@');
    address
        || cites_a_doc_number(aside)
        || (!referential && (WORDS.iter().any(|w| aside.contains(w)) || aside.chars().any(|c| c.is_ascii_digit())))
}

/// Whether an aside is the 文号 of the document just cited (`《…的通知》（闽委农办〔2026〕17号）`): the number a
/// reader looks the basis up by, so it stays while the title may be elided ([`shorten_clause`]).
fn cites_a_doc_number(aside: &str) -> bool {
    !aside.contains("附件") && !aside.contains("详见") && tujie_zh::doc_number::find_iter(aside).next().is_some()
}

/// Text assembled from source pieces, with what goes between them.
#[derive(Debug, Clone, Default)]
pub struct Pieces {
    pub parts: Vec<(Range<usize>, &'static str)>,
}

impl Pieces {
    pub fn push(&mut self, r: Range<usize>, sep_before: &'static str) {
        // Adjacent pieces merge, so a span covers a contiguous stretch of source.
        if let Some(last) = self.parts.last_mut()
            && last.0.end == r.start
        {
            last.0.end = r.end;
            return;
        }
        self.parts.push((r, sep_before));
    }

    pub fn text(&self, norm: &Norm) -> String {
        let mut s = String::new();
        for (i, (r, sep)) in self.parts.iter().enumerate() {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(norm.get(r.clone()));
        }
        s
    }

    pub fn len_chars(&self, norm: &Norm) -> usize {
        self.text(norm).chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// A clause as pieces that fit `max` chars, shortened when it is longer.
pub fn fitted_clause(norm: &Norm, c: Range<usize>, max: usize) -> Option<Pieces> {
    if chars(norm, &c) > max {
        shorten_clause(norm, c, max)
    } else {
        let mut p = Pieces::default();
        p.push(c, "");
        Some(p)
    }
}

/// Consecutive clauses of a sentence grouped into pieces of at most `max` chars (a clause longer than `max` is
/// shortened on its own).
pub fn chunks(norm: &Norm, s: Range<usize>, max: usize) -> Vec<Pieces> {
    if chars(norm, &s) <= max {
        let mut p = Pieces::default();
        p.push(s, "");
        return vec![p];
    }
    let mut out = Vec::new();
    let mut cur = Pieces::default();
    let mut cur_len = 0;
    for (c, _sep) in clauses(norm, s.clone()) {
        let Some(piece) = fitted_clause(norm, c, max) else { continue };
        let plen = piece.len_chars(norm);
        if !cur.is_empty() && cur_len + 1 + plen > max {
            out.push(std::mem::take(&mut cur));
            cur_len = 0;
        }
        if piece.parts.len() == 1 && !cur.is_empty() {
            // Keep the source separator between consecutive clauses.
            let prev_end = cur.parts.last().map_or(0, |p| p.0.end);
            let gap = piece.parts[0].0.start;
            cur.push(prev_end..gap, "");
            cur.push(piece.parts[0].0.clone(), "");
            cur_len += 1 + plen;
        } else {
            for (i, (r, sep)) in piece.parts.into_iter().enumerate() {
                cur.push(r, if i == 0 && !cur.is_empty() { "，" } else { sep });
            }
            cur_len += plen + 1;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A clause whose cited title is long (`根据《中共某省委…推荐工作的通知》（某〔2026〕17号）精神`) with the middle of
/// that title elided and its asides dropped as usual, so the 文号 after it still fits.
fn elide_title(norm: &Norm, r: Range<usize>) -> Option<Pieces> {
    const KEEP: usize = 6;
    let t = norm.get(r.clone());
    let open = t.find('《')? + '《'.len_utf8();
    let close = open + t[open..].find('》')?;
    let inner: Vec<(usize, char)> = t[open..close].char_indices().collect();
    if inner.len() <= 2 * KEEP + 4 {
        return None;
    }
    let head_end = r.start + open + inner[KEEP].0;
    let tail_start = r.start + open + inner[inner.len() - KEEP].0;
    let mut p = Pieces::default();
    p.push(r.start..head_end, "");
    for (j, piece) in without_asides(norm, tail_start..r.end).into_iter().enumerate() {
        p.parts.push((piece, if j == 0 { "…" } else { "" }));
    }
    Some(p)
}

/// Shortens one clause that is longer than `max` chars: drops bracketed asides, then the middle of an enumeration
/// (`甲、乙、丙、丁X` becomes `甲、乙…丁X`), and as a last resort cuts at a list or word boundary with `…`, keeping
/// whichever end holds more numbers.
pub fn shorten_clause(norm: &Norm, r: Range<usize>, max: usize) -> Option<Pieces> {
    if let Some(p) = elide_title(norm, r.clone()).filter(|p| p.len_chars(norm) <= max) {
        return Some(p);
    }
    let items: Vec<Range<usize>> = split_at(norm, r.clone(), &['、']).into_iter().map(|x| x.0).collect();
    let build = |keep: &[Range<usize>], last: Option<&Range<usize>>| -> Pieces {
        let mut p = Pieces::default();
        let mut prev_end: Option<usize> = None;
        for it in keep.iter().chain(last) {
            let elided = prev_end.is_some_and(|e| it.start > e + '、'.len_utf8());
            for (j, piece) in without_asides(norm, it.clone()).into_iter().enumerate() {
                let sep = if j == 0 && prev_end.is_some() { if elided { "…" } else { "、" } } else { "" };
                p.push(piece, sep);
            }
            prev_end = Some(it.end);
        }
        p
    };
    if items.len() >= 2 {
        // Only prefixes short enough can fit: start from the longest of those.
        let mut acc = 0;
        let mut kfit = 1;
        for (i, it) in items.iter().enumerate() {
            // An item is counted as it will read, without the asides `build` drops.
            acc += without_asides(norm, it.clone()).iter().map(|p| chars(norm, p)).sum::<usize>() + 1;
            if acc > max + 1 {
                break;
            }
            kfit = i + 1;
        }
        let top = if kfit >= items.len() { items.len() } else { kfit };
        for k in (1..=top).rev() {
            let last = (k < items.len()).then(|| &items[items.len() - 1]);
            let p = build(&items[..k.min(items.len() - usize::from(last.is_some()))], last);
            if !p.is_empty() && p.len_chars(norm) <= max {
                return Some(p);
            }
        }
    } else {
        let p = build(&items, None);
        if !p.is_empty() && p.len_chars(norm) <= max {
            return Some(p);
        }
    }
    // Cut at a boundary: keep the head (cut after the last 、的和及 that fits) or the tail (start after the first
    // boundary that leaves a fitting tail), whichever carries more digits.
    let t = norm.get(r.clone());
    let n = t.chars().count();
    let is_b = |c: char| "、的和及且或".contains(c);
    let mut head = None;
    let mut tail = None;
    // A cut inside a title or a bracket (`…共同提出《关于建立环卫`) tears it: a head cut there ends before the
    // title or bracket opens.
    let mut depth = 0i32;
    let mut opened = 0;
    for (ci, (i, c)) in t.char_indices().enumerate() {
        match c {
            '《' | '（' | '“' => {
                if depth == 0 {
                    opened = i;
                }
                depth += 1;
            }
            '》' | '）' | '”' => depth = (depth - 1).max(0),
            _ => {}
        }
        let next = t[i + c.len_utf8()..].chars().next();
        if !is_b(c) || next.is_some_and(|x| x.is_ascii_alphanumeric()) {
            continue;
        }
        let end = match (depth > 0, c) {
            (true, _) => opened,
            (false, '、') => i,
            (false, _) => i + c.len_utf8(),
        };
        if end > 0 && ci + 1 < max && ci >= max / 3 {
            head = Some(end);
        }
        if tail.is_none() && n - ci - 1 < max && n - ci > max / 3 {
            tail = Some(i + c.len_utf8());
        }
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    let mut q = Pieces::default();
    match (head, tail) {
        (Some(h), Some(tl)) if digits(&t[tl..]) > digits(&t[..h]) => {
            q.parts.push((r.start + tl..r.start + tl, ""));
            q.parts.push((r.start + tl..r.end, "…"));
        }
        (Some(h), _) => {
            q.push(r.start..r.start + h, "");
            q.parts.push((r.start + h..r.start + h, "…"));
        }
        (None, Some(tl)) => {
            q.parts.push((r.start + tl..r.start + tl, ""));
            q.parts.push((r.start + tl..r.end, "…"));
        }
        (None, None) => return None,
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_time_is_not_a_clause_break() {
        let n = Norm::new("请于7月25日14：00—8月8日17：00到街道窗口提交材料：身份证、户口簿");
        let cls: Vec<&str> = clauses(&n, 0..n.text.len()).into_iter().map(|(r, _)| n.get(r)).collect();
        assert_eq!(cls, ["请于7月25日14：00—8月8日17：00到街道窗口提交材料", "身份证、户口簿"]);
        let n = Norm::new("办理时间：工作日上午9:00-12:00；下午13:00-17:00；周末不办理");
        assert_eq!(sentences(&n, 0..n.text.len()).len(), 2);
    }

    #[test]
    fn sentences_and_clauses() {
        let n = Norm::new("甲（乙，丙）丁，戊。己；庚");
        let s = sentences(&n, 0..n.text.len());
        assert_eq!(s.iter().map(|r| n.get(r.clone())).collect::<Vec<_>>(), ["甲（乙，丙）丁，戊", "己", "庚"]);
        let c = clauses(&n, s[0].clone());
        assert_eq!(c.len(), 2);
        let a = without_asides(&n, c[0].0.clone());
        assert_eq!(a.iter().map(|r| n.get(r.clone())).collect::<String>(), "甲丁");
    }

    #[test]
    fn conditions_in_brackets_stay() {
        let n = Norm::new("购置7座（含7座）以下乘用车（详见附件1）");
        let a = without_asides(&n, 0..n.text.len());
        assert_eq!(a.iter().map(|r| n.get(r.clone())).collect::<String>(), "购置7座（含7座）以下乘用车");
    }

    /// A head cut never ends inside a title: it ends before the title opens.
    #[test]
    fn a_cut_never_tears_a_title() {
        let n = Norm::new(
            "企业与其工会应当根据行业工会共同提出的《关于建立行业最低工资标准和企业福利制度的指导意见》要求协商",
        );
        let t = shorten_clause(&n, 0..n.text.len(), 36).map(|p| p.text(&n)).unwrap_or_default();
        assert!(!t.contains('《') || t.contains('》'), "{t}");
    }

    #[test]
    fn enumeration_is_elided_in_the_middle() {
        let n = Norm::new("对购买电冰箱、洗衣机、电视机、空调、电脑、热水器12类家电给予补贴");
        let p = shorten_clause(&n, 0..n.text.len(), 24).unwrap();
        let t = p.text(&n);
        assert!(t.contains("12类家电给予补贴"), "{t}");
        assert!(t.chars().count() <= 24, "{t}");
    }
}
