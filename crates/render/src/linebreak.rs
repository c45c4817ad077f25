//! Line breaking for Chinese text mixed with Latin words and numbers: UAX #14 break opportunities, narrowed
//! by the W3C clreq / GB/T 15834 rules that UAX #14 does not cover, then greedy filling with measured widths
//! that prefers breaks between words (jieba segmentation, [`tujie_zh::words`]): a line ends inside a word
//! such as 养老保险 only when no break between words fits on it.
//!
//! SVG text never wraps (and resvg has no `inline-size`), so every line of a draft is decided here. The
//! break opportunities of a text ([`Breaks`]) are computed once and reused for every width tried on it.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Never at the start of a line: closing punctuation, 点号 and the 间隔号, plus their half-width kin.
const NO_LINE_START: &str = "、，。．：；！？）》」』〕】〉〗〙〛”’｝］｠｡､·・‧%‰℃°,.;:!?)]}";
/// Never at the end of a line: opening brackets and quotes.
const NO_LINE_END: &str = "（《「『〔【〈〖〘〚“‘｛［｟([{";
/// Characters that come in pairs (—— 破折号, …… 省略号) and must never be split between lines.
const NO_SPLIT_PAIRS: &str = "—…⋯―";

/// For each character index `i` (0..=n), whether a line may start at `i`. Index 0 and `n` are always false.
pub(crate) fn break_before(text: &str) -> Vec<bool> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut allowed = vec![false; n + 1];
    let mut ci = 0;
    for (byte, op) in linebreaks(text) {
        if op != BreakOpportunity::Allowed && op != BreakOpportunity::Mandatory {
            continue;
        }
        while ci < n && chars[ci].0 < byte {
            ci += 1;
        }
        if ci < n && chars[ci].0 == byte {
            allowed[ci] = true;
        }
    }
    for i in 1..n {
        if !allowed[i] {
            continue;
        }
        let prev = chars[i - 1].1;
        let next = chars[i].1;
        let forbidden = NO_LINE_START.contains(next)
            || NO_LINE_END.contains(prev)
            || (prev == next && NO_SPLIT_PAIRS.contains(prev))
            // Keep a number with its unit or suffix (3600元, 3周岁, 50%): readers parse them as one word.
            // Full-width digits (２０２５) are ideographs to UAX #14, so they need the rule too.
            || (is_digit(prev) && !next.is_whitespace() && !NO_LINE_END.contains(next));
        if forbidden {
            allowed[i] = false;
        }
    }
    allowed
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The break opportunities of one text, by character index: where UAX #14 and clreq allow a line to start,
/// and which of those fall between two words.
pub(crate) struct Breaks {
    chars: Vec<char>,
    /// `allowed[i]`: a line may start at character `i`.
    pub(crate) allowed: Vec<bool>,
    /// `between_words[i]`: character `i` starts a word (index 0 excluded).
    between_words: Vec<bool>,
}

