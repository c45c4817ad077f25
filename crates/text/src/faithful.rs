//! The faithfulness check on text: which numbers, amounts, percentages, years and 文号 of a piece of draft text
//! do not occur in the source text.
//!
//! The generated content is faithful by construction (`compose` only joins slices of the source); this check is
//! for text that people typed: the review workspace refuses an edit that brings in a figure the policy does not
//! state, and `tests/fixtures.rs` applies the same token rule to generated drafts.
//!
//! Both sides are compared folded ([`crate::normalize::fold_for_compare`]: half-width digits, no spaces), so `１５%`
//! in the source supports `15%` in the draft. Chinese numerals other than four-digit years (`二〇二五年`) are not
//! recognised: `三年` is not checked.

use std::sync::LazyLock;

use regex::Regex;

use crate::normalize::fold_for_compare;

/// Numbers (with decimals, ranges and per cent), four-digit years in Chinese numerals, and 文号.
static NUMBERISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[0-9]+(?:\.[0-9]+)?(?:[—\-~～至到][0-9]+)?[%‰]?|[〇零一二三四五六七八九]{4}年|\p{Han}{1,14}〔\d{4}〕\d+号",
    )
    .expect("valid regex")
});

/// The number-like tokens of `text` after folding, in order.
pub fn numberish_tokens(text: &str) -> Vec<String> {
    NUMBERISH.find_iter(&fold_for_compare(text)).map(|m| m.as_str().to_owned()).collect()
}

/// The tokens of [`numberish_tokens`] that `source` does not support, each once, in order of appearance.
///
/// A number must occur in the source as a whole number: `360` is not supported by `3600`, nor `1.5` by `21.5`.
/// A 文号 is supported when the source has it with at least its last two characters before `〔`, because the
/// token's Han prefix also takes up words that precede it in a sentence (`依据某政办发〔2023〕5号`).
pub fn unsupported_tokens(text: &str, source: &str) -> Vec<String> {
    let source = fold_for_compare(source);
    let mut out: Vec<String> = Vec::new();
    for token in numberish_tokens(text) {
        if !is_supported(&token, &source) && !out.contains(&token) {
            out.push(token);
        }
    }
    out
}

fn is_supported(token: &str, source: &str) -> bool {
    if let Some(bracket) = token.find('〔') {
        let prefix: Vec<(usize, char)> = token[..bracket].char_indices().collect();
        // Every suffix of the token that keeps at least two characters before `〔`.
        return prefix.iter().take(prefix.len().saturating_sub(1)).any(|&(at, _)| source.contains(&token[at..]));
    }
    let starts_with_digit = token.starts_with(|c: char| c.is_ascii_digit());
    let ends_with_digit = token.ends_with(|c: char| c.is_ascii_digit());
    source.match_indices(token).any(|(at, _)| {
        let before = source[..at].chars().next_back();
        let mut after = source[at + token.len()..].chars();
        let next = after.next();
        let digit_before = starts_with_digit && before.is_some_and(|c| c.is_ascii_digit() || c == '.');
        let digit_after = ends_with_digit
            && next
                .is_some_and(|c| c.is_ascii_digit() || (c == '.' && after.next().is_some_and(|d| d.is_ascii_digit())));
        !digit_before && !digit_after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_must_occur_whole() {
        let source = "每孩每年补贴３６００元，补贴比例为15%，自2025年1月1日起施行。";
        assert!(unsupported_tokens("每年3600元", source).is_empty());
        assert!(unsupported_tokens("补贴15%", source).is_empty(), "full-width digits in the source fold");
        assert_eq!(unsupported_tokens("每年360元", source), ["360"]);
        assert_eq!(unsupported_tokens("每年36000元，共36000元", source), ["36000"]);
        assert_eq!(unsupported_tokens("补贴20%", source), ["20%"]);
        assert!(unsupported_tokens("2025年1月1日起", source).is_empty());
    }

    #[test]
    fn decimals_are_not_supported_by_a_longer_number() {
        assert_eq!(unsupported_tokens("1.5倍", "提高到21.5倍"), ["1.5"]);
        assert!(unsupported_tokens("21.5倍", "提高到21.5倍").is_empty());
    }

    #[test]
    fn doc_numbers_tolerate_words_before_them_but_not_another_number() {
        let source = "按照《某县实施方案》（某政办发〔2023〕5号）执行。";
        assert!(unsupported_tokens("依据某政办发〔2023〕5号", source).is_empty());
        assert_eq!(unsupported_tokens("某政办发〔2023〕6号", source), ["某政办发〔2023〕6号"]);
        assert_eq!(unsupported_tokens("某政办发〔2024〕5号", source), ["某政办发〔2024〕5号"]);
    }

    #[test]
    fn chinese_years_are_checked() {
        assert_eq!(unsupported_tokens("二〇二六年", "二〇二五年起"), ["二〇二六年"]);
        assert!(unsupported_tokens("二〇二五年", "二〇二五年起").is_empty());
    }
}
