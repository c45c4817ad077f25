//! One test per matching signal and per guard, with made-up titles (甲乙丙 …), through the public API.

use serde_json::{Value, json};
use tujie_matcher::{MatchIndex, MatcherConfig};
use tujie_model::{Document, Link};

fn doc(v: Value) -> Document {
    serde_json::from_value(v).expect("test document")
}

fn policy(id: &str, title: &str, date: &str) -> Value {
    json!({"id": id, "kind": "policy", "title": title, "published_at": date})
}

fn interp(id: &str, title: &str, date: &str) -> Value {
    json!({"id": id, "kind": "interpretation", "title": title, "published_at": date})
}

fn index(policies: &[Value]) -> MatchIndex {
    let mut idx = MatchIndex::new(MatcherConfig::default());
    for p in policies {
        idx.upsert(&doc(p.clone()));
    }
    idx
}

/// Links for an interpretation arriving now (upserted first, as the pipeline does).
fn arrive(idx: &mut MatchIndex, v: Value) -> Vec<Link> {
    let d = doc(v);
    idx.upsert(&d);
    idx.links_for(&d)
}

fn linked(links: &[Link]) -> Vec<(&str, &str)> {
    links.iter().map(|l| (l.policy_id.as_str(), l.method.as_str())).collect()
}

/// The linked policy ids, sorted.
fn sorted_ids(links: &[Link]) -> Vec<&str> {
    let mut ids: Vec<&str> = links.iter().map(|l| l.policy_id.as_str()).collect();
    ids.sort_unstable();
    ids
}

/// Signals of the candidate `interp` in the explanation of `policy` (to check what a guard said).
fn signals(idx: &MatchIndex, policy: &str, interp: &str) -> Vec<String> {
    let e = idx.explain(policy).expect("policy is indexed");
    let c = e.candidates.iter().find(|c| c.interpretation_id == interp).expect("candidate considered");
    c.evidence.iter().filter(|e| e.weight != 0.0).map(|e| e.signal.clone()).collect()
}

const P: &str = "某某部关于印发《甲乙丙丁管理办法》的通知";

#[test]
fn explicit_link_from_the_policy_page_needs_no_title() {
    let mut p = policy("p", P, "2024-03-01");
    p["related"] = json!([{"url": "https://www.example.gov.cn/jd/1.htm", "title": "视频", "relation": "相关解读"}]);
    let mut idx = index(&[p]);
    let mut i = interp("i", "视频", "2024-03-01");
    i["url"] = json!("http://example.gov.cn/jd/1.htm");
    let links = arrive(&mut idx, i);
    assert_eq!(linked(&links), [("p", "explicit_link")]);
    assert!(links[0].score <= 1.0);
}

#[test]
fn explicit_link_from_the_interpretation_body_or_declared_id() {
    let mut p = policy("p", P, "2024-03-01");
    p["url"] = json!("https://www.example.gov.cn/zc/9.htm");
    let mut idx = index(&[p, policy("q", "某某部关于另一件事的通知", "2024-03-01")]);
    let mut i = interp("i", "一张图看政策", "2024-03-02");
    i["body_html"] = json!("<p>原文：<a href=\"https://www.example.gov.cn/zc/9.htm\">链接</a></p>");
    assert_eq!(linked(&arrive(&mut idx, i)), [("p", "explicit_link")]);
    let mut j = interp("j", "一张图看政策", "2024-03-02");
    j["interprets"] = json!([{"id": "q"}]);
    assert_eq!(linked(&arrive(&mut idx, j)), [("q", "explicit_link")]);
}

#[test]
fn doc_number_with_bracket_variants() {
    let mut p = policy("p", "某某部关于进一步做好某项工作的通知", "2024-03-01");
    p["doc_number"] = json!("甲办发〔2024〕7号");
    let mut idx = index(&[p]);
    let mut i = interp("i", "政策问答", "2024-03-03");
    i["body_text"] = json!("近日，某某部印发甲办发[2024]7号文件，现就有关问题解答如下。");
    assert_eq!(linked(&arrive(&mut idx, i)), [("p", "body_doc_number")]);
    let mut j = interp("j", "政策问答", "2024-03-03");
    j["doc_number"] = json!("甲办发（2024）07号");
    assert_eq!(linked(&arrive(&mut idx, j)), [("p", "doc_number")]);
    // Cited as a basis, a 文号 alone does not link.
    let mut k = interp("k", "政策问答", "2024-03-20");
    k["body_text"] = json!("一、什么是某项工作？答：根据甲办发[2024]7号文件，……");
    assert!(arrive(&mut idx, k).is_empty());
}

