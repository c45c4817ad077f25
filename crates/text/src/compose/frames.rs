//! Fact frames: the sentences a 一图读懂 cannot leave out, typed by what they tell a reader.
//!
//! A frame is one sentence of the content with the kind of fact it states (how much, who, by when, how, with
//! what, where to ask, what target) and the range of its *key*: the amount, date, phone number or cue word
//! that makes it that fact. The fit pass ([`super::fit`]) makes sure every frame's key
//! reaches the draft; figures, tables and bullets are built from the same sentences.
//!
//! Each cue list below is a pattern seen in at least three documents of the fixture sets (county, district and
//! provincial notices, 实施方案 and 办法): amounts next to 补贴/补助/奖励/缴费/标准, deadlines as dates or
//! `N个工作日内`, eligibility as 对象/条件/年满/户籍, procedures as 申请/报名/提交/审核/公示, materials as
//! 材料/复印件/证明/申请表.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::clauses;
use crate::dates::DatePrecision;
use crate::facts::{Facts, QuantityKind};
use crate::normalize::Norm;

/// What a frame tells a reader, in the order a short draft keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FrameKind {
    /// How much: an amount or rate of a subsidy, fee, award or standard.
    Amount,
    /// Who qualifies and on what conditions.
    Eligibility,
    /// By when: a date, a period, a time limit.
    Deadline,
    /// How: application, registration, review, payment steps.
    Procedure,
    /// With what: documents to hand in.
    Materials,
    /// Where to ask: phone, address, e-mail, contact person.
    Contact,
    /// A target with a year: `到2027年…达到…`.
    Target,
    /// A count, a duration or a rate that no other kind explains: supply (`共66套`), scale (`养老床位数2944张`), a
    /// task's size (`更新新能源公交车70辆`), a waiting period (`等待期3个月`), a share or a result (`优良率90.1%`,
    /// `减少化肥施用量10%以上`: the indicators of three statistical bulletins and a plan's aims).
    Count,
    /// A binding rule or a duty (`严禁…`, `不得…`, `应当…`, `…负责…`), only for sentences that state no other kind
    /// of fact; it weighs least, so it fills the room other frames leave.
    Rule,
}

/// One fact-bearing sentence.
#[derive(Debug, Clone)]
pub struct Frame {
    pub kind: FrameKind,
    /// The sentence, in the normalised text.
    pub sentence: Range<usize>,
    /// What makes it this kind of fact; a draft shows the frame when it shows this range.
    pub key: Range<usize>,
}

static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"补贴|补助|奖励|奖补|资助|缴费|缴纳|标准|发放|给予|贴息|减免|收费|费用|养老金|待遇|津贴|慰问金|救助|报销|支付|拨付|最高|不超过|不低于|上限|限额|额度|比例|收入|纳税",
    )
    .expect("measure regex")
});
/// A benefit stated in words rather than digits: `予以全额补贴`, `免交租金`, `减半征收…处理费`, `免除…殡葬服务费用`,
/// `不予补贴`, `不收费`. Thirty-odd key facts of 28 fixture documents (subsidy, fee, assessment and
/// housing texts of every set) are such a phrase; without a digit nothing else makes their sentence a frame.
pub(crate) static WORD_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"全额的?(?:补贴|补助|资助|救助|负担|代缴|奖补|退回)|减半(?:征收|收取|补贴)|免(?:收|交|征|除)[^，。；：,;:]{0,12}?(?:费用?|租金|税)|不予(?:补贴|补助|收取|奖励|发放)|不收费",
    )
    .expect("word amount regex")
});
/// Who qualifies: the cue words of an eligibility statement, and the papers or grades a qualifying person or body
/// holds (`持残疾证的残疾人员`, `持有…证`, `取得人力资源服务许可…的机构`, `残疾等级被评为一至四级`: fourteen key facts
/// of thirteen fixture documents in eight sets).
static ELIGIBILITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"对象|条件|年满|户籍|符合|适用|范围|具有|具备|应当具备|须为|限于|仅限|不得申请|不予受理|不在补贴范围|持有|持[^，。；]{0,10}证|取得[^，。；]{0,12}(?:证|许可|资格|标识)|被评为|评定为")
        .expect("eligibility regex")
});
/// Whether an eligibility cue only states what something means (`…对于提升城市管理水平具有重要意义`, `具有示范
/// 引领作用。`): `具有` whose clause ends in 意义, 作用 or 价值 names no one who qualifies (`具有引领作用的机构` does) (three fixture
/// documents' background paragraphs, and a held-out district 实施意见 whose draft listed it under 适用对象).
fn states_significance(t: &str, m: &regex::Match<'_>) -> bool {
    let rest = &t[m.end()..];
    let clause = &rest[..rest.find(['，', '。', '；']).unwrap_or(rest.len())];
    m.as_str() == "具有" && ["意义", "作用", "价值"].iter().any(|w| clause.ends_with(w))
}

static PROCEDURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"申请|申报|申领|报名|提交|递交|受理|审核|审批|审定|公示|登录|网上|线上|窗口|办理|认定|领取|拨付|兑付|确认",
    )
    .expect("procedure regex")
});
static MATERIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"材料|复印件|原件|证明|申请表|登记表|承诺书|身份证|证书|照片|营业执照|申报表|审批表|申请书|委托书|户口簿|社会保障卡",
    )
    .expect("materials regex")
});
static TIME_LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d+个?(?:工作日|日|天|个月|月)(?:内|以内)|截止|截至|之日起|前完成|前报送|前提交|逾期")
        .expect("limit regex")
});
/// Obligation and prohibition words (管理办法, 实施办法, 细则: songjiang, changning, huangpu, linshi jiuzhu and
/// pingtan fixtures state their key rules with them), and the duties a text assigns (`区经济发展局负责…准入审批`,
/// `校长是…的责任人`, `成立…工作领导小组`: who answers for what, key facts of six fixture documents), and the limits
/// of an entitlement (`每一家庭只能申请承租一套`, `同一用户仅限享受一次`, `…的不能脱贫`, `不再重复享受`: 27 key facts of
/// eighteen fixture documents in nine sets).
static RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"严禁|不得|禁止|应当|必须|应采取|应按照|应在|负责|责任人|领导小组|只能|不能|仅限|不再")
        .expect("rule regex")
});
/// What happens to whoever breaks the rules: `追究相关人员责任`, `取消其…资格`, `退回已领取的…补贴`, `予以不良信息记分`,
/// `启动吊销营业执照行政处罚程序`. Ten key facts of ten fixture documents name such a consequence; it is a key of
/// its sentence, so a bullet that keeps the rule keeps its consequence too.
static PENALTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"追究[^，。；]{0,12}责任|取消[^，。；]{0,10}资格|(?:退回|追回|追缴)[^，。；]{0,12}(?:补贴|补助|资金|待遇|奖励)|不良信息记分|处罚|列入[^，。；]{0,10}名单")
        .expect("penalty regex")
});
/// A ratio (`三次产业结构比例调整为8.7:48.5:42.8`, `城乡居民收入比2.06:1`, `生均比不低于1:1`, `不超过1：1.2确定…
/// 入围家庭名单`): after a word of proportion, or with a decimal part, so a clock time (`9:00`) or a time stamp
/// (`09:54:58`) is none. A key fact in three fixture documents (two bulletins, a 公租房 allocation rule), a fact of
/// four more.
static RATIO: LazyLock<Regex> = LazyLock::new(|| {
    let n = r"\d+(?:\.\d+)?";
    Regex::new(&format!(
        r"(?:比|比例|比重|结构)[^，。；\d]{{0,8}}{n}[:：]{n}(?:[:：]{n})*|\d+\.\d+[:：]{n}(?:[:：]{n})*|\d+[:：]\d+\.\d+"
    ))
    .expect("ratio regex")
});

