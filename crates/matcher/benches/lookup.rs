//! Lookup latency and index memory at catalogue scale: 1,000,000 synthetic interpretations plus 100,000 policies,
//! titles generated from a combinatorial vocabulary, publication dates spread over ten years.
//!
//! Prints p50/p99/max of (a) candidate lookup alone and (b) the full `links_for` (lookup, scoring, choice), for
//! policies and for interpretations, and the index memory both as the index's own heap estimate and as the growth
//! of the process's resident set. Run: `cargo bench -p tujie-matcher --bench lookup` (optionally `-- N` for a
//! smaller catalogue). A custom harness because the figures wanted are percentiles and memory, not means.
//! Half of the interpretations carry a body opening that names their policy; `-- --terms` also switches the
//! word-overlap signal on, which segments every title at insert time.

use std::time::Instant;

use tujie_matcher::{MatchIndex, MatcherConfig};
use tujie_model::{Document, DocumentKind, Timestamp};

const AREAS: &[&str] = &[
    "数字", "绿色", "乡村", "城市", "海洋", "文化", "旅游", "养老", "托育", "医疗", "教育", "体育", "交通", "水利",
    "能源", "粮食", "林草", "气象", "航空", "物流", "金融", "科技", "人才", "就业", "住房", "社区", "应急", "安全",
    "消防", "环保", "种业", "畜牧", "渔业", "冷链", "电商", "会展", "外贸", "口岸", "边境", "民族",
];
const ACTIONS: &[&str] = &[
    "促进", "加快", "推动", "深化", "完善", "加强", "规范", "支持", "推进", "提升", "健全", "优化", "扩大", "实施",
    "开展", "落实", "强化", "培育", "发展", "建设", "改革", "保障", "创新", "治理", "服务", "监管", "振兴", "整治",
    "引导", "激励",
];
const OBJECTS: &[&str] = &[
    "产业发展",
    "公共服务",
    "基础设施",
    "市场体系",
    "信用体系",
    "标准体系",
    "人才队伍",
    "数据要素",
    "营商环境",
    "消费升级",
    "技术改造",
    "平台经济",
    "中小企业",
    "个体工商户",
    "新型经营主体",
    "高标准农田",
    "县域经济",
    "社会救助",
    "基层治理",
    "质量提升",
    "品牌建设",
    "招商引资",
    "对外开放",
    "区域协调",
    "生态补偿",
    "碳排放管理",
    "资源循环利用",
    "节能降碳",
    "智慧城市",
    "适老化改造",
    "职业技能",
    "社会保险",
    "医疗保障",
    "药品监管",
    "食品安全",
    "安全生产",
    "防灾减灾",
    "应急物资",
    "公共卫生",
    "健康促进",
    "全民健身",
    "学前教育",
    "职业教育",
    "终身学习",
    "文物保护",
    "非遗传承",
    "公共文化",
    "体育产业",
    "夜间经济",
    "首发经济",
];
const TYPES: &[&str] = &[
    "实施方案",
    "指导意见",
    "管理办法",
    "行动计划",
    "若干措施",
    "工作方案",
    "暂行办法",
    "实施细则",
    "若干意见",
    "三年行动方案",
];
const ISSUERS: &[&str] = &["国务院", "国务院办公厅", "国家发展改革委", "财政部", "某某省人民政府", "某某市人民政府"];
const WRAPPERS: &[&str] =
    &["图解：{}", "一图读懂《{}》", "《{}》政策解读", "某某部有关负责人就《{}》答记者问", "解读《{}》", "专家解读：{}"];

/// A small deterministic generator (xorshift) so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

fn name(r: &mut Rng) -> String {
    let year = 2016 + r.next() % 10;
    let edition = if r.next().is_multiple_of(4) { format!("{year}年") } else { String::new() };
    format!("{edition}{}{}{}{}", r.pick(AREAS), r.pick(ACTIONS), r.pick(OBJECTS), r.pick(TYPES))
}

fn date(r: &mut Rng) -> Timestamp {
    let day = r.next() % 3650;
    let d = chrono_day(day);
    Timestamp::parse(&d).expect("generated date")
}

/// `2016-01-01` plus `n` days, without a date library in the bench.
fn chrono_day(mut n: u64) -> String {
    let mut y: u64 = 2016;
    loop {
        let len = if y.is_multiple_of(4) { 366 } else { 365 };
        if n < len {
            break;
        }
        n -= len;
        y += 1;
    }
    let feb = if y.is_multiple_of(4) { 29 } else { 28 };
    let months = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    while n >= months[m] {
        n -= months[m];
        m += 1;
    }
    format!("{y}-{:02}-{:02}", m + 1, n + 1)
}