#[test]
fn quoted_title_and_core_title() {
    let mut idx = index(&[policy("p", P, "2024-03-01")]);
    let links = arrive(&mut idx, interp("i1", "某某部有关负责人就《甲乙丙丁管理办法》答记者问", "2024-03-01"));
    assert_eq!(linked(&links), [("p", "quoted_title")]);
    let links = arrive(&mut idx, interp("i2", "图解：某某部关于印发甲乙丙丁管理办法的通知", "2024-03-02"));
    assert_eq!(linked(&links), [("p", "core_title")]);
}

#[test]
fn related_title_listed_on_the_policy_page() {
    let mut p = policy("p", "某某院关于加快甲乙产业发展的若干意见", "2024-03-01");
    p["related"] = json!([{"title": "某某部谈加快甲乙产业发展", "relation": "相关解读"}]);
    let mut idx = index(&[p]);
    let links = arrive(&mut idx, interp("i", "图解：某某部谈加快甲乙产业发展", "2024-03-20"));
    assert_eq!(linked(&links), [("p", "related_title")]);
}

#[test]
fn abbreviations_and_issuer_bonus() {
    let mut p = policy("p", "人力资源社会保障部关于印发《甲乙技能提升办法》的通知", "2024-03-01");
    p["issuer"] = json!("人力资源社会保障部");
    let mut idx = index(&[p]);
    let links = arrive(&mut idx, interp("i", "人社部负责人就《甲乙技能提升办法》答记者问", "2024-03-01"));
    assert_eq!(linked(&links), [("p", "quoted_title")]);
    assert!(links[0].evidence.iter().any(|e| e.signal == "issuer" && e.weight > 0.0), "{:?}", links[0].evidence);
}

#[test]
fn high_bigram_similarity_alone_can_match_but_a_shared_topic_cannot() {
    let mut idx = index(&[policy("p", "某某院关于促进甲乙丙丁戊己产业高质量发展的指导意见", "2024-03-01")]);
    let links = arrive(&mut idx, interp("i", "图解：促进甲乙丙丁戊己产业高质量发展指导意见", "2024-03-01"));
    assert_eq!(links.iter().map(|l| l.policy_id.as_str()).collect::<Vec<_>>(), ["p"], "{links:?}");
    let links = arrive(&mut idx, interp("j", "专家解读：以标准引领甲乙丙丁建设", "2024-03-05"));
    assert!(links.is_empty(), "{links:?}");
}

#[test]
fn guard_another_year_or_batch_or_plan() {
    let mut idx = index(&[
        policy("p25", "某某办公厅关于2025年甲乙安排的通知", "2024-10-20"),
        policy("b1", "某某办公厅关于印发《甲乙重点事项清单（第一批）》的通知", "2024-10-20"),
        policy("f14", "关于印发《甲乙发展十四五规划》的通知", "2024-10-20"),
    ]);
    assert!(arrive(&mut idx, interp("i26", "图解：某某办公厅关于2026年甲乙安排的通知", "2024-10-21")).is_empty());
    assert!(signals(&idx, "p25", "i26").contains(&"edition_mismatch".to_owned()));
    assert!(arrive(&mut idx, interp("i2", "一图读懂《甲乙重点事项清单（第二批）》", "2024-10-21")).is_empty());
    assert!(arrive(&mut idx, interp("i15", "《甲乙发展十五五规划》解读", "2024-10-21")).is_empty());
    assert!(signals(&idx, "f14", "i15").contains(&"edition_mismatch".to_owned()));
}

#[test]
fn guard_trial_version() {
    let mut idx = index(&[policy("p", "关于印发《甲乙丙丁管理办法》的通知", "2024-03-01")]);
    assert!(arrive(&mut idx, interp("i", "《甲乙丙丁管理办法（试行）》解读", "2024-03-02")).is_empty());
    assert!(signals(&idx, "p", "i").contains(&"trial".to_owned()));
    // Titles often drop （试行）: the policy's trial status then costs less, and an equal title still links.
    let mut idx = index(&[policy("p", "关于印发《甲乙丙丁管理办法（试行）》的通知", "2024-03-01")]);
    let links = arrive(&mut idx, interp("i", "《甲乙丙丁管理办法》解读", "2024-03-02"));
    assert_eq!(linked(&links), [("p", "quoted_title")]);
    assert!(signals(&idx, "p", "i").contains(&"trial_unstated".to_owned()));
    let links = arrive(&mut idx, interp("j", "《甲乙丙丁管理办法（试行）》解读", "2024-03-02"));
    assert_eq!(linked(&links), [("p", "quoted_title")]);
}

