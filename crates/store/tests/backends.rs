//! The storage suite, run against SQLite and PostgreSQL alike.
//!
//! Each test gets a fresh database: a temporary SQLite file, or a PostgreSQL database created for it and dropped
//! afterwards. The PostgreSQL run never skips: when the server is missing the tests fail saying how to start it.

#[path = "support/changes.rs"]
mod changes;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use changes::{doc, draft, link, upsert};
use serde_json::json;
use tujie_model::{CoverageStatus, DraftStatus, Form, NoDraftReason};
use tujie_store::{ApplyOutcome, Change, DocumentAction, NewDocument, NewDraft, OutboxRow, ReviewAction, Store};
use tujie_test_support::both_backends;

fn withdraw(event_id: &str, document_id: &str, when: &str) -> Change {
    Change {
        event_id: event_id.into(),
        event_type: "document.withdrawn".into(),
        occurred_at: tujie_model::Timestamp::parse(when).unwrap(),
        action: DocumentAction::Withdraw(document_id.into()),
        links: vec![],
        draft: None,
    }
}

async fn outbox_keys(store: &Store) -> Vec<String> {
    store.outbox_unsent(1000).await.unwrap().into_iter().map(|r| r.event_id).collect()
}

/// Every produced event in the outbox matches the JSON Schema the contract publishes for its type.
async fn assert_outbox_matches_schemas(store: &Store) {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let rows = store.outbox_unsent(1000).await.unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(schemas.join(format!("{}.schema.json", row.routing_key))).unwrap(),
        )
        .unwrap();
        let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
        let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap();
        let errors: Vec<String> = validator.iter_errors(&payload).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{} breaks its schema: {errors:?}", row.payload);
        assert_eq!(payload["event_id"], row.event_id.as_str());
    }
}

async fn duplicate_event_has_no_second_effect(store: Store) {
    let p = doc("policy", "p1", "关于某事的通知", "2024-03-01");
    let first = store.apply(upsert("e1", p.clone(), None)).await.unwrap();
    assert!(matches!(first, ApplyOutcome::Applied { .. }));
    assert_eq!(store.apply(upsert("e1", p, None)).await.unwrap(), ApplyOutcome::Duplicate);
    assert!(store.is_processed("e1").await.unwrap());
    assert_eq!(store.coverage().await.unwrap().len(), 1);
}

async fn draft_then_rich_interpretation_supersedes_it(store: Store) {
    let p = doc("policy", "p1", "关于某事的通知", "2024-03-01");
    let mut change = upsert("e1", p, None);
    change.draft = Some(draft("d1", "p1"));
    let ApplyOutcome::Applied { draft_created, .. } = store.apply(change).await.unwrap() else { panic!("applied") };
    assert_eq!(draft_created.as_deref(), Some("d1"));
    let row = &store.coverage().await.unwrap()[0];
    assert_eq!((row.status, row.draft_id.as_deref()), (CoverageStatus::None, Some("d1")));

    let text = doc("interpretation", "i1", "解读", "2024-03-02");
    let mut change = upsert("e2", text, Some(Form::Text));
    change.links = vec![link("p1", "i1")];
    let ApplyOutcome::Applied { superseded, coverage, .. } = store.apply(change).await.unwrap() else {
        panic!("applied")
    };
    assert!(superseded.is_empty(), "a text interpretation does not close the gap");
    assert_eq!(coverage[0].after, CoverageStatus::TextOnly);

    let graphic = doc("interpretation", "i2", "一图读懂", "2024-03-03");
    let mut change = upsert("e3", graphic, Some(Form::Graphic));
    change.links = vec![link("p1", "i2")];
    let ApplyOutcome::Applied { superseded, coverage, .. } = store.apply(change).await.unwrap() else {
        panic!("applied")
    };
    assert_eq!(superseded, ["d1"]);
    assert_eq!(coverage[0].after, CoverageStatus::Rich);
    let row = &store.coverage().await.unwrap()[0];
    assert_eq!(row.status, CoverageStatus::Rich);
    assert_eq!(row.interpretations.len(), 2);
    assert_eq!(row.draft_id, None);
    assert_eq!(store.drafts(Some(DraftStatus::Superseded)).await.unwrap()[0].draft_id, "d1");

    let keys = outbox_keys(&store).await;
    for expected in
        ["draft.created:d1:e1", "coverage.changed:p1:e2", "coverage.changed:p1:e3", "draft.superseded:d1:e3"]
    {
        assert!(keys.contains(&expected.to_string()), "{expected} missing from {keys:?}");
    }
    assert_eq!(store.links_of("p1").await.unwrap()[0].evidence[0].signal, "doc_number");
    assert_outbox_matches_schemas(&store).await;
}

