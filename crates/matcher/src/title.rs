//! Title and metadata normalisation: the vocabulary of Chinese government titles, and nothing from any data set.
//!
//! Policy and interpretation titles wrap the same name differently: `国务院办公厅关于印发《X》的通知` on the
//! policy, `图解：X`, `《X》解读`, `某部负责人就《X》答记者问` on its interpretations. [`core`] peels those
//! wrappers from either side so that both reduce to `X`. Everything here is pure string work on short titles.

use std::sync::LazyLock;

use regex::Regex;

/// Long organisation names and their usual short forms, longest first so a long name is never half-replaced.
/// Both sides of a comparison go through the same table, so which form is canonical does not matter.
const ORG_ABBREVIATIONS: &[(&str, &str)] = &[
    ("中共中央办公厅", "中办"),
    ("国务院办公厅", "国办"),
    ("国家发展和改革委员会", "发改委"),
    ("国家发展改革委", "发改委"),
    ("国家发改委", "发改委"),
    ("发展和改革委员会", "发改委"),
    ("发展改革委", "发改委"),
    ("人力资源和社会保障部", "人社部"),
    ("人力资源社会保障部", "人社部"),
    ("人力资源和社会保障厅", "人社厅"),
    ("人力资源社会保障厅", "人社厅"),
    ("人力资源和社会保障局", "人社局"),
    ("人力资源社会保障局", "人社局"),
    ("工业和信息化部", "工信部"),
    ("住房和城乡建设部", "住建部"),
    ("住房城乡建设部", "住建部"),
    ("住房和城乡建设厅", "住建厅"),
    ("国家市场监督管理总局", "市场监管总局"),
    ("市场监督管理局", "市场监管局"),
    ("国家卫生健康委员会", "国家卫健委"),
    ("国家卫生健康委", "国家卫健委"),
    ("卫生健康委员会", "卫健委"),
    ("卫生健康委", "卫健委"),
    ("科学技术部", "科技部"),
    ("国家知识产权局", "知识产权局"),
    ("国家中医药管理局", "中医药局"),
    ("国家中医药局", "中医药局"),
    ("国家税务总局", "税务总局"),
    ("国家金融监督管理总局", "金融监管总局"),
    ("中国证券监督管理委员会", "证监会"),
    ("国家医疗保障局", "医保局"),
    ("国家医保局", "医保局"),
    ("国务院国有资产监督管理委员会", "国资委"),
    ("国务院国资委", "国资委"),
    ("国家互联网信息办公室", "网信办"),
    ("中国人民银行", "人民银行"),
    ("文化和旅游部", "文旅部"),
    ("国家能源局", "能源局"),
    ("国家铁路局", "铁路局"),
    ("生态环境部", "生态环境部"),
];

/// Words that label an interpretation's form or genre at the start of its title (`图解：`, `专家解读：`).
const LEADING_LABELS: &[&str] = &[
    "一图读懂",
    "一图看懂",
    "一图了解",
    "一图速览",
    "一图解读",
    "图文解读",
    "图表解读",
    "专家解读",
    "政策解读",
    "权威解读",
    "微视频",
    "短视频",
    "长图",
    "图说",
    "图解",
    "视频",
    "动画",
    "漫画",
    "音频",
    "h5",
    "解读",
];

/// Trailing words that say "this is an interpretation of …" rather than naming the document.
const TRAILING_LABELS: &[&str] = &[
    "有关问题答记者问",
    "相关问题答记者问",
    "有关情况介绍",
    "答记者问",
    "回答记者提问",
    "答问",
    "政策解读",
    "权威解读",
    "专家解读",
    "图文解读",
    "的解读",
    "解读稿",
    "解读",
    "百问百答",
    "十问十答",
    "问与答",
    "答客问",
    "政策问答",
    "问答",
    "一图读懂",
    "一图看懂",
    "图解",
    "起草说明",
    "编制说明",
    "有关情况",
    "相关情况",
];

/// Characters that end an organisation's name or a speaker's role: `某部`, `某委`, `有关负责人`, `专家` ….
const ORG_ENDINGS: &[char] =
    &['部', '委', '局', '院', '厅', '署', '办', '会', '府', '门', '行', '人', '志', '长', '家', '室', '司', '处', '心'];