#[test]
fn guard_approval_reply_versus_the_plan() {
    let mut idx = index(&[policy("reply", "某某院关于《甲乙丙发展规划》的批复", "2024-03-01")]);
    assert!(arrive(&mut idx, interp("i", "某某部负责同志就《甲乙丙发展规划》答记者问", "2024-03-12")).is_empty());
    assert!(signals(&idx, "reply", "i").contains(&"approval_reply".to_owned()));
    idx.upsert(&doc(policy("plan", "关于印发《甲乙丙发展规划》的通知", "2024-03-12")));
    let links = arrive(&mut idx, interp("j", "某某部负责同志就《甲乙丙发展规划》答记者问", "2024-03-12"));
    assert_eq!(linked(&links), [("plan", "quoted_title")]);
}

#[test]
fn the_approval_reply_guard_yields_to_the_page_listing_the_interpretation() {
    let mut reply = policy("reply", "某某委员会关于调整甲乙丙政策的批复", "2024-03-01");
    reply["related"] =
        json!([{"url": null, "title": "一图读懂：某某中心最新甲乙丙政策解读", "relation": "interpretation"}]);
    let mut idx = index(&[reply]);
    let links = arrive(&mut idx, interp("i", "一图读懂：某某中心最新甲乙丙政策解读", "2024-03-01"));
    assert_eq!(linked(&links), [("reply", "related_title")]);
    assert!(!signals(&idx, "reply", "i").contains(&"approval_reply".to_owned()));
}

#[test]
fn a_second_record_of_the_linked_document_is_linked_too() {
    let mut idx = index(&[
        policy("a", "关于调整甲乙丙使用政策的通知", "2024-03-01"),
        policy("b", "关于调整甲乙丙使用政策的通知", "2024-03-01"),
        policy("later", "关于调整甲乙丙使用政策的通知", "2024-03-20"),
    ]);
    let mut i = interp("i", "某地：甲乙丙新规4月起施行", "2024-03-21");
    i["body_text"] = json!("3月21日，记者获悉，近日，某某市某某委员会印发关于调整甲乙丙使用政策的通知。新政提出……");
    let links = arrive(&mut idx, i);
    let ids = sorted_ids(&links);
    // The same title a few weeks earlier is another document, not a second record: only the closest is taken.
    assert_eq!(ids, ["later"]);
    let mut j = interp("j", "某地：甲乙丙新规施行", "2024-03-02");
    j["body_text"] = json!("近日，某某市某某委员会印发关于调整甲乙丙使用政策的通知。");
    let links = arrive(&mut idx, j);
    let ids = sorted_ids(&links);
    assert_eq!(ids, ["a", "b"]);
    assert!(links.iter().all(|l| l.method == "body_exact_title"), "{links:?}");
    // The same title from two issuers on one day: two documents, one link.
    let mut x = policy("x", "关于调整戊己庚使用政策的通知", "2024-04-01");
    x["issuer"] = json!("某甲市住房公积金管理委员会");
    let mut y = policy("y", "关于调整戊己庚使用政策的通知", "2024-04-01");
    y["issuer"] = json!("某乙市住房公积金管理委员会");
    idx.upsert(&doc(x));
    idx.upsert(&doc(y));
    let mut k = interp("k", "某地：戊己庚新规施行", "2024-04-01");
    k["body_text"] = json!("近日，某甲市住房公积金管理委员会印发关于调整戊己庚使用政策的通知。");
    assert_eq!(linked(&arrive(&mut idx, k)), [("x", "body_exact_title")]);
}

#[test]
fn guard_meeting_readout_published_before_the_document() {
    let mut idx = MatchIndex::new(MatcherConfig::default());
    arrive(&mut idx, interp("i", "某某院常务会议解读｜常务会议审议通过《甲乙丙规划》", "2024-03-01"));
    let p = doc(policy("p", "某某院关于印发《甲乙丙规划》的通知", "2024-03-15"));
    idx.upsert(&p);
    assert!(idx.links_for(&p).is_empty());
    let s = signals(&idx, "p", "i");
    assert!(s.contains(&"meeting_readout".to_owned()) && s.contains(&"date_out_of_window".to_owned()), "{s:?}");
}

