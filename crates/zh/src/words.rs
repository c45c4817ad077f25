//! Word segmentation (jieba, HMM off so that results depend on the dictionary only) as byte ranges.

use std::ops::Range;
use std::sync::LazyLock;

use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads jieba's bundled dictionary now instead of on the first segmentation (about 1.4 s in a release build,
/// more in a debug one). A worker calls it once at start so that its first draft does not pay the load; calling
/// it again costs nothing.
pub fn warm() {
    LazyLock::force(&JIEBA);
}

/// The words of `text` as byte ranges, covering it without gaps.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for w in JIEBA.cut(text, false) {
        // `cut` returns sub-slices of `text` in order.
        let start = w.as_ptr() as usize - text.as_ptr() as usize;
        debug_assert_eq!(start, at);
        out.push(start..start + w.len());
        at = start + w.len();
    }
    out
}

/// Byte offsets inside `text` where one word ends and the next begins (never 0 or `text.len()`).
pub fn boundaries(text: &str) -> Vec<usize> {
    words(text).into_iter().map(|r| r.end).filter(|&e| e < text.len()).collect()
}

/// Whether `at` (a byte offset) falls between two words of `text`; the ends count as boundaries.
pub fn is_boundary(text: &str, at: usize) -> bool {
    at == 0 || at >= text.len() || boundaries(text).contains(&at)
}

/// The words of `text` with their part-of-speech tags from jieba's dictionary (ictclas style: `n`, `v`, `p`,
/// `uj` …; `x` for punctuation and unknown).
pub fn tagged(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for t in JIEBA.tag(text, false) {
        let start = at;
        at += t.word.len();
        out.push((start..at, intern(t.tag)));
    }
    out
}

/// Tags are short dictionary strings; map them to statics so callers need not keep the segmenter's lifetime.
fn intern(tag: &str) -> &'static str {
    const TAGS: [&str; 40] = [
        "n", "nr", "ns", "nt", "nz", "ng", "v", "vn", "vd", "vg", "a", "ad", "an", "d", "p", "c", "u", "uj", "ul",
        "uz", "ug", "uv", "ud", "m", "mq", "q", "r", "t", "f", "s", "l", "i", "j", "b", "z", "e", "y", "o", "h", "k",
    ];
    TAGS.iter().find(|t| **t == tag).copied().unwrap_or("x")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warming_twice_is_harmless_and_segmentation_follows() {
        warm();
        warm();
        assert_eq!(words("补贴").len(), 1);
    }

    #[test]
    fn words_cover_the_text_in_order() {
        let t = "对符合条件的城乡居民给予每人每月100元补贴";
        let ws = words(t);
        assert_eq!(ws.first().map(|r| r.start), Some(0));
        assert_eq!(ws.last().map(|r| r.end), Some(t.len()));
        assert!(ws.windows(2).all(|w| w[0].end == w[1].start));
        let joined: String = ws.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(joined, t);
    }

    #[test]
    fn common_policy_words_stay_whole() {
        let t = "城乡居民基本养老保险";
        let ws: Vec<&str> = words(t).into_iter().map(|r| &t[r]).collect();
        assert!(ws.contains(&"养老保险") || ws.contains(&"养老"), "{ws:?}");
        assert!(!is_boundary("补贴标准", "补".len()));
    }

    #[test]
    fn tags_name_prepositions_and_nouns() {
        let t = "对老年人发放补贴";
        let tags = tagged(t);
        assert_eq!(tags.first().map(|(r, tag)| (&t[r.clone()], *tag)), Some(("对", "p")));
        assert!(tags.iter().any(|(r, tag)| &t[r.clone()] == "补贴" && tag.starts_with(['n', 'v'])));
    }
}