/// Web and mail addresses written without a label (`(www.jszg.edu.cn)`).
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?://|www\.)[\w./\-]+[a-z]|[\w.\-]+@[\w\-]+\.[\w.\-]+").expect("address regex")
});
/// A sentence that says who the policy is for (`医疗救助对象为具有当地户籍、符合救助条件的城乡居民`,
/// `重度残疾人护理补贴对象为具有本市户籍且…的人员`, `本办法适用于…`): the eligibility statement itself, not a
/// sentence that mentions `救助对象` in passing. Forty such sentences stand in the fixture documents; those opening
/// the 对象 chapters of two 实施办法 (Pingtan medical assistance, Guangzhou disability subsidies) lost their place to
/// amounts that name their `对象`, and weighing them as concrete also brings in the scope of two more (Guangzhou
/// family doctors, Jiading public rental housing).
static DEFINES_WHO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"对象(?:为|是|包括)|适用于|适用范围为|申请人(?:须|应当|必须)").expect("defines who regex")
});
/// Where to apply: `向户籍所在地镇人民政府（街道办事处）提出申请`, `向行政服务中心窗口递交…材料`. The place is what a
/// reader acts on, so the whole phrase is a key. Nine key facts of nine fixture documents (five sets: social
/// assistance, public housing, training, expropriation) are such a phrase.
static APPLY_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"向[^，。；：,;:]{2,40}?(?:提出(?:书面|征收)?申请|递交|提交|报送|申报|申请)").expect("apply-at regex")
});
static TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"到20\d\d年|20\d\d年(?:底|末)?前?").expect("target regex"));

/// What makes a sentence concrete beyond digits: a web or mail address, a named title or form, a quoted name, a
/// Chinese numeral with a unit (`一年以上`, `二种方式`). Seen in the key facts of most fixture documents, which are
/// the figures, dates, addresses and named channels a reader acts on.
static CONCRETE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"www\.|https?://|@|“|[一二三四五六七八九十两]+(?:个|年|月|周岁|日|天|次|种|类|套|人|户)")
        .expect("concrete regex")
});

/// A sentence that opens by citing its basis.
static CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:根据|依据|按照|为贯彻|为落实|贯彻落实)").expect("citation regex"));

/// The 《titles》 of a text and the bracketed 文号 after them (`（闽教师﹝2024﹞8号）`), as byte ranges, in order.
fn cited_ranges(t: &str) -> Vec<Range<usize>> {
    let mut out = crate::facts::title_ranges(t);
    out.extend(DOC_NO.find_iter(t).map(|m| m.range()));
    out.sort_by_key(|r| r.start);
    out.dedup_by(|b, a| b.start < a.end);
    out
}

/// A 文号 cited in parentheses after what it numbers: `（某政办发〔2024〕8号）`.
static DOC_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"[（(][^（）()]{{0,20}}?{}[）)]", tujie_zh::doc_number::pattern())).expect("doc no regex")
});

impl Frame {
    /// How much a reader loses when the frame is left out: frames whose key is a figure, a date or a contact,
    /// and frames whose sentence is concrete (figures, addresses, names), before frames known only by a cue
    /// word. The fit pass keeps heavier frames first and gives up lighter ones for them.
    pub fn weight(&self, norm: &Norm) -> u8 {
        let base = match self.kind {
            FrameKind::Amount | FrameKind::Contact => 3,
            FrameKind::Deadline | FrameKind::Eligibility | FrameKind::Target | FrameKind::Materials => 2,
            FrameKind::Procedure | FrameKind::Count => 1,
            FrameKind::Rule => 0,
        };
        let key = norm.get(self.key.clone());
        let sentence = norm.get(self.sentence.clone());
        // An amount whose sentence names no measure (`分布式光伏：0.25元/千瓦时` under its chapter's 奖励标准, a
        // threshold `营业额达到500万元以上的`) is a fact, but weighs less than one that says what it pays.
        let unmeasured = self.kind == FrameKind::Amount && !MEASURE.is_match(sentence);
        let key_concrete = (key.contains(|c: char| c.is_ascii_digit()) && !unmeasured)
            || matches!(self.kind, FrameKind::Contact)
            || APPLY_AT.is_match(key)
            || (self.kind == FrameKind::Eligibility && DEFINES_WHO.is_match(sentence));
        // A sentence that only cites a basis (`根据《…》（…〔2024〕8号）要求`) is not concrete for its title's figures.
        let mut own = sentence.to_string();
        for r in cited_ranges(sentence).into_iter().rev() {
            own.replace_range(r, "");
        }
        let citation = CITATION.is_match(sentence);
        let concrete = own.contains(|c: char| c.is_ascii_digit())
            || CONCRETE.is_match(&own)
            || (!citation && sentence.contains('《'));
        base + 2 * u8::from(key_concrete) + 2 * u8::from(concrete)
    }
}