async fn withdrawn_interpretation_reopens_the_gap(store: Store) {
    store.apply(upsert("e1", doc("policy", "p1", "通知", "2024-03-01"), None)).await.unwrap();
    let mut change = upsert("e2", doc("interpretation", "i1", "视频解读", "2024-03-01"), Some(Form::Video));
    change.links = vec![link("p1", "i1")];
    store.apply(change).await.unwrap();
    assert_eq!(store.coverage().await.unwrap()[0].status, CoverageStatus::Rich);
    let withdraw = withdraw("e3", "i1", "2024-03-05");
    store.apply(withdraw).await.unwrap();
    let row = &store.coverage().await.unwrap()[0];
    assert_eq!(row.status, CoverageStatus::None);
    assert!(row.interpretations.is_empty());
}

async fn only_one_pending_draft_per_policy(store: Store) {
    let p = doc("policy", "p1", "通知", "2024-03-01");
    let mut c = upsert("e1", p.clone(), None);
    c.draft = Some(draft("d1", "p1"));
    store.apply(c).await.unwrap();
    // The policy is re-published with new text: the new draft replaces the old one.
    let mut c = upsert("e2", p, None);
    c.draft = Some(draft("d2", "p1"));
    let ApplyOutcome::Applied { draft_created, superseded, .. } = store.apply(c).await.unwrap() else {
        panic!("applied")
    };
    assert_eq!((draft_created.as_deref(), superseded.as_slice()), (Some("d2"), &["d1".to_string()][..]));
    let pending = store.drafts(Some(DraftStatus::Pending)).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].draft_id, "d2");
}

async fn review_and_outbox_relay_bookkeeping(store: Store) {
    let mut c = upsert("e1", doc("policy", "p1", "通知", "2024-03-01"), None);
    c.draft = Some(draft("d1", "p1"));
    store.apply(c).await.unwrap();
    assert_eq!(store.review("d1", ReviewAction::Approve, "editor", Some("ok")).await.unwrap(), DraftStatus::Approved);
    let err = store.review("d1", ReviewAction::Reject, "editor", None).await.unwrap_err();
    assert!(err.to_string().contains("is approved"), "{err}");
    assert!(!err.is_retryable());
    assert!(
        store
            .review("nope", ReviewAction::Approve, "editor", None)
            .await
            .unwrap_err()
            .to_string()
            .contains("not found")
    );

    assert_outbox_matches_schemas(&store).await;
    let unsent = store.outbox_unsent(10).await.unwrap();
    assert_eq!(unsent.iter().map(|r| r.routing_key.as_str()).collect::<Vec<_>>(), ["draft.created", "draft.approved"]);
    let payload: serde_json::Value = serde_json::from_str(&unsent[1].payload).unwrap();
    assert_eq!(payload["data"]["policy_id"], "p1");
    assert_eq!(store.outbox_backlog().await.unwrap(), 2);
    store.outbox_mark_sent(&[unsent[0].id]).await.unwrap();
    assert_eq!(store.outbox_backlog().await.unwrap(), 1);
    let assets = store.draft_assets("d1").await.unwrap().unwrap();
    assert_eq!((assets.rendered.png, assets.summary.status), (vec![1, 2, 3], DraftStatus::Approved));
}

async fn index_catch_up_sees_every_change(store: Store) {
    store.apply(upsert("e1", doc("policy", "p1", "通知一", "2024-03-01"), None)).await.unwrap();
    let seen = store.documents_since(0).await.unwrap();
    let high = seen.last().unwrap().rev;
    store.apply(upsert("e2", doc("policy", "p2", "通知二", "2024-03-02"), None)).await.unwrap();
    store.apply(upsert("e3", doc("policy", "p1", "通知一（修订）", "2024-03-01"), None)).await.unwrap();
    let later: Vec<_> = store.documents_since(high).await.unwrap();
    let ids: Vec<_> = later.iter().map(|d| d.document.id.as_str()).collect();
    assert_eq!(ids, ["p2", "p1"]);
    assert_eq!(later[1].document.title, "通知一（修订）");
    assert_eq!(later[1].document.department.as_deref(), Some("县发展改革局"));
}