/// Verbs of a transmittal wrapper: 关于印发《X》的通知.
const TRANSMIT_VERBS: &[&str] = &["联合印发", "印发", "转发", "发布", "公布", "颁布"];

/// The endings of a transmittal wrapper.
const TRANSMIT_ENDINGS: &[&str] = &["的通知", "的公告", "的通告", "的函", "的决定", "的令"];

/// Nouns after a quoted title that make the interpretation about a text derived from it, not the text itself.
const DERIVATIVE_NOUNS: &[&str] = &["配套", "规章", "细则", "实施办法", "实施意见", "实施方案", "司法解释", "释义"];

/// Mapped to one form by [`normalize`]; the first of each pair is kept.
fn map_char(c: char) -> Option<char> {
    // Full-width ASCII (ＡＢＣ１２３（）：) to ASCII, so `（试行）` and `(试行)` compare equal.
    let c = tujie_zh::width::half(c);
    Some(match c {
        c if c.is_whitespace() => return None,
        '\u{200B}' | '\u{FEFF}' => return None,
        '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '『' | '』' => return None,
        '【' | '[' | '﹝' | '〖' | '［' | '〔' => '〔',
        '】' | ']' | '﹞' | '〗' | '］' | '〕' => '〕',
        '〈' | '<' => '《',
        '〉' | '>' => '》',
        '｜' => '|',
        '—' | '–' | '―' => '—',
        'A'..='Z' => c.to_ascii_lowercase(),
        _ => c,
    })
}

/// One spelling per title: full-width folded, spaces and quotation marks dropped, bracket variants unified
/// (〔〕[]﹝﹞【】 all become 〔〕), ASCII lowercased, organisation names abbreviated.
pub(crate) fn normalize(s: &str) -> String {
    let mut out: String = s.chars().filter_map(map_char).collect();
    for (long, short) in ORG_ABBREVIATIONS {
        if out.contains(long) {
            out = out.replace(long, short);
        }
    }
    out
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Byte offset of `pat` in `s` if it starts within the first `max_chars` characters.
fn find_within(s: &str, pat: &str, max_chars: usize) -> Option<usize> {
    let pos = s.find(pat)?;
    (char_len(&s[..pos]) <= max_chars).then_some(pos)
}

fn is_separator(c: char) -> bool {
    !(c.is_alphanumeric() || c == '《' || c == '》' || c == '〔' || c == '〕' || c == '(' || c == ')')
}

fn trim_separators(s: &str) -> &str {
    s.trim_matches(|c: char| is_separator(c) && c != '(' && c != ')')
}

/// Removes what an interpretation's title adds around the name of the policy: a label before `：` or `|`,
/// a leading form word (图解), a speaker (`某部负责人就…答记者问`, `某局谈…`), a trailing genre (解读, 问答).
fn strip_interpretation_wrappers(title: &str) -> String {
    let mut s = trim_separators(title).to_owned();
    let asks_questions = ["答记者问", "答问", "回答记者提问"].iter().any(|w| s.ends_with(w));
    for _ in 0..4 {
        let before = s.clone();
        // 〔图解〕… : a bracketed label.
        if s.starts_with('〔')
            && let Some(end) = s.find('〕')
            && char_len(&s[..end]) <= 12
            && !s[..end].contains('《')
            && end + '〕'.len_utf8() < s.len()
        {
            s = trim_separators(&s[end + '〕'.len_utf8()..]).to_owned();
        }
        // 标签：正文 / 标签|正文 : a short label before a colon or bar, never one that holds the quoted title.
        if let Some(pos) = s.find([':', '|'])
            && char_len(&s[..pos]) <= 16
            && !s[..pos].contains('《')
            && pos + 1 < s.len()
        {
            s = trim_separators(&s[pos + 1..]).to_owned();
        }
        for w in LEADING_LABELS {
            if s.starts_with(w) && s.len() > w.len() {
                s = trim_separators(&s[w.len()..]).to_owned();
                break;
            }
        }
        if let Some(rest) = strip_publisher(&s) {
            s = rest;
        }
        strip_trailing_label(&mut s);
        if s == before {
            break;
        }
    }
    // 某部负责人就《X》答记者问 → 《X》 ; the speaker can be long (某部某司有关负责人).
    if let Some(pos) = find_within(&s, "就", 40)
        && (s[pos + '就'.len_utf8()..].starts_with('《') || asks_questions)
        && pos + '就'.len_utf8() < s.len()
    {
        s = s[pos + '就'.len_utf8()..].to_owned();
    }
    // 某局谈X / 某部解读《X》 / 专家解读X → X, when what precedes the verb reads as an organisation or a role.
    for verb in ["解读", "谈"] {
        if let Some(pos) = find_within(&s, verb, 20)
            && pos > 0
            && s[..pos].chars().last().is_some_and(|c| ORG_ENDINGS.contains(&c))
            && !s[..pos].contains('《')
            && pos + verb.len() < s.len()
        {
            s = trim_separators(&s[pos + verb.len()..]).to_owned();
            break;
        }
    }
    strip_trailing_label(&mut s);
    s
}

/// Verbs of a publisher prefix on an interpretation's title (`市某委发布…`, `某局印发《X》`), longest first.
pub(crate) const ISSUING_VERBS: &[&str] =
    &["联合印发", "更新印发", "重新发布", "重新印发", "印发", "出台", "发布", "制定", "修订", "公布", "制发", "颁布"];

/// The publisher at the start of a title and where its verb ends: `市某委发布X` → (`市某委`, offset of `X`).
/// The publisher must read as an organisation (end in 局, 委, 部 …) and the title must not be a transmittal
/// (`…印发…的通知` is a policy's own wrapper, handled by [`strip_policy_wrappers`]).
pub(crate) fn publisher_prefix(s: &str) -> Option<(&str, usize)> {
    if TRANSMIT_ENDINGS.iter().any(|e| s.ends_with(e)) {
        return None;
    }
    let (pos, verb) = ISSUING_VERBS.iter().filter_map(|v| find_within(s, v, 20).map(|p| (p, *v))).min()?;
    let org = &s[..pos];
    let org_like = org.chars().last().is_some_and(|c| ORG_ENDINGS.contains(&c)) || org.ends_with("部门");
    if char_len(org) < 2 || !org_like || org.contains('《') || org.contains("关于") {
        return None;
    }
    let mut end = pos + verb.len();
    if s[end..].starts_with('了') {
        end += '了'.len_utf8();
    }
    (end < s.len()).then_some((org, end))
}

/// The title without its publisher prefix, if it has one.
fn strip_publisher(s: &str) -> Option<String> {
    publisher_prefix(s).map(|(_, end)| trim_separators(&s[end..]).to_owned())
}

static TRAILING_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    let doc_number = tujie_zh::doc_number::year_number_pattern();
    Regex::new(&format!(
        r"(?:\((?:[^()]*{doc_number}|[^()]*第[^()]*号令|[^()]*令第[^()]*号|试行|暂行)\)|{doc_number})$"
    ))
    .expect("valid regex")
});

