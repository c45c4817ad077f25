//! Line breaking for Chinese text mixed with Latin words and numbers: UAX #14 break opportunities, narrowed
//! by the W3C clreq / GB/T 15834 rules that UAX #14 does not cover, then greedy filling with measured widths.
//!
//! SVG text never wraps (and resvg has no `inline-size`), so every line of a draft is decided here.

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

/// Splits `chars` into lines no wider than `max_width`, where `width(i)` is the advance of character `i`.
/// Returns character ranges; spaces at line ends are dropped from the ranges. A run with no permitted break
/// that is wider than a line (a long URL) is broken between characters rather than overflowing.
pub(crate) fn wrap(text: &str, max_width: f32, mut width: impl FnMut(usize) -> f32) -> Vec<std::ops::Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let allowed = break_before(text);
    let widths: Vec<f32> = (0..n).map(&mut width).collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n && chars[start].is_whitespace() {
        start += 1;
    }
    while start < n {
        let mut w = 0.0;
        let mut last_break = None;
        let mut end = n;
        let mut i = start;
        while i < n {
            if i > start && allowed[i] {
                last_break = Some(i);
            }
            w += widths[i];
            if w > max_width && !chars[i].is_whitespace() && i > start {
                end = match last_break {
                    Some(b) if b > start => b,
                    _ => emergency_break(&chars, start, i),
                };
                break;
            }
            i += 1;
        }
        let mut line_end = end;
        while line_end > start && chars[line_end - 1].is_whitespace() {
            line_end -= 1;
        }
        if line_end > start {
            lines.push(start..line_end);
        }
        start = end;
        while start < n && chars[start].is_whitespace() {
            start += 1;
        }
    }
    lines
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

    #[test]
    fn spaces_at_breaks_are_dropped() {
        assert_eq!(lines("  alpha beta  ", 3.0), ["alpha", "beta"]);
        assert!(lines("   ", 3.0).is_empty());
    }
}