#[test]
fn guard_province_scheme_versus_national_scheme() {
    let mut national = policy("n", "某某办公厅关于印发《甲乙补贴制度实施方案》的通知", "2024-03-01");
    national["issuer"] = json!("国务院办公厅");
    let mut idx = index(&[national]);
    let mut i = interp("i", "甲乙补贴制度实施方案政策解读", "2024-03-05");
    i["url"] = json!("https://wjw.hubei.gov.cn/zcjd/1.htm");
    assert!(arrive(&mut idx, i.clone()).is_empty());
    assert!(signals(&idx, "n", "i").contains(&"jurisdiction".to_owned()));
    let mut provincial = policy("h", "湖北省卫生健康委员会关于印发《甲乙补贴制度实施方案》的通知", "2024-03-02");
    provincial["issuer"] = json!("湖北省卫生健康委员会");
    idx.upsert(&doc(provincial));
    i["id"] = json!("i2");
    assert_eq!(linked(&arrive(&mut idx, i)), [("h", "core_title")]);
}

#[test]
fn guard_draft_versus_issued_text() {
    let mut idx = index(&[policy("p", "甲乙丙丁条例", "2024-03-01")]);
    assert!(arrive(&mut idx, interp("i", "《甲乙丙丁条例（征求意见稿）》起草说明解读", "2024-03-01")).is_empty());
    assert!(signals(&idx, "p", "i").contains(&"draft".to_owned()));
}

#[test]
fn guard_derived_documents() {
    let mut idx = index(&[policy("p", "甲乙丙丁暂行条例", "2024-03-01")]);
    assert!(arrive(&mut idx, interp("i", "《甲乙丙丁暂行条例》五部配套规章解读", "2024-03-10")).is_empty());
    assert!(signals(&idx, "p", "i").contains(&"derivative".to_owned()));
}

#[test]
fn guard_dates_outside_the_window() {
    let mut idx = index(&[policy("p", P, "2024-03-01")]);
    assert!(arrive(&mut idx, interp("too-late", "《甲乙丙丁管理办法》解读", "2026-06-01")).is_empty());
    assert!(arrive(&mut idx, interp("late-unquoted", "甲乙丙丁管理办法解读", "2024-12-01")).is_empty());
    assert!(arrive(&mut idx, interp("early", "《甲乙丙丁管理办法》解读", "2024-02-01")).is_empty());
    assert!(signals(&idx, "p", "too-late").contains(&"date_out_of_window".to_owned()));
    assert!(signals(&idx, "p", "late-unquoted").contains(&"date_out_of_window".to_owned()));
}

/// A late interpretation (beyond `max_days_after`, within `max_days_after_exact`) whose title quotes the policy is
/// linked, so that the report counts it as late rather than missing.
#[test]
fn late_interpretation_quoting_its_policy_in_the_title() {
    let mut idx = index(&[policy("p", P, "2024-03-01")]);
    assert_eq!(
        linked(&arrive(&mut idx, interp("late", "《甲乙丙丁管理办法》解读", "2024-12-01"))),
        [("p", "quoted_title")]
    );
    let e = idx.explain("p").expect("policy is indexed");
    let c = e.candidates.iter().find(|c| c.interpretation_id == "late").expect("candidate considered");
    assert!(c.evidence.iter().any(|e| e.signal == "date_late_exact"), "{:?}", c.evidence);
    assert!(!c.evidence.iter().any(|e| e.signal == "date_out_of_window"), "{:?}", c.evidence);
}

/// Issue 11, category 5: a 答记者问 dated before the policy page (the page carries its web publication date, not
/// the signing). No real pair of this kind is in the fixtures yet, hence made-up titles.
#[test]
fn questions_naming_the_policy_exactly_may_precede_its_page() {
    let mut idx = index(&[policy("p", "某某部关于印发《甲乙丙丁管理办法》的通知", "2024-03-11")]);
    let links = arrive(
        &mut idx,
        interp("qa", "某某部负责人就《某某部关于印发〈甲乙丙丁管理办法〉的通知》答记者问", "2024-03-01"),
    );
    assert_eq!(linked(&links), [("p", "exact_title")]);
    assert!(!signals(&idx, "p", "qa").contains(&"date_out_of_window".to_owned()));
    // Not a Q&A, or not naming the policy exactly: the date window holds.
    assert!(arrive(&mut idx, interp("text", "《甲乙丙丁管理办法》解读", "2024-03-01")).is_empty());
    assert!(signals(&idx, "p", "text").contains(&"date_out_of_window".to_owned()));
}