fn at(change: Change, when: &str) -> Change {
    Change { occurred_at: tujie_model::Timestamp::parse(when).unwrap(), ..change }
}

async fn an_older_version_never_overwrites_a_newer_one(store: Store) {
    let v2 = doc("policy", "p1", "通知（第二版）", "2024-03-01");
    let v1 = doc("policy", "p1", "通知（第一版）", "2024-03-01");
    store.apply(at(upsert("e2", v2, None), "2024-03-02T10:00:00+08:00")).await.unwrap();
    // The first version's event was retried and arrives last.
    let outcome = store.apply(at(upsert("e1", v1, None), "2024-03-02T09:00:00+08:00")).await.unwrap();
    assert_eq!(outcome, ApplyOutcome::Stale);
    assert_eq!(store.document("p1").await.unwrap().unwrap().document.title, "通知（第二版）");
    assert!(store.is_processed("e1").await.unwrap(), "a stale event is still recorded");
    // A withdrawal older than the stored version does not take it down either.
    let old_withdrawal = withdraw("w0", "p1", "2024-03-01");
    assert_eq!(store.apply(old_withdrawal).await.unwrap(), ApplyOutcome::Stale);
    assert_eq!(store.coverage().await.unwrap().len(), 1);
}

async fn a_republished_interpretation_keeps_only_the_links_it_still_earns(store: Store) {
    store.apply(upsert("e1", doc("policy", "p1", "通知一", "2024-03-01"), None)).await.unwrap();
    store.apply(upsert("e2", doc("policy", "p2", "通知二", "2024-03-01"), None)).await.unwrap();
    let mut c = upsert("e3", doc("interpretation", "i1", "一图读懂", "2024-03-02"), Some(Form::Graphic));
    c.links = vec![link("p1", "i1")];
    store.apply(c).await.unwrap();
    // Corrected by the CMS: it explains p2, not p1.
    let mut c = upsert("e4", doc("interpretation", "i1", "一图读懂（更正）", "2024-03-02"), Some(Form::Graphic));
    c.links = vec![link("p2", "i1")];
    let ApplyOutcome::Applied { coverage, .. } = store.apply(c).await.unwrap() else { panic!("applied") };
    let changed: Vec<_> = coverage.iter().map(|c| (c.policy_id.as_str(), c.after)).collect();
    assert_eq!(changed, [("p1", CoverageStatus::None), ("p2", CoverageStatus::Rich)]);
    assert!(store.links_of("p1").await.unwrap().is_empty());
}

async fn a_superseded_draft_comes_back_when_its_text_is_published_again(store: Store) {
    let p = doc("policy", "p1", "通知", "2024-03-01");
    let mut c = at(upsert("e1", p.clone(), None), "2024-03-01T09:00:00+08:00");
    c.draft = Some(draft("d1", "p1"));
    store.apply(c).await.unwrap();
    let withdraw = withdraw("e2", "p1", "2024-03-02T09:00:00+08:00");
    let ApplyOutcome::Applied { superseded, .. } = store.apply(withdraw).await.unwrap() else { panic!("applied") };
    assert_eq!(superseded, ["d1"]);
    assert!(store.coverage().await.unwrap().is_empty());
    let mut c = at(upsert("e3", p, None), "2024-03-03T09:00:00+08:00");
    c.draft = Some(draft("d1", "p1"));
    let ApplyOutcome::Applied { draft_created, .. } = store.apply(c).await.unwrap() else { panic!("applied") };
    assert_eq!(draft_created.as_deref(), Some("d1"));
    assert_eq!(store.drafts(Some(DraftStatus::Pending)).await.unwrap().len(), 1);
    let keys = outbox_keys(&store).await;
    assert!(keys.contains(&"draft.created:d1:e1".to_string()) && keys.contains(&"draft.created:d1:e3".to_string()));
}