/// Strips trailing parentheticals that are evidence, not name: `(试行)`, a 文号 `(某发〔2023〕5号)` or a bare
/// `〔2023〕5号`, a 令号 `(第5号令)`. The trial flag and 文号 keys are read from the whole title before this.
pub(crate) fn strip_trailing_parens(s: &str) -> &str {
    let mut s = s;
    while let Some(m) = TRAILING_PAREN.find(s) {
        if m.start() == 0 {
            break;
        }
        s = trim_separators(&s[..m.start()]);
    }
    s
}

/// Strips one trailing genre label, bare (`…解读`), after 的 (`…的政策解读`) or in brackets (`…（图解）`).
fn strip_trailing_label(s: &mut String) {
    if s.ends_with(')')
        && let Some(open) = s.rfind('(')
        && TRAILING_LABELS.contains(&&s[open + 1..s.len() - 1])
        && open > 0
    {
        *s = trim_separators(&s[..open]).to_owned();
        return;
    }
    for w in TRAILING_LABELS {
        if s.ends_with(w) && s.len() > w.len() {
            let rest = trim_separators(&s[..s.len() - w.len()]);
            let rest = rest.strip_suffix('的').filter(|r| !r.is_empty()).unwrap_or(rest);
            *s = trim_separators(rest).to_owned();
            return;
        }
    }
}