/// Every frame of the content, in source order; a sentence can carry several kinds.
pub fn find(norm: &Norm, lines: &[Range<usize>], facts: &Facts) -> Vec<Frame> {
    let mut out = Vec::new();
    for l in lines {
        let local = line_facts(facts, l);
        for s in clauses::sentences(norm, l.clone()).into_iter().filter(|s| !clauses::asked(norm, s)) {
            out.extend(sentence_frames(norm, s, &local));
        }
    }
    out
}

/// The facts of one line, so that each sentence looks only at its own line's (facts are in source order).
fn line_facts(facts: &Facts, l: &Range<usize>) -> Facts {
    fn within<T: Clone>(v: &[T], l: &Range<usize>, at: impl Fn(&T) -> &Range<usize>) -> Vec<T> {
        let from = v.partition_point(|x| at(x).start < l.start);
        v[from..].iter().take_while(|x| at(x).start < l.end).filter(|x| at(x).end <= l.end).cloned().collect()
    }
    Facts {
        amounts: within(&facts.amounts, l, |q| &q.range),
        percentages: within(&facts.percentages, l, |q| &q.range),
        counts: within(&facts.counts, l, |q| &q.range),
        durations: within(&facts.durations, l, |q| &q.range),
        dates: within(&facts.dates, l, |d| &d.range),
        contacts: within(&facts.contacts, l, |c| &c.range),
        ..Facts::default()
    }
}