fn doc(id: String, kind: DocumentKind, title: String, published_at: Timestamp, url: Option<String>) -> Document {
    Document { url, ..Document::new(id, kind, title, published_at) }
}

/// An interpretation; half of them carry a news-style body opening that names the policy, so reading bodies is
/// part of what is measured.
fn interpretation(r: &mut Rng, n: usize) -> Document {
    let subject = name(r);
    let title = r.pick(WRAPPERS).replace("{}", &subject);
    let url = format!("https://www.example.gov.cn/jd/{n}.htm");
    let mut d = doc(format!("i-{n}"), DocumentKind::Interpretation, title, date(r), Some(url));
    if n.is_multiple_of(2) {
        let issuer = r.pick(ISSUERS);
        let body = format!(
            "近日，{issuer}印发了《{subject}》（某办发〔2024〕{}号，以下简称《办法》）。为贯彻落实《{}》精神，……",
            n % 97,
            name(r)
        );
        d.body_text = Some(body);
    }
    d
}

fn policy(r: &mut Rng, n: usize) -> Document {
    let title = format!("{}关于印发《{}》的通知", r.pick(ISSUERS), name(r));
    let url = format!("https://www.example.gov.cn/zc/{n}.htm");
    doc(format!("p-{n}"), DocumentKind::Policy, title, date(r), Some(url))
}

fn rss_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn percentiles(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), v[v.len() - 1])
}

fn time<T>(docs: &[Document], f: impl Fn(&Document) -> T) -> (f64, f64, f64) {
    let mut us = Vec::with_capacity(docs.len());
    for d in docs {
        let t = Instant::now();
        std::hint::black_box(f(d));
        us.push(t.elapsed().as_secs_f64() * 1e6);
    }
    percentiles(us)
}

fn main() {
    let n_interp: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let n_policy = n_interp / 10;
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let before = rss_bytes();
    let t = Instant::now();
    // `--terms` switches the word-overlap signal on (it is off by default), which segments every title on insert.
    let mut cfg = MatcherConfig::default();
    if std::env::args().any(|a| a == "--terms") {
        cfg.weights.terms = 0.7;
    }
    println!("weights.terms = {}", cfg.weights.terms);
    let mut index = MatchIndex::new(cfg);
    for n in 0..n_policy {
        index.upsert(&policy(&mut r, n));
    }
    for n in 0..n_interp {
        index.upsert(&interpretation(&mut r, n));
    }
    let build = t.elapsed();
    let after = rss_bytes();
    println!(
        "catalogue: {n_interp} interpretations + {n_policy} policies, built in {:.1} s ({:.1} µs/doc)",
        build.as_secs_f64(),
        build.as_secs_f64() * 1e6 / (n_interp + n_policy) as f64
    );
    let heap = index.heap_bytes();
    println!(
        "memory: index heap estimate {:.0} MiB ({:.0} B/doc); process RSS growth {}",
        heap as f64 / 1048576.0,
        heap as f64 / index.len() as f64,
        match (before, after) {
            (Some(b), Some(a)) => format!("{:.0} MiB", (a.saturating_sub(b)) as f64 / 1048576.0),
            _ => "n/a".into(),
        }
    );

    // Fresh queries (not in the index), drawn from the same vocabulary.
    let policies: Vec<Document> = (0..2000).map(|n| policy(&mut r, 10_000_000 + n)).collect();
    let interps: Vec<Document> = (0..2000).map(|n| interpretation(&mut r, 10_000_000 + n)).collect();
    for (what, docs) in [("policy", &policies), ("interpretation", &interps)] {
        let cands: usize = docs.iter().map(|d| index.candidate_count(d)).sum();
        let (p50, p99, max) = time(docs, |d| index.candidate_count(d));
        println!(
            "{what:>14} candidate lookup: p50 {p50:.0} µs, p99 {p99:.0} µs, max {max:.0} µs ({:.1} candidates on average)",
            cands as f64 / docs.len() as f64
        );
        let (p50, p99, max) = time(docs, |d| index.links_for(d));
        println!("{what:>14} links_for (lookup + scoring): p50 {p50:.0} µs, p99 {p99:.0} µs, max {max:.0} µs");
    }
}