/// Removes what a policy's title adds around its name: the issuer and 关于, and a transmittal wrapper
/// (`印发《X》的通知`, `转发…的通知`, `发布…的公告`). A title that is itself a 通知 or 决定 keeps that word.
fn strip_policy_wrappers(title: &str) -> String {
    let mut s = trim_separators(title).to_owned();
    for _ in 0..4 {
        let before = s.clone();
        // Issuer before 关于 (never cut inside a quoted title).
        if let Some(pos) = find_within(&s, "关于", 40)
            && !s[..pos].contains('《')
            && pos + "关于".len() < s.len()
        {
            s = s[pos + "关于".len()..].to_owned();
        }
        // [issuer] 印发《X》的通知 → 《X》.
        if let Some(end) = TRANSMIT_ENDINGS.iter().find(|e| s.ends_with(*e)) {
            for verb in TRANSMIT_VERBS {
                if let Some(pos) = find_within(&s, verb, 30)
                    && !s[..pos].contains('《')
                    && pos + verb.len() < s.len() - end.len()
                {
                    s = s[pos + verb.len()..s.len() - end.len()].to_owned();
                    break;
                }
            }
        }
        // 《X》 alone → X.
        if s.starts_with('《') && s.ends_with('》') && s.matches('《').count() == 1 {
            s = s['《'.len_utf8()..s.len() - '》'.len_utf8()].to_owned();
        }
        s = trim_separators(&s).to_owned();
        if s == before {
            break;
        }
    }
    s
}

/// The name a title is about, with every wrapper removed and 《》 dropped: equal for a policy and its
/// interpretations in the common cases. Input must be [`normalize`]d.
pub(crate) fn core(normalized_title: &str) -> String {
    let s = strip_interpretation_wrappers(normalized_title);
    let s = strip_policy_wrappers(strip_trailing_parens(&s));
    strip_trailing_parens(&s).chars().filter(|c| *c != '《' && *c != '》').collect()
}

/// A title as written, for exact comparison: normalised, 《》 dropped, a trailing 文号 or 令号 removed, but
/// wrappers, issuer and `(试行)` kept. Equal full titles name the same document, not a sibling with the same core.
pub(crate) fn full_title(normalized: &str) -> String {
    let mut s = normalized;
    while let Some(m) = TRAILING_PAREN.find(s) {
        if m.start() == 0 || m.as_str().contains("试行") || m.as_str().contains("暂行") {
            break;
        }
        s = trim_separators(&s[..m.start()]);
    }
    s.chars().filter(|c| *c != '《' && *c != '》').collect()
}

/// A title quoted in 《》 and what follows its closing mark up to the next punctuation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quote {
    pub core: String,
    /// The quoted text as a [`full_title`].
    pub full: String,
    /// Byte range of the quote, 《 to 》 inclusive, in the text it was found in.
    pub span: std::ops::Range<usize>,
    /// Text right after 》, such as `修改单` or `五部配套规章`; used to spot derived documents.
    pub tail: String,
}

impl Quote {
    /// Whether the text after the quote names a document derived from the quoted one (配套规章, 实施细则 …).
    pub(crate) fn is_derivative(&self) -> bool {
        DERIVATIVE_NOUNS.iter().any(|n| self.tail.contains(n))
    }
}

/// The outermost 《…》 titles of a normalised title, each reduced to its core.
pub(crate) fn quotes(normalized: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in normalized.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    start = i + c.len_utf8();
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let inner = &normalized[start..i];
                    let rest = &normalized[i + c.len_utf8()..];
                    let tail: String = rest.chars().take_while(|c| !is_separator(*c) && *c != '《').collect();
                    let tail = strip_interpretation_wrappers(&tail);
                    let core = core(inner);
                    if !core.is_empty() {
                        let full = full_title(inner);
                        out.push(Quote { core, full, tail, span: start - '《'.len_utf8()..i + c.len_utf8() });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// 文号 in normalised text, each as a comparable key: the last two characters of the 机关代字, the year and the
/// number (`发明电|2018|15`). Two characters are enough to tell 国发 from 国办发 and survive a greedy match that
/// swallowed the words before the 代字.
pub(crate) fn doc_number_keys(normalized: &str) -> Vec<String> {
    doc_number_spans(normalized).into_iter().map(|(_, k)| k).collect()
}

/// What a transmittal or an interpretation says was done to a document, when it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Wrapper {
    Unknown,
    /// 印发, 发布, 出台, 制定 …: issued (for the first time, as far as the text says).
    Issue,
    /// 重新发布, 重新印发: the same document issued again.
    Reissue,
    /// 修订, 修改, 修正: a revision.
    Revise,
    /// 废止, 废除: a repeal.
    Repeal,
}

impl Wrapper {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Wrapper::Unknown => "unknown",
            Wrapper::Issue => "印发",
            Wrapper::Reissue => "重新发布",
            Wrapper::Revise => "修订",
            Wrapper::Repeal => "废止",
        }
    }
}