impl Breaks {
    /// Segments `text` once (jieba) and finds its break opportunities.
    pub(crate) fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let allowed = break_before(text);
        let mut between_words = vec![false; chars.len() + 1];
        let starts: Vec<usize> = tujie_zh::words::words(text).into_iter().map(|w| w.start).collect();
        let mut next = starts.iter().peekable();
        for (ci, (byte, _)) in text.char_indices().enumerate() {
            while next.next_if(|&&s| s < byte).is_some() {}
            if ci > 0 && next.peek().is_some_and(|&&s| s == byte) {
                between_words[ci] = true;
            }
        }
        Self { chars, allowed, between_words }
    }

    /// A permitted break that also falls between two words: the kind a line should end at.
    pub(crate) fn preferred(&self, i: usize) -> bool {
        self.allowed[i] && self.between_words[i]
    }

    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Splits the text into lines no wider than `max_width`, where `widths[i]` is the advance of character
    /// `i`. Each line ends at the last break between words that fits, else at the last permitted break, else
    /// (a run with no permitted break wider than a line, such as a long URL) between characters rather than
    /// overflowing. Returns character ranges; spaces at line ends are dropped from the ranges.
    pub(crate) fn wrap(&self, max_width: f32, widths: &[f32]) -> Vec<Range<usize>> {
        let chars = &self.chars;
        let n = chars.len();
        let mut lines = Vec::new();
        let mut start = skip_spaces(chars, 0);
        while start < n {
            let end = self.line_end(start, max_width, widths);
            let mut line_end = end;
            while line_end > start && chars[line_end - 1].is_whitespace() {
                line_end -= 1;
            }
            if line_end > start {
                lines.push(start..line_end);
            }
            start = skip_spaces(chars, end);
        }
        lines
    }

    /// Where the line starting at `start` ends (exclusive) when filled greedily up to `max_width`.
    fn line_end(&self, start: usize, max_width: f32, widths: &[f32]) -> usize {
        let n = self.chars.len();
        let (mut w, mut last_break, mut last_word) = (0.0, None, None);
        for (i, &width) in widths.iter().enumerate().take(n).skip(start) {
            if i > start && self.allowed[i] {
                last_break = Some(i);
                if self.between_words[i] {
                    last_word = Some(i);
                }
            }
            w += width;
            if w > max_width && !self.chars[i].is_whitespace() && i > start {
                return last_word.or(last_break).unwrap_or_else(|| emergency_break(&self.chars, start, i));
            }
        }
        n
    }
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

/// [`Breaks::wrap`] for a one-off text, where `width(i)` is the advance of character `i`.
#[cfg(test)]
pub(crate) fn wrap(text: &str, max_width: f32, width: impl FnMut(usize) -> f32) -> Vec<Range<usize>> {
    let breaks = Breaks::new(text);
    let widths: Vec<f32> = (0..breaks.chars.len()).map(width).collect();
    breaks.wrap(max_width, &widths)
}

/// The pieces of `text` between preferred breaks (character ranges): what a column must be wide enough for
/// so that its lines end between words.
pub(crate) fn segments(text: &str) -> Vec<Range<usize>> {
    let breaks = Breaks::new(text);
    let n = breaks.chars.len();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=n {
        if i == n || breaks.preferred(i) {
            let mut end = i;
            while end > start && breaks.chars[end - 1].is_whitespace() {
                end -= 1;
            }
            out.push(start..end);
            start = i;
        }
    }
    out
}