async fn concurrent_changes_get_distinct_ordered_revisions(store: Store) {
    let mut tasks = Vec::new();
    for n in 0..12 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.apply(upsert(&format!("e{n}"), doc("policy", &format!("p{n}"), "通知", "2024-03-01"), None)).await
        }));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap().unwrap(), ApplyOutcome::Applied { .. }));
    }
    let mut revs: Vec<i64> = store.documents_since(0).await.unwrap().iter().map(|d| d.rev).collect();
    revs.sort();
    assert_eq!(revs, (1..=12).collect::<Vec<i64>>(), "one revision per change, none shared, none skipped");
}

/// Applies `n` policies with a draft each, so the outbox holds `n` unsent `draft.created` rows; returns their ids.
async fn fill_outbox(store: &Store, n: usize) -> Vec<i64> {
    for i in 0..n {
        let mut c = upsert(&format!("e{i}"), doc("policy", &format!("p{i}"), "通知", "2024-03-01"), None);
        c.draft = Some(draft(&format!("d{i}"), &format!("p{i}")));
        store.apply(c).await.unwrap();
    }
    let ids: Vec<i64> = store.outbox_unsent(n + 1).await.unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), n);
    ids
}

const LEASE: Duration = Duration::from_secs(60);

fn ids_of(rows: &[OutboxRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

async fn concurrent_relays_never_claim_the_same_row(store: Store) {
    let all = fill_outbox(&store, 40).await;
    // Round one: four claimers at once, nothing marked sent, so every row they get stays theirs. On PostgreSQL each
    // runs on its own pooled connection, i.e. its own session, as relays of separate processes would.
    let start = Arc::new(tokio::sync::Barrier::new(4));
    let mut tasks = Vec::new();
    for k in 0..4 {
        let (store, start) = (store.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            ids_of(&store.outbox_claim(&format!("relay-{k}"), 15, LEASE).await.unwrap())
        }));
    }
    let mut claimed = Vec::new();
    for t in tasks {
        claimed.extend(t.await.unwrap());
    }
    let distinct: BTreeSet<i64> = claimed.iter().copied().collect();
    assert_eq!(distinct.len(), claimed.len(), "a row was claimed twice: {claimed:?}");
    assert_eq!(claimed.len(), all.len(), "four claimers of 15 take all 40 rows");
    for k in 0..4 {
        store.outbox_release(&format!("relay-{k}")).await.unwrap();
    }

    // Round two: relays that claim, "publish" and mark sent until nothing is left. Every row exactly once.
    let mut tasks = Vec::new();
    for k in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = ids_of(&store.outbox_claim(&format!("relay-{k}"), 3, LEASE).await.unwrap());
                if batch.is_empty() {
                    return mine;
                }
                store.outbox_mark_sent(&batch).await.unwrap();
                mine.extend(batch);
            }
        }));
    }
    let mut published = Vec::new();
    for t in tasks {
        published.extend(t.await.unwrap());
    }
    published.sort();
    assert_eq!(published, all, "every row published once, none twice");
    assert_eq!(store.outbox_backlog().await.unwrap(), 0);
}

async fn an_expired_claim_is_taken_over(store: Store) {
    let all = fill_outbox(&store, 3).await;
    assert_eq!(ids_of(&store.outbox_claim("a", 10, LEASE).await.unwrap()), all);
    assert!(store.outbox_claim("b", 10, LEASE).await.unwrap().is_empty(), "rows held by a live claim");
    // The holder gets its own rows back at once, as after a reconnect.
    assert_eq!(ids_of(&store.outbox_claim("a", 2, LEASE).await.unwrap()), all[..2]);
    assert_eq!(store.outbox_release("a").await.unwrap(), 3, "a stopping relay hands its rows back");

    // A relay that dies holding rows: once its lease is over, another one takes them.
    let rows = store.outbox_claim("doomed", 10, Duration::from_millis(50)).await.unwrap();
    assert_eq!(ids_of(&rows), all);
    assert!(rows[0].event_id.starts_with("draft.created:d0:"), "{rows:?}");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(ids_of(&store.outbox_claim("b", 10, LEASE).await.unwrap()), all, "expired claim taken over");
    assert!(store.outbox_claim("doomed", 10, LEASE).await.unwrap().is_empty(), "the late relay gets nothing");

    store.outbox_mark_sent(&all).await.unwrap();
    assert!(store.outbox_claim("b", 10, LEASE).await.unwrap().is_empty(), "sent rows are never claimed");
    assert_eq!(store.outbox_release("b").await.unwrap(), 0, "sent rows are not released either");
}