/// The wrapper a text names outside its 《》 titles (`关于重新发布《X》的通知` → [`Wrapper::Reissue`]).
pub(crate) fn wrapper(normalized: &str) -> Wrapper {
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in normalized.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    wrapper_of_verb(&outside)
}

/// The wrapper an issuing verb (or a text containing one) names.
pub(crate) fn wrapper_of_verb(s: &str) -> Wrapper {
    let has = |ws: &[&str]| ws.iter().any(|w| s.contains(w));
    if has(&["重新发布", "重新印发"]) {
        Wrapper::Reissue
    } else if has(&["废止", "废除"]) {
        Wrapper::Repeal
    } else if has(&["修订", "修改", "修正"]) {
        Wrapper::Revise
    } else if has(&["印发", "发布", "出台", "制定", "公布", "颁布", "制发"]) {
        Wrapper::Issue
    } else {
        Wrapper::Unknown
    }
}

/// Whether a title labels a question-and-answer text (问答, 答记者问 …), which may be published before the page of
/// the policy it answers for.
pub(crate) fn is_questions(normalized: &str) -> bool {
    ["问答", "答记者问", "答问", "问与答", "答客问", "回答记者提问"].iter().any(|w| normalized.contains(w))
}

/// 文号 keys (see [`doc_number_keys`]) with the byte offset where each match ends.
pub(crate) fn doc_number_spans(normalized: &str) -> Vec<(usize, String)> {
    tujie_zh::doc_number::find_iter(normalized)
        .map(|d| (d.range.end, format!("{}|{}|{}", d.agency_tail(2), d.year, d.number)))
        .collect()
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年").expect("valid regex"));
static BATCH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"第([一二三四五六七八九十百零〇\d]{1,4})[批期]").expect("valid regex"));
static FIVE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"十([一二三四五六七八九])五").expect("valid regex"));