fn sentence_frames(norm: &Norm, s: Range<usize>, facts: &Facts) -> Vec<Frame> {
    let t = norm.get(s.clone());
    // Figures inside a cited 《title》 or 文号 are names, not facts of this sentence.
    let cited: Vec<Range<usize>> = cited_ranges(t).into_iter().map(|r| s.start + r.start..s.start + r.end).collect();
    let inside = |r: &Range<usize>| {
        s.start <= r.start && r.end <= s.end && !cited.iter().any(|c| c.start <= r.start && r.end <= c.end)
    };
    let at = |m: regex::Match<'_>| s.start + m.start()..s.start + m.end();
    let frame = |kind, key: Range<usize>| Frame { kind, sentence: s.clone(), key };
    let mut out = Vec::new();
    // Every amount of a sentence is a key: a tier sentence states several. Money is an amount whatever it pays;
    // a rate without a measure is a share or a target (`覆盖率100%`).
    let measured = MEASURE.is_match(t);
    let money = facts.amounts.iter().chain(&facts.percentages).filter(|q| {
        inside(&q.range) && (q.kind == QuantityKind::Money || (measured && q.kind == QuantityKind::Percent))
    });
    out.extend(money.map(|q| frame(FrameKind::Amount, q.range.clone())));
    // `减免收费的农贸市场` names a kind of market, not a benefit of this text.
    let word_amounts = WORD_AMOUNT.find_iter(t).filter(|m| !t[..m.start()].ends_with('减'));
    out.extend(word_amounts.map(|m| frame(FrameKind::Amount, at(m))));
    if let Some(m) = ELIGIBILITY.find_iter(t).find(|m| !states_significance(t, m)) {
        out.push(frame(FrameKind::Eligibility, at(m)));
    }
    let dated: Vec<Range<usize>> = facts
        .dates
        .iter()
        .filter(|d| inside(&d.range) && d.precision != DatePrecision::Year)
        .map(|d| d.range.clone())
        .collect();
    if !dated.is_empty() {
        out.extend(dated.into_iter().map(|k| frame(FrameKind::Deadline, k)));
    } else if let Some(m) = TIME_LIMIT.find(t) {
        out.push(frame(FrameKind::Deadline, at(m)));
    }
    if let Some(m) = MATERIALS.find(t) {
        out.push(frame(FrameKind::Materials, at(m)));
    } else if let Some(m) = PROCEDURE.find(t) {
        out.push(frame(FrameKind::Procedure, at(m)));
    }
    if let Some(m) = APPLY_AT.find(t) {
        out.push(frame(FrameKind::Procedure, at(m)));
    }
    if let Some(c) = facts.contacts.iter().find(|c| inside(&c.range)) {
        out.push(frame(FrameKind::Contact, c.range.clone()));
    }
    let counts = facts.counts.iter().chain(&facts.percentages).any(|q| inside(&q.range));
    if let Some(m) = TARGET.find(t).filter(|_| counts && out.is_empty()) {
        out.push(frame(FrameKind::Target, at(m)));
    }
    if out.is_empty() {
        let counts = facts.counts.iter().chain(&facts.durations).chain(&facts.percentages).filter(|q| inside(&q.range));
        out.extend(counts.map(|q| frame(FrameKind::Count, q.range.clone())));
        out.extend(RATIO.find_iter(t).map(|m| frame(FrameKind::Count, at(m))));
    }
    if let Some(m) = RULE.find(t).filter(|_| out.is_empty()) {
        out.push(frame(FrameKind::Rule, at(m)));
    }
    if let Some(m) = PENALTY.find(t) {
        let kind = out.first().map_or(FrameKind::Rule, |f| f.kind);
        out.push(frame(kind, at(m)));
    }
    // Every other figure of the sentence (a duration, a count, a date, a web or mail address) is a key of its
    // first kind too: a bullet that shortens the sentence around its cue word must not lose them.
    if let Some(kind) = out.first().map(|f| f.kind) {
        let figures = facts.amounts.iter().chain(&facts.percentages).chain(&facts.counts).chain(&facts.durations);
        let mut extra: Vec<Range<usize>> = figures.map(|q| q.range.clone()).filter(inside).collect();
        extra.extend(facts.dates.iter().map(|d| d.range.clone()).filter(inside));
        extra.extend(ADDRESS.find_iter(t).map(at));
        extra.extend(RATIO.find_iter(t).map(at));
        for k in extra {
            if !out.iter().any(|f| f.key.start < k.end && k.start < f.key.end) {
                out.push(frame(kind, k));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<FrameKind> {
        let n = Norm::new(text);
        let lines = n.lines();
        let f = crate::facts::collect(&n, &lines);
        let mut k: Vec<FrameKind> = find(&n, &lines, &f).into_iter().map(|f| f.kind).collect();
        k.dedup();
        k
    }

    #[test]
    fn amounts_need_money_or_a_measured_rate() {
        assert_eq!(kinds("新能源乘用车每辆补贴4000元。"), [FrameKind::Amount]);
        assert!(!kinds("全区共有企业120家。").contains(&FrameKind::Amount));
        assert_eq!(kinds("1、分布式光伏：0.25元/千瓦时。"), [FrameKind::Amount]);
        assert!(!kinds("垃圾分类绿色账户推进100%全覆盖。").contains(&FrameKind::Amount));
        for words in ["考核为优秀的住宅小区予以全额补贴。", "孤寡老人免交租金。", "对非营利性养老机构减半征收处理费。"]
        {
            assert_eq!(kinds(words), [FrameKind::Amount], "{words}");
        }
    }

    /// The question of a 问答 page frames nothing; its answer does.
    #[test]
    fn a_question_is_no_frame() {
        assert!(kinds("申报材料的截止时间？").is_empty());
        assert!(kinds("申报材料的截止时间？答：2025年9月30日前提交。").contains(&FrameKind::Deadline));
    }

    #[test]
    fn who_holds_what_qualifies() {
        assert_eq!(kinds("持残疾证的残疾人员可以申请。"), [FrameKind::Eligibility, FrameKind::Procedure]);
        assert_eq!(kinds("残疾等级被评为一至四级的人员。"), [FrameKind::Eligibility]);
    }

    /// What something means is no one who qualifies; what a qualifying body has is.
    #[test]
    fn significance_is_no_eligibility() {
        assert!(kinds("环卫事业的发展对于提升城市管理水平具有重要意义。").is_empty());
        assert_eq!(kinds("具有引领带动作用的机构可另行研究。"), [FrameKind::Eligibility]);
    }

    #[test]
    fn who_when_how() {
        assert_eq!(kinds("补贴对象为年满60周岁的本区户籍居民。"), [FrameKind::Eligibility]);
        assert_eq!(kinds("请于2024年6月18日前提交申请。"), [FrameKind::Deadline, FrameKind::Procedure]);
        assert_eq!(kinds("审核在10个工作日内完成。"), [FrameKind::Deadline, FrameKind::Procedure]);
        assert_eq!(kinds("需提供身份证复印件。"), [FrameKind::Materials]);
        // A form or card named alone is a material to bring (`所需材料` lists of service guides).
        for item in ["1.《某某补贴申报表》。", "《退休时间申请书》", "本人的社会保障卡。", "居民户口簿。"]
        {
            assert_eq!(kinds(item), [FrameKind::Materials], "{item}");
        }
        assert_eq!(kinds("咨询电话：0591-24272698。"), [FrameKind::Contact]);
    }

    #[test]
    fn concrete_frames_weigh_more_than_cue_words() {
        let weight = |text: &str| {
            let n = Norm::new(text);
            let lines = n.lines();
            let f = crate::facts::collect(&n, &lines);
            find(&n, &lines, &f).iter().map(|f| f.weight(&n)).max().unwrap_or(0)
        };
        assert!(weight("请登录中国教师资格网（www.jszg.edu.cn）提交申请。") > weight("按规定提交申请。"));
        assert!(weight("请于2024年6月18日前提交申请。") > weight("请及时提交申请。"));
    }

    #[test]
    fn every_figure_of_a_sentence_is_a_key() {
        let n = Norm::new("申请人须为初创企业，登记注册满6个月，并登录www.gdrc.gov.cn提交申请。");
        let lines = n.lines();
        let f = crate::facts::collect(&n, &lines);
        let keys: Vec<&str> = find(&n, &lines, &f).iter().map(|f| n.get(f.key.clone())).collect();
        assert!(keys.contains(&"6个月"), "{keys:?}");
        assert!(keys.iter().any(|k| k.starts_with("www.gdrc.gov.cn")), "{keys:?}");
    }

    #[test]
    fn counts_that_nothing_else_explains() {
        assert_eq!(kinds("本批次人才公寓共66套。"), [FrameKind::Count]);
        // A rate that nothing else explains is a result or a share of the text (`空气质量优良率90.1%`).
        assert_eq!(kinds("全年空气质量优良率90.1%。"), [FrameKind::Count]);
        assert_eq!(kinds("三次产业结构比例调整为8.7:48.5:42.8。"), [FrameKind::Count]);
        // A clock time is no ratio.
        assert!(kinds("每天上午9:00开门。").is_empty());
    }

    #[test]
    fn rules_only_where_nothing_else_is_stated() {
        assert_eq!(kinds("严禁将入市土地用于建设商品住宅。"), [FrameKind::Rule]);
        assert_eq!(kinds("每个家庭只能享受一次。"), [FrameKind::Rule]);
        assert_eq!(kinds("校长是学校控辍保学的第一责任人。"), [FrameKind::Rule]);
        assert_eq!(kinds("区民政局负责全区养老服务的统筹协调。"), [FrameKind::Rule]);
        assert!(!kinds("申请人不得提交虚假材料。").contains(&FrameKind::Rule));
    }

    #[test]
    fn targets_need_a_year_and_a_number() {
        assert_eq!(kinds("到2027年，全区养老床位达到3000张。"), [FrameKind::Target]);
    }
}