/// Sets what the pipeline decided about a policy's draft on an upsert.
fn with_reason(mut change: Change, reason: Option<NoDraftReason>, fetched_from: &[&str]) -> Change {
    if let DocumentAction::Upsert(new) = &mut change.action {
        new.no_draft = reason;
        new.fetched_from = fetched_from.iter().map(|s| (*s).to_owned()).collect();
    }
    change
}

/// Every policy without a draft says why: the pipeline's stored decision for its current version, or what
/// coverage and reviews say now; the report counts policies whose text is missing.
async fn every_policy_without_a_draft_says_why(store: Store) {
    let reason_of = |rows: &[tujie_store::CoverageRow], id: &str| {
        rows.iter().find(|r| r.policy_id == id).unwrap_or_else(|| panic!("{id} in coverage")).no_draft.clone()
    };
    let failed = NoDraftReason::FetchFailed("http://127.0.0.1:1/a.pdf: HTTP 404".into());
    store
        .apply(with_reason(
            upsert("e1", doc("policy", "p-none", "甲", "2024-01-01"), None),
            Some(NoDraftReason::NoText),
            &[],
        ))
        .await
        .unwrap();
    store
        .apply(with_reason(upsert("e2", doc("policy", "p-fail", "乙", "2024-01-02"), None), Some(failed.clone()), &[]))
        .await
        .unwrap();
    let mut fetched =
        with_reason(upsert("e3", doc("policy", "p-ok", "丙", "2024-01-03"), None), None, &["http://127.0.0.1:1/b.pdf"]);
    fetched.draft = Some(draft("dr-ok", "p-ok"));
    store.apply(fetched).await.unwrap();
    let mut rejected = upsert("e4", doc("policy", "p-rej", "丁", "2024-01-04"), None);
    rejected.draft = Some(draft("dr-rej", "p-rej"));
    store.apply(rejected).await.unwrap();
    store.review("dr-rej", ReviewAction::Reject, "editor", Some("不准确")).await.unwrap();
    store
        .apply(with_reason(
            upsert("e5", doc("policy", "p-rich", "戊", "2024-01-05"), None),
            Some(NoDraftReason::NoText),
            &[],
        ))
        .await
        .unwrap();
    let mut graphic = upsert("e6", doc("interpretation", "i-g", "一图读懂戊", "2024-01-06"), Some(Form::Graphic));
    graphic.links = vec![link("p-rich", "i-g")];
    store.apply(graphic).await.unwrap();

    let rows = store.coverage().await.unwrap();
    assert_eq!(reason_of(&rows, "p-none"), Some(NoDraftReason::NoText));
    assert_eq!(reason_of(&rows, "p-fail"), Some(failed));
    assert_eq!(reason_of(&rows, "p-ok"), None, "a policy with a draft needs no reason");
    let ok = rows.iter().find(|r| r.policy_id == "p-ok").unwrap();
    assert_eq!(
        (ok.draft_id.as_deref(), ok.fetched_from.as_slice()),
        (Some("dr-ok"), &["http://127.0.0.1:1/b.pdf".to_owned()][..])
    );
    assert_eq!(reason_of(&rows, "p-rej"), Some(NoDraftReason::Rejected("dr-rej".into())));
    assert_eq!(
        reason_of(&rows, "p-rich"),
        Some(NoDraftReason::CoveredBy("i-g".into())),
        "coverage wins over the stored reason"
    );
    assert!(rows.iter().filter(|r| r.draft_id.is_none()).all(|r| r.no_draft.is_some()));

    let report = store.department_report().await.unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].text_missing, 2, "no_text and fetch_failed, not the covered policy: {report:?}");
    let missing = report[0].missing.iter().find(|m| m.policy_id == "p-fail").unwrap();
    assert_eq!(missing.no_draft.as_ref().map(NoDraftReason::kind), Some("fetch_failed"));

    // A new version with a draft clears the stored reason.
    let mut text = doc("policy", "p-none", "甲", "2024-02-01");
    text.body_text = Some("正文".into());
    let mut again = upsert("e7", text, None);
    again.draft = Some(draft("dr-none", "p-none"));
    store.apply(again).await.unwrap();
    assert_eq!(reason_of(&store.coverage().await.unwrap(), "p-none"), None);
}

