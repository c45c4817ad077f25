//! Cutting text into phrases and subtitle lines: at punctuation first, then between words (jieba), never inside
//! a word or a number.

/// Punctuation a phrase may end after.
const CLAUSE_END: &[char] = &['，', '。', '；', '：', '、', '！', '？', ',', ';'];

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Cuts a sentence into phrases of at most `max_chars` characters: clauses (text up to and including a clause
/// punctuation) are joined while they fit; a longer clause is cut between words. The phrases concatenate back
/// to `sentence`.
pub fn split(sentence: &str, max_chars: usize) -> Vec<String> {
    let mut clauses = Vec::new();
    let mut start = 0;
    for (i, c) in sentence.char_indices() {
        if CLAUSE_END.contains(&c) {
            let end = i + c.len_utf8();
            clauses.push(&sentence[start..end]);
            start = end;
        }
    }
    if start < sentence.len() {
        clauses.push(&sentence[start..]);
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for clause in clauses {
        if chars(&current) + chars(clause) <= max_chars {
            current.push_str(clause);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if chars(clause) <= max_chars {
            current.push_str(clause);
        } else {
            let mut pieces = by_words(clause, max_chars);
            current = pieces.pop().unwrap_or_default();
            out.extend(pieces);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Cuts `text` between words into pieces of at most `max_chars` characters (a single longer word stays whole),
/// filling each piece greedily and then evening the last two out.
fn by_words(text: &str, max_chars: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for w in tujie_zh::words::words(text) {
        let word = &text[w];
        if !current.is_empty() && chars(&current) + chars(word) > max_chars {
            out.push(std::mem::take(&mut current));
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Wraps a cue's text into lines of at most `line_chars` characters: one line when it fits, else the break
/// (after punctuation or between words) that makes the most even lines; a text longer than two lines is cut
/// greedily between words.
pub fn wrap(text: &str, line_chars: usize) -> Vec<String> {
    let total = chars(text);
    if total <= line_chars {
        return vec![text.to_string()];
    }
    if total > 2 * line_chars {
        return by_words(text, line_chars);
    }
    let mut candidates: Vec<usize> = tujie_zh::words::boundaries(text);
    candidates.extend(text.char_indices().filter(|(_, c)| CLAUSE_END.contains(c)).map(|(i, c)| i + c.len_utf8()));
    let best = candidates
        .into_iter()
        .filter(|&at| at > 0 && at < text.len())
        .map(|at| (chars(&text[..at]), at))
        .filter(|&(left, _)| left <= line_chars && total - left <= line_chars)
        .min_by_key(|&(left, at)| {
            let punct = text[..at].ends_with(CLAUSE_END);
            (left.abs_diff(total - left) + if punct { 0 } else { 3 }, at)
        });
    match best {
        Some((_, at)) => vec![text[..at].to_string(), text[at..].to_string()],
        None => by_words(text, line_chars),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_join_clauses_and_concatenate_back() {
        let s = "育儿补贴按年一次性发放，现阶段福建省基础标准为每孩每年3600元。";
        let p = split(s, 32);
        assert_eq!(p.concat(), s);
        assert!(p.iter().all(|x| chars(x) <= 32), "{p:?}");
        let long = "育儿补贴由婴幼儿的父母一方或其他监护人向婴幼儿户籍所在地乡镇政府街道办事处申领并按要求提交材料。";
        let p = split(long, 16);
        assert_eq!(p.concat(), long);
        assert!(p.len() >= 3 && p.iter().all(|x| chars(x) <= 16), "{p:?}");
    }

    #[test]
    fn lines_are_even_and_short() {
        let l = wrap("对按照育儿补贴制度规定发放的育儿补贴免征个人所得税", 16);
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| chars(x) <= 16), "{l:?}");
        assert_eq!(l.concat(), "对按照育儿补贴制度规定发放的育儿补贴免征个人所得税");
        assert_eq!(wrap("先看适用对象", 16), ["先看适用对象"]);
    }
}
