//! Written → spoken: how a number, amount, percentage, date or range in a draft is read aloud.
//!
//! The narration keeps two forms of every phrase. The *written* form is the draft's own text (it goes into the
//! subtitles and through the faithfulness check); the *spoken* form, made here, is what the voice reads:
//! `3600元` → `三千六百元`, `2026年3月1日` → `二〇二六年三月一日`, `85%` → `百分之八十五`,
//! `3000-5000元` → `三千至五千元`, `0591-87654321` → digit by digit. Speech engines read Arabic digits
//! inconsistently (espeak-ng's Mandarin voice reads `2026年` as a cardinal), so nothing with a digit reaches them.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A number token: a telephone-like group (`0591-87654321`), a range with an optional per cent on each end, or
/// one number with decimals and per cent / per mille.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<phone>\d{3,4}-\d{7,8}\b)
      | (?P<a>\d+(?:\.\d+)?)(?P<pa>[%‰])?\s*(?P<dash>[-~～—–至到])\s*(?P<b>\d+(?:\.\d+)?)(?P<pb>[%‰])?
      | (?P<n>\d+(?:\.\d+)?)(?P<p>[%‰])?",
    )
    .expect("valid regex")
});

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/// Digits of a year and of codes read one by one: `〇` is how a year is written out (`二〇二六年`).
const YEAR_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/// Measure words before which the number 2 is read 两 (`2次` → 两次, `2个工作日` → 两个工作日).
const LIANG_BEFORE: &str = "个次人天倍项件户名类家批种岁周万千亿位台辆套张本";

/// The spoken form of `written`: every number read out in Chinese, `/` between units read 每, full-width digits
/// folded first. Text without digits comes back unchanged.
pub fn speak(written: &str) -> String {
    let folded: String = written
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '％' => '%',
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect();
    let read = NUMBER.replace_all(&folded, |caps: &Captures<'_>| read_token(caps, &folded));
    read.replace('/', "每")
}

fn read_token(caps: &Captures<'_>, text: &str) -> String {
    let whole = caps.get(0).expect("match");
    let after = text[whole.end()..].chars().next();
    if let Some(p) = caps.name("phone") {
        return p.as_str().chars().filter(char::is_ascii_digit).map(code_digit).collect();
    }
    if let (Some(a), Some(b)) = (caps.name("a"), caps.name("b")) {
        let year = after == Some('年') && a.as_str().len() == 4 && b.as_str().len() == 4;
        let (pa, pb) = (caps.name("pa").map(|m| m.as_str()), caps.name("pb").map(|m| m.as_str()));
        // `5-10%` is a range of per cents; `5%-10%` says so twice.
        let pa = pa.or(pb);
        let end = if year { digits(b.as_str()) } else { number(b.as_str(), pb, after) };
        let start = if year { digits(a.as_str()) } else { number(a.as_str(), pa, Some('至')) };
        return format!("{start}至{end}");
    }
    let n = caps.name("n").expect("one branch matched");
    let year = after == Some('年') && n.as_str().len() == 4 && !n.as_str().contains('.');
    if year || is_code(n.as_str()) {
        return digits(n.as_str());
    }
    // An ordinal (`第2批`) is read 第二, never 第两.
    let ordinal = text[..whole.start()].ends_with('第');
    number(n.as_str(), caps.name("p").map(|m| m.as_str()), after.filter(|_| !ordinal))
}

/// A leading zero or seven and more digits: a code, a telephone or account number, read digit by digit.
fn is_code(n: &str) -> bool {
    !n.contains('.') && ((n.len() > 1 && n.starts_with('0')) || n.len() >= 7 && !n.ends_with("0000"))
}

fn code_digit(c: char) -> char {
    // 1 in codes and telephone numbers is read 幺 so it is not heard as 七.
    if c == '1' { '幺' } else { DIGITS[c.to_digit(10).unwrap_or(0) as usize] }
}

fn digits(n: &str) -> String {
    n.chars().filter_map(|c| c.to_digit(10)).map(|d| YEAR_DIGITS[d as usize]).collect()
}

/// A number with optional decimals and per cent sign, read as a quantity.
fn number(n: &str, percent: Option<&str>, after: Option<char>) -> String {
    let (int, frac) = n.split_once('.').map_or((n, None), |(i, f)| (i, Some(f)));
    let mut out = match int.parse::<u64>() {
        Ok(2) if frac.is_none() && percent.is_none() && after.is_some_and(|c| LIANG_BEFORE.contains(c)) => {
            "两".to_string()
        }
        Ok(v) => cardinal(v),
        Err(_) => int.chars().filter_map(|c| c.to_digit(10)).map(|d| DIGITS[d as usize]).collect(),
    };
    if let Some(f) = frac {
        out.push('点');
        out.extend(f.chars().filter_map(|c| c.to_digit(10)).map(|d| DIGITS[d as usize]));
    }
    match percent {
        Some("%") => format!("百分之{out}"),
        Some("‰") => format!("千分之{out}"),
        _ => out,
    }
}

/// `n` as a Chinese cardinal: 3600 → 三千六百, 1005 → 一千零五, 100000 → 十万, 12 → 十二.
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return "零".into();
    }
    const GROUP_UNITS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as u32);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut zero = false;
    for (i, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero || (!out.is_empty() && g < 1000) {
            out.push('零');
        }
        zero = false;
        out.push_str(&group(g));
        out.push_str(GROUP_UNITS[i]);
    }
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

/// A group of up to four digits: 3600 → 三千六百, 1005 → 一千零五, 10 → 一十 (the caller drops a leading 一).
fn group(g: u32) -> String {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let ds = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in ds.iter().zip(UNITS) {
        if *d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[*d as usize]);
        out.push_str(unit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals() {
        let cases = [
            (3600, "三千六百"),
            (1005, "一千零五"),
            (10, "十"),
            (15, "十五"),
            (110, "一百一十"),
            (100_000, "十万"),
            (120_500, "十二万零五百"),
            (10_000_001, "一千万零一"),
            (200_000_000, "二亿"),
            (0, "零"),
        ];
        for (n, want) in cases {
            assert_eq!(cardinal(n), want, "{n}");
        }
    }

    #[test]
    fn amounts_dates_percentages_and_ranges_are_read_aloud() {
        let cases = [
            ("每孩每年3600元", "每孩每年三千六百元"),
            ("2026年3月1日起施行", "二〇二六年三月一日起施行"),
            ("12月31日前", "十二月三十一日前"),
            ("按85%、90%、95%的比例", "按百分之八十五、百分之九十、百分之九十五的比例"),
            ("最高不超过5万元", "最高不超过五万元"),
            ("补贴3000-5000元", "补贴三千至五千元"),
            ("5%-10%", "百分之五至百分之十"),
            ("2025—2027年", "二〇二五至二〇二七年"),
            ("每人每月1.5万元", "每人每月一点五万元"),
            ("可申领2次", "可申领两次"),
            ("10个和20个工作日", "十个和二十个工作日"),
            ("咨询电话：0591-87654321", "咨询电话：零五九幺八七六五四三二幺"),
            ("3600元/年", "三千六百元每年"),
            ("不少于１％", "不少于百分之一"),
            ("第2批", "第二批"),
        ];
        for (w, s) in cases {
            assert_eq!(speak(w), s, "{w}");
        }
    }

    #[test]
    fn spoken_text_has_no_digits() {
        for w in ["2025年1月1日及之后出生", "0.5‰", "1234567890", "第12条第3款"] {
            assert!(!speak(w).chars().any(|c| c.is_ascii_digit()), "{w} → {}", speak(w));
        }
    }
}