/// Break before `i` (the first character that overflows), stepping back so that the new line does not start
/// with closing punctuation, as long as the current line keeps at least one character.
fn emergency_break(chars: &[char], start: usize, i: usize) -> usize {
    let mut b = i;
    while b > start + 1 && (NO_LINE_START.contains(chars[b]) || NO_LINE_END.contains(chars[b - 1])) {
        b -= 1;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wraps with every character one unit wide except ASCII at half a unit.
    fn lines(text: &str, max: f32) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        wrap(text, max, |i| if chars[i].is_ascii() { 0.5 } else { 1.0 })
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Without the rule the break would fall before `，`.
        assert_eq!(lines("一二三四，五六七八。", 4.0), ["一二三", "四，五六", "七八。"]);
        for p in ["、", "。", "：", "；", "！", "？", "）", "》", "」", "』", "”", "’", "·"] {
            let text = format!("一二三四{p}五六七八");
            for l in lines(&text, 4.0) {
                assert!(!l.starts_with(p), "{text:?} gave a line starting with {p}: {l:?}");
            }
        }
    }

    #[test]
    fn opening_brackets_never_end_a_line() {
        for p in ["（", "《", "「", "『", "“", "‘"] {
            let text = format!("一二三{p}四五六七八");
            for l in lines(&text, 4.0) {
                assert!(!l.ends_with(p), "{text:?} gave a line ending with {p}: {l:?}");
            }
        }
    }

    #[test]
    fn dashes_and_ellipses_stay_whole() {
        for l in lines("一二三——四五六七……八九十", 4.0) {
            assert!(!l.ends_with("—") || l.ends_with("——"), "{l:?}");
            assert!(!l.starts_with("—") || l.starts_with("——"), "{l:?}");
            assert!(!l.ends_with("…") || l.ends_with("……"), "{l:?}");
        }
        let joined: Vec<String> = lines("一二三——四五六七……八九十", 4.0);
        assert!(joined.iter().any(|l| l.contains("——")) && joined.iter().any(|l| l.contains("……")), "{joined:?}");
    }

    #[test]
    fn numbers_stay_with_units_and_latin_words_stay_whole() {
        assert_eq!(lines("每孩每年补贴3600元", 7.0), ["每孩每年补贴", "3600元"]);
        assert_eq!(lines("每孩每年补贴３６００元", 8.0), ["每孩每年补贴", "３６００元"]);
        assert_eq!(lines("按照 R&D investment", 6.0), ["按照 R&D", "investment"]);
    }

    #[test]
    fn unbreakable_runs_are_split_instead_of_overflowing() {
        let url = "https://wjw.fujian.gov.cn/xxgk/fgwj/zcjd/bmzcjd/202512/t20251212_7045529.htm";
        for l in lines(url, 10.0) {
            assert!(l.len() as f32 * 0.5 <= 10.0, "{l:?}");
        }
        assert_eq!(lines(url, 10.0).concat(), url);
    }

    /// Every break of `ls` (lines of `text`) falls between two words of jieba's segmentation.
    fn breaks_between_words(text: &str, ls: &[String]) -> bool {
        let mut at = 0;
        ls.iter().take(ls.len().saturating_sub(1)).all(|l| {
            at += l.len();
            tujie_zh::words::is_boundary(text, at)
        })
    }

    #[test]
    fn lines_end_between_words_when_such_a_break_fits() {
        // Filling by characters gives 参加城乡居民基本养老 / 保险的人员, splitting 养老保险.
        let text = "参加城乡居民基本养老保险的人员";
        let ls = lines(text, 10.0);
        assert!(breaks_between_words(text, &ls), "{ls:?}");
        assert_eq!(ls.concat(), text);
        // 一次性补贴 is not split as 一次 / 性补贴 or 一次性补 / 贴.
        let text = "对符合条件的家庭发放一次性补贴";
        for max in 8..=13 {
            let ls = lines(text, max as f32);
            assert!(breaks_between_words(text, &ls), "width {max}: {ls:?}");
            assert!(ls.iter().any(|l| l.contains("一次性")), "width {max}: {ls:?}");
        }
    }

    #[test]
    fn the_last_word_boundary_that_fits_is_taken() {
        let text = "城乡居民基本养老保险个人缴费标准";
        let breaks = Breaks::new(text);
        let ls = lines(text, 9.0);
        // The first line is as long as any break between words allows.
        let first = ls[0].chars().count();
        assert!((first + 1..=9).all(|i| !breaks.preferred(i)), "{ls:?}");
        assert!(breaks_between_words(text, &ls), "{ls:?}");
    }

    #[test]
    fn a_word_longer_than_the_line_still_breaks() {
        // No break between words fits in three characters: UAX #14 breaks inside words instead.
        let ls = lines("城乡居民基本养老保险", 3.0);
        assert!(ls.iter().all(|l| l.chars().count() <= 3), "{ls:?}");
        assert_eq!(ls.concat(), "城乡居民基本养老保险");
    }

    #[test]
    fn segments_are_the_pieces_between_words() {
        let text = "每人每月3600元补贴";
        let pieces: Vec<String> =
            segments(text).into_iter().map(|r| text.chars().skip(r.start).take(r.len()).collect()).collect();
        assert_eq!(pieces.concat(), text);
        assert!(pieces.iter().any(|p| p.contains("3600元")), "{pieces:?}");
    }

    #[test]
    fn spaces_at_breaks_are_dropped() {
        assert_eq!(lines("  alpha beta  ", 3.0), ["alpha", "beta"]);
        assert!(lines("   ", 3.0).is_empty());
    }
}