#[test]
fn guard_interpretation_names_another_document() {
    let mut idx = index(&[policy("p", "某某院关于加强甲乙丙债务管理的意见", "2024-03-01")]);
    assert!(arrive(&mut idx, interp("i", "某某署新闻发言人解读《全国甲乙丙债务审计结果》", "2024-03-01")).is_empty());
}

#[test]
fn late_arrival_links_from_the_policy_side() {
    let mut idx = MatchIndex::new(MatcherConfig::default());
    assert!(arrive(&mut idx, interp("i", "一图读懂《甲乙丙丁管理办法》", "2024-03-01")).is_empty());
    let p = doc(policy("p", P, "2024-03-01"));
    idx.upsert(&p);
    let links = idx.links_for(&p);
    assert_eq!(links.iter().map(|l| l.interpretation_id.as_str()).collect::<Vec<_>>(), ["i"]);
}

#[test]
fn one_best_policy_unless_two_are_named() {
    let mut idx = index(&[
        policy("old", "关于做好甲乙丙工作的通知", "2024-01-05"),
        policy("new", "关于做好甲乙丙工作的通知", "2024-02-20"),
        policy("other", "关于印发《戊己庚办法》的通知", "2024-02-20"),
    ]);
    assert_eq!(
        linked(&arrive(&mut idx, interp("i", "图解：关于做好甲乙丙工作的通知", "2024-02-21"))),
        [("new", "core_title")]
    );
    let links = arrive(&mut idx, interp("j", "解读《关于做好甲乙丙工作的通知》和《戊己庚办法》", "2024-02-21"));
    let ids = sorted_ids(&links);
    assert_eq!(ids, ["new", "other"]);
    // The policy side agrees: the older notice does not collect the interpretation.
    let old = idx.explain("old").unwrap();
    assert!(old.candidates.iter().all(|c| !c.accepted), "{old:?}");
    assert!(old.candidates.iter().any(|c| c.reason.contains("new")), "{old:?}");
}

#[test]
fn withdrawn_and_replaced_documents() {
    let mut idx = index(&[policy("p", P, "2024-03-01")]);
    assert_eq!(idx.len(), 1);
    idx.remove("p");
    assert!(idx.is_empty());
    assert!(arrive(&mut idx, interp("i", "《甲乙丙丁管理办法》解读", "2024-03-01")).is_empty());
    idx.upsert(&doc(policy("p", "关于印发《完全不同的办法》的通知", "2024-03-01")));
    idx.upsert(&doc(policy("p", P, "2024-03-01")));
    assert_eq!(idx.len(), 2);
    assert_eq!(idx.links_for(&doc(interp("i", "《甲乙丙丁管理办法》解读", "2024-03-01"))).len(), 1);
}

#[test]
fn explanation_serialises_with_reasons() {
    let mut idx = index(&[policy("p", P, "2024-03-01")]);
    arrive(&mut idx, interp("i", "《甲乙丙丁管理办法》解读", "2024-03-01"));
    let e = serde_json::to_value(idx.explain("p").unwrap()).unwrap();
    assert_eq!(e["candidates"][0]["reason"], "linked");
    assert_eq!(e["candidates"][0]["method"], "quoted_title");
    assert!(idx.explain("nope").is_none());
}

#[test]
fn guard_local_interpretation_known_only_from_its_body() {
    let mut national = policy("n", "某某办公厅关于印发《甲乙补贴制度实施方案》的通知", "2024-03-01");
    national["issuer"] = json!("国务院办公厅");
    let mut idx = index(&[national]);
    let mut i = interp("i", "甲乙补贴制度实施方案政策解读", "2024-03-20");
    i["body_text"] = json!("近日，我省制定印发了《甲乙补贴制度实施方案》，现解读如下。");
    assert!(arrive(&mut idx, i).is_empty());
    assert!(signals(&idx, "n", "i").contains(&"jurisdiction".to_owned()));
}
