//! Character width: the full-width forms of ASCII (`ＡＢＣ１２３（）［］`) that Chinese pages type for their
//! half-width letters, digits and brackets.

/// `c` with full-width ASCII (U+FF01–U+FF5E) folded to its ASCII form; every other character unchanged.
/// Callers that keep some full-width punctuation (Chinese text writes `，（）` full-width) match those first.
pub fn half(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::half;

    #[test]
    fn folds_full_width_ascii_only() {
        let folded: String = "２０２５年Ａ类［１］（试行）：１５％".chars().map(half).collect();
        assert_eq!(folded, "2025年A类[1](试行):15%");
        assert_eq!(half('〔'), '〔', "CJK brackets are not full-width ASCII");
        assert_eq!(half('\u{3000}'), '\u{3000}', "the ideographic space is the caller's to fold");
    }
}