/// The facts behind period reports: CST dates (a bare date stays its own day, 23:30 CST stays on it too), linked
/// live interpretations with their forms, draft counts, and each live document's site, site kind and column.
async fn report_facts_in_china_time(store: Store) {
    let mut p = doc("policy", "p1", "政策", "2026-02-13");
    p.site = Some("gov".into());
    p.column = Some("政策文件".into());
    let mut change = upsert("e-p1", p, None);
    change.draft = Some(draft("dr-p1", "p1"));
    store.apply(change).await.unwrap();
    // A text interpretation: the draft stays pending (a rich one would supersede it).
    let mut i = doc("interpretation", "i1", "文字解读", "2026-02-14T23:30:00+08:00");
    i.site = Some("某县发布".into());
    i.site_kind = Some(tujie_model::SiteKind::Wechat);
    let mut change = upsert("e-i1", i, Some(Form::Text));
    change.links = vec![link("p1", "i1")];
    store.apply(change).await.unwrap();
    let mut gone = doc("interpretation", "i2", "撤下的", "2026-02-20");
    gone.site = Some("gov".into());
    store.apply(upsert("e-i2", gone, Some(Form::Video))).await.unwrap();
    store.apply(withdraw("e-w2", "i2", "2026-02-21")).await.unwrap();

    let facts = store.report_facts().await.unwrap();
    let [policy] = &facts.policies[..] else { panic!("one policy: {:?}", facts.policies) };
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(policy.published, day("2026-02-13"));
    assert_eq!((policy.drafts_pending, policy.draft_id.as_deref()), (1, Some("dr-p1")));
    assert_eq!(policy.department.as_deref(), Some("县发展改革局"));
    let [interp] = &policy.interpretations[..] else { panic!("one live interpretation") };
    assert_eq!((interp.id.as_str(), interp.form, interp.published), ("i1", Some(Form::Text), day("2026-02-14")));
    let mut places: Vec<(String, &str, Option<String>, chrono::NaiveDate)> = facts
        .publications
        .iter()
        .map(|p| (p.site.clone(), p.site_kind.as_str(), p.column.clone(), p.published))
        .collect();
    places.sort();
    assert_eq!(
        places,
        [
            ("gov".into(), "website", Some("政策文件".into()), day("2026-02-13")),
            ("某县发布".into(), "wechat", None, day("2026-02-14")),
        ]
    );

    // The weekly digest is queued once, however many workers try.
    let digest = tujie_model::OutboundEvent::new(
        tujie_model::OutboundType::ReportWeekly,
        "2026-02-09..2026-02-15",
        tujie_model::Timestamp::parse("2026-02-16T09:00:00+08:00").unwrap(),
        json!({"from": "2026-02-09"}),
    );
    assert!(store.enqueue(&digest).await.unwrap());
    assert!(!store.enqueue(&digest).await.unwrap());
    let queued = store.outbox_claim("w", 100, Duration::from_secs(60)).await.unwrap();
    let weekly: Vec<&OutboxRow> = queued.iter().filter(|r| r.routing_key == "report.weekly").collect();
    assert_eq!(weekly.len(), 1);
    assert_eq!(weekly[0].event_id, "report.weekly:2026-02-09..2026-02-15");
}

both_backends!(|db, scenario| async move { scenario(db.store.clone()).await; db.finish().await };
    duplicate_event_has_no_second_effect,
    draft_then_rich_interpretation_supersedes_it,
    withdrawn_interpretation_reopens_the_gap,
    only_one_pending_draft_per_policy,
    review_and_outbox_relay_bookkeeping,
    index_catch_up_sees_every_change,
    an_older_version_never_overwrites_a_newer_one,
    a_republished_interpretation_keeps_only_the_links_it_still_earns,
    a_superseded_draft_comes_back_when_its_text_is_published_again,
    concurrent_changes_get_distinct_ordered_revisions,
    concurrent_relays_never_claim_the_same_row,
    an_expired_claim_is_taken_over,
    every_policy_without_a_draft_says_why,
    report_facts_in_china_time,
);