/// The years a title is about (`2025年`, `2025年度`), not those inside a 文号.
pub(crate) fn years(normalized: &str) -> Vec<u16> {
    let mut v: Vec<u16> = YEAR.captures_iter(normalized).filter_map(|c| c[1].parse().ok()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Batch or issue numbers (第一批, 第2期) as written.
pub(crate) fn batches(normalized: &str) -> Vec<String> {
    let mut v: Vec<String> = BATCH.captures_iter(normalized).map(|c| c[1].to_owned()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The five-year plan a title names (十四五 → '四'), if any.
pub(crate) fn five_year_plan(normalized: &str) -> Option<char> {
    FIVE_YEAR.captures(normalized).and_then(|c| c[1].chars().next())
}

/// A URL reduced to what identifies the page: no scheme, no `www.`, no fragment, no trailing slash, lowercase host.
pub(crate) fn url_key(url: &str) -> Option<String> {
    let u = url.trim();
    let u = u.split_whitespace().next()?;
    let u = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).unwrap_or(u);
    let u = u.strip_prefix("//").unwrap_or(u);
    let u = u.split('#').next()?;
    let (host, path) = u.split_once('/').unwrap_or((u, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let path = path.trim_end_matches('/');
    Some(if path.is_empty() { host.to_owned() } else { format!("{host}/{path}") })
}

/// The host of a URL, lowercased.
pub(crate) fn url_host(url: &str) -> Option<String> {
    url_key(url).map(|k| k.split('/').next().unwrap_or_default().to_owned())
}

static URL_IN_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)https?://[^\s"'<>()（）\]\[，。；、]+"#).expect("valid regex"));

/// URLs written in a body (hrefs or bare), as [`url_key`]s.
pub(crate) fn urls_in(text: &str) -> Vec<String> {
    URL_IN_TEXT.find_iter(text).filter_map(|m| url_key(m.as_str())).collect()
}

/// Character bigrams of the alphanumeric runs of a text (punctuation separates runs), as packed integers:
/// two 21-bit code points. Single-character runs give a unigram so that very short titles are not invisible.
pub(crate) fn bigrams(text: &str, out: &mut Vec<u64>) {
    let mut prev: Option<char> = None;
    let mut run_len = 0;
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            if let Some(p) = prev {
                out.push((u64::from(p as u32) << 21) | u64::from(c as u32));
            }
            prev = Some(c);
            run_len += 1;
        } else {
            if run_len == 1
                && let Some(p) = prev
            {
                out.push(u64::from(p as u32) << 21);
            }
            prev = None;
            run_len = 0;
        }
    }
}

/// Whose rules a document is: the whole country, one province, or some local government.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jurisdiction {
    Unknown,
    National,
    /// A local government whose province we cannot tell (a city or county name, 我市, 本省).
    Local,
    /// Index into [`PROVINCES`].
    Province(u8),
}

impl Jurisdiction {
    /// Whether two documents plainly belong to different governments.
    pub(crate) fn conflicts(self, other: Jurisdiction) -> bool {
        use Jurisdiction::*;
        match (self, other) {
            (National, Local | Province(_)) | (Local | Province(_), National) => true,
            (Province(a), Province(b)) => a != b,
            _ => false,
        }
    }

    pub(crate) fn describe(self) -> String {
        match self {
            Jurisdiction::Unknown => "unknown".into(),
            Jurisdiction::National => "national".into(),
            Jurisdiction::Local => "local".into(),
            Jurisdiction::Province(i) => PROVINCES[usize::from(i)].0.to_owned(),
        }
    }
}

/// Province-level divisions with the labels their government sites use under `gov.cn`.
const PROVINCES: &[(&str, &[&str])] = &[
    ("北京", &["beijing"]),
    ("天津", &["tj", "tianjin"]),
    ("河北", &["hebei"]),
    ("山西", &["shanxi"]),
    ("内蒙古", &["nmg"]),
    ("辽宁", &["ln"]),
    ("吉林", &["jl"]),
    ("黑龙江", &["hlj"]),
    ("上海", &["sh", "shanghai"]),
    ("江苏", &["js", "jiangsu"]),
    ("浙江", &["zj", "zhejiang"]),
    ("安徽", &["ah"]),
    ("福建", &["fj", "fujian"]),
    ("江西", &["jiangxi", "jx"]),
    ("山东", &["sd", "shandong"]),
    ("河南", &["henan"]),
    ("湖北", &["hubei"]),
    ("湖南", &["hunan"]),
    ("广东", &["gd"]),
    ("广西", &["gxzf", "gx"]),
    ("海南", &["hainan"]),
    ("重庆", &["cq"]),
    ("四川", &["sc"]),
    ("贵州", &["guizhou"]),
    ("云南", &["yn"]),
    ("西藏", &["xizang"]),
    ("陕西", &["shaanxi"]),
    ("甘肃", &["gansu"]),
    ("青海", &["qinghai"]),
    ("宁夏", &["nx"]),
    ("新疆", &["xinjiang", "xj"]),
];

/// Issuers whose name alone says "central government" (after [`normalize`]).
const NATIONAL_ISSUERS: &[&str] = &[
    "国务院",
    "国办",
    "中共中央",
    "中办",
    "全国人民代表大会",
    "全国人大",
    "国家",
    "发改委",
    "人社部",
    "工信部",
    "住建部",
    "科技部",
    "文旅部",
    "市场监管总局",
    "税务总局",
    "金融监管总局",
    "证监会",
    "医保局",
    "国资委",
    "网信办",
    "人民银行",
    "中医药局",
    "知识产权局",
    "能源局",
    "铁路局",
    "审计署",
    "海关总署",
    "教育部",
    "民政部",
    "司法部",
    "公安部",
    "财政部",
    "商务部",
    "生态环境部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "应急管理部",
    "自然资源部",
    "退役军人事务部",
    "外交部",
    "国防部",
    "国家卫健委",
];

/// Words by which a local text speaks of its own government.
const LOCAL_SELF_REFERENCES: &[&str] =
    &["我省", "本省", "全省", "我市", "本市", "全市", "我区", "本区", "我县", "本县", "我州"];

/// Suffixes that make a province's name the name of its government (`山东省`, `北京市`, `广西壮族自治区`), so that
/// titles merely starting with a place word are not taken for local documents.
const PROVINCE_SUFFIXES: &[&str] = &["省", "市", "自治区", "壮族", "回族", "维吾尔"];

/// The jurisdiction an issuer name, or the part of a title before 关于, belongs to, if it says.
fn jurisdiction_of_name(name: &str) -> Jurisdiction {
    for (i, (province, _)) in PROVINCES.iter().enumerate() {
        if let Some(rest) = name.strip_prefix(province)
            && PROVINCE_SUFFIXES.iter().any(|s| rest.starts_with(s))
        {
            return Jurisdiction::Province(u8::try_from(i).unwrap_or(u8::MAX));
        }
    }
    if NATIONAL_ISSUERS.iter().any(|n| name.starts_with(n)) {
        return Jurisdiction::National;
    }
    // A place name before 市/县/州/盟 at the start: some local government (we keep no gazetteer of cities).
    let head: Vec<char> = name.chars().take(8).collect();
    if let Some(pos) = head.iter().position(|c| matches!(c, '市' | '县' | '州' | '盟'))
        && pos >= 2
    {
        return Jurisdiction::Local;
    }
    Jurisdiction::Unknown
}

/// Whether the opening of a body speaks of its own local government (我省制定印发了…), which marks a local
/// interpretation even when its title is the same as a national document's.
pub(crate) fn body_is_local(body: &str) -> bool {
    let head: String = body.chars().take(2000).collect();
    LOCAL_SELF_REFERENCES.iter().any(|w| head.contains(w))
}

/// Jurisdiction of a document from its issuer, its title and the host that published it, in that order.
/// `www.gov.cn` says nothing: it carries national and local documents alike.
pub(crate) fn jurisdiction(issuer: Option<&str>, title: &str, host: Option<&str>) -> Jurisdiction {
    if let Some(issuer) = issuer {
        let j = jurisdiction_of_name(issuer);
        if j != Jurisdiction::Unknown {
            return j;
        }
    }
    // Only the issuer part of a title (before 关于) names a government; the rest is the subject (城市更新 …).
    if let Some(pos) = find_within(title, "关于", 30)
        && pos > 0
    {
        let j = jurisdiction_of_name(&title[..pos]);
        if j != Jurisdiction::Unknown {
            return j;
        }
    }
    if LOCAL_SELF_REFERENCES.iter().any(|w| title.contains(w)) {
        return Jurisdiction::Local;
    }
    if let Some(host) = host
        && let Some(rest) = host.strip_suffix(".gov.cn")
        && let Some(label) = rest.rsplit('.').next()
    {
        for (i, (_, labels)) in PROVINCES.iter().enumerate() {
            if labels.contains(&label) {
                return Jurisdiction::Province(u8::try_from(i).unwrap_or(u8::MAX));
            }
        }
    }
    Jurisdiction::Unknown
}

/// Organisations named at the start of a title (`某部、某局负责人就…`, `某部关于…`) or in an issuer field,
/// normalised; used for the issuer-compatibility bonus.
pub(crate) fn organisations(issuer: Option<&str>, normalized_title: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(issuer) = issuer {
        let issuer = normalize(issuer);
        let issuer = issuer.split('(').next().unwrap_or_default();
        out.extend(split_orgs(issuer));
    }
    let head_end = ["关于", "负责人", "负责同志", "新闻发言人", "就", "解读", "谈", "印发"]
        .iter()
        .filter_map(|m| find_within(normalized_title, m, 30))
        .filter(|p| *p > 0)
        .min();
    if let Some(end) = head_end {
        let head = &normalized_title[..end];
        let head = head.trim_end_matches("有关").trim_end_matches("等");
        if !head.contains('《') {
            out.extend(split_orgs(head));
        }
    }
    out.sort();
    out.dedup();
    out
}

pub(crate) fn split_orgs(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '和', '等'])
        .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|p| char_len(p) >= 2 && p.chars().last().is_some_and(|c| ORG_ENDINGS.contains(&c)))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str) -> String {
        core(&normalize(t))
    }

    #[test]
    fn normalises_brackets_spaces_quotes_and_abbreviations() {
        assert_eq!(normalize("国务院办公厅 关于“某某”［2020］（试行）"), "国办关于某某〔2020〕(试行)");
        assert_eq!(normalize("人力资源社会保障部"), normalize("人力资源和社会保障部"));
    }

    #[test]
    fn policy_and_interpretation_titles_reduce_to_the_same_core() {
        let want = "甲乙丙丁促进办法";
        for t in [
            "某某部关于印发《甲乙丙丁促进办法》的通知",
            "国务院办公厅印发《关于甲乙丙丁促进办法》的通知",
            "关于印发甲乙丙丁促进办法的通知",
            "图解：甲乙丙丁促进办法",
            "【图解】甲乙丙丁促进办法",
            "一图读懂《甲乙丙丁促进办法》",
            "《甲乙丙丁促进办法》政策解读",
            "某某部有关负责人就《甲乙丙丁促进办法》答记者问",
            "某某部某某司负责同志就《甲乙丙丁促进办法》有关问题答记者问",
            "某某局解读《甲乙丙丁促进办法》",
            "专家解读：甲乙丙丁促进办法",
            "某某例行吹风会：《甲乙丙丁促进办法》有关情况",
            "甲乙丙丁促进办法（图解）",
            "关于甲乙丙丁促进办法的政策解读",
            "《甲乙丙丁促进办法》百问百答",
        ] {
            assert_eq!(c(t), want, "{t}");
        }
        assert_eq!(c("某某省人民政府关于加快甲乙丙发展的意见"), "加快甲乙丙发展的意见");
        assert_eq!(c("某某部谈加快甲乙丙发展"), "加快甲乙丙发展");
    }

    #[test]
    fn quotes_handle_nesting_and_tails() {
        let q = quotes(&normalize("某会审议通过《某某关于修改〈甲乙条例〉的决定（草案）》"));
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].core, "修改甲乙条例的决定(草案)");
        let q = quotes(&normalize("《甲乙暂行条例》五部配套规章解读"));
        assert!(q[0].is_derivative(), "{q:?}");
        let q = quotes(&normalize("某部负责人就《甲乙条例》修订答记者问"));
        assert!(!q[0].is_derivative());
    }

    #[test]
    fn doc_numbers_ignore_bracket_variants() {
        let a = doc_number_keys(&normalize("国办发〔2019〕3号"));
        assert_eq!(a, ["办发|2019|3"]);
        assert_eq!(doc_number_keys(&normalize("根据国办发[2019]3号文件")), a);
        assert_eq!(doc_number_keys(&normalize("国办发（2019）03号")), a);
        assert_eq!(doc_number_keys(&normalize("国办发﹝2019﹞3号")), a);
        assert_ne!(doc_number_keys(&normalize("国发〔2019〕3号")), a);
    }

    #[test]
    fn editions() {
        assert_eq!(years(&normalize("关于2025年度某某安排的通知")), [2025]);
        assert!(years(&normalize("国发〔2014〕26号")).is_empty());
        assert_eq!(batches("某某第二批清单"), ["二"]);
        assert_eq!(five_year_plan("某某十四五规划"), Some('四'));
    }

    #[test]
    fn urls_compare_without_scheme_and_www() {
        assert_eq!(url_key("https://www.example.gov.cn/a/b.htm"), url_key("http://example.gov.cn/a/b.htm#x"));
        assert_eq!(urls_in("见<a href=\"http://a.gov.cn/x.htm\">原文</a>"), ["a.gov.cn/x.htm"]);
    }

    #[test]
    fn jurisdictions() {
        use Jurisdiction::*;
        assert_eq!(jurisdiction(Some(&normalize("国务院办公厅")), "", None), National);
        assert_eq!(jurisdiction(None, "某某制度政策问答", Some("wjw.hubei.gov.cn")), Province(16));
        assert_eq!(jurisdiction(None, "我市推进某某工作", None), Local);
        assert_eq!(jurisdiction(None, "某某市关于某某的通知", Some("gov.cn")), Local);
        assert_eq!(jurisdiction(None, "关于推进城市某某的意见", None), Unknown);
        assert_eq!(jurisdiction(Some("山东省商务厅"), "", None), Province(14));
        assert!(National.conflicts(Province(3)));
        assert!(!Local.conflicts(Province(3)));
    }
}
