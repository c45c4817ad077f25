//! The pipeline end to end on a real database: late arrival in both directions, and the dev set scored from what
//! was stored (not from the matcher alone), so the figures are those `tujie coverage` shows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::json;
use tujie_matcher::eval::{Truth, TruthAddition, score};
use tujie_model::{CoverageStatus, DraftStatus, Form};
use tujie_pipeline::{Outcome, Pipeline, PipelineOptions};
use tujie_render::{RenderConfig, Renderer};
use tujie_test_support::TestDb;

fn fixtures() -> PathBuf {
    tujie_test_support::fixture("dev")
}

async fn pipeline(db: &TestDb, drafts: bool) -> Pipeline {
    let renderer = drafts.then(|| std::sync::Arc::new(Renderer::new(RenderConfig::default(), vec![]).unwrap()));
    let options = PipelineOptions { drafts, ..PipelineOptions::default() };
    Pipeline::new(db.store.clone(), renderer, options).await.unwrap()
}

fn policy_event() -> Vec<u8> {
    json!({"event_id": "e-p", "type": "policy.published", "document": {
        "id": "p-1", "title": "某县人民政府关于印发某县养老服务补贴实施办法的通知", "doc_number": "某政发〔2024〕7号",
        "issuer": "某县人民政府", "published_at": "2024-05-06",
        "body_text": "某县养老服务补贴实施办法\n一、补贴对象\n本县户籍年满80周岁的老年人。\n二、补贴标准\n每人每月100元。\n三、申请程序\n（一）本人向村（社区）提出申请。\n（二）乡镇审核。\n（三）县民政局审批后按月发放。\n四、本办法自2024年6月1日起施行。"}})
    .to_string()
    .into_bytes()
}

fn interpretation_event(id: &str, title: &str, form: Option<&str>) -> Vec<u8> {
    json!({"event_id": format!("e-{id}"), "type": "interpretation.published", "document": {
        "id": id, "title": title, "published_at": "2024-05-07", "form": form,
        "interprets": [{"doc_number": "某政发〔2024〕7号"}]}})
    .to_string()
    .into_bytes()
}

#[tokio::test]
async fn a_late_graphic_interpretation_supersedes_the_pending_draft() {
    let db = TestDb::sqlite().await;
    let pipeline = pipeline(&db, true).await;
    let Outcome::Applied { draft_created: Some(draft_id), .. } = pipeline.handle_bytes(&policy_event()).await.unwrap()
    else {
        panic!("a policy with a body and no interpretation gets a draft")
    };
    // A text interpretation leaves the gap open: the draft stays pending.
    let text = interpretation_event("i-text", "《某县养老服务补贴实施办法》政策解读", None);
    let Outcome::Applied { links, superseded, coverage, .. } = pipeline.handle_bytes(&text).await.unwrap() else {
        panic!("applied")
    };
    assert_eq!((links, superseded.len()), (1, 0));
    assert_eq!(coverage[0].after, CoverageStatus::TextOnly);
    // The 一图读懂 closes it.
    let graphic = interpretation_event("i-graphic", "一图读懂《某县养老服务补贴实施办法》", None);
    let Outcome::Applied { superseded, coverage, .. } = pipeline.handle_bytes(&graphic).await.unwrap() else {
        panic!("applied")
    };
    assert_eq!(superseded, std::slice::from_ref(&draft_id));
    assert_eq!(coverage[0].after, CoverageStatus::Rich);
    assert_eq!(db.store.drafts(Some(DraftStatus::Superseded)).await.unwrap()[0].draft_id, draft_id);
    let stored = db.store.document("i-graphic").await.unwrap().unwrap();
    assert_eq!(stored.form, Some(Form::Graphic));
    assert!(stored.form_cue.unwrap().contains("一图读懂"));
    // Redelivery of any of them changes nothing.
    assert_eq!(pipeline.handle_bytes(&graphic).await.unwrap(), Outcome::Duplicate);
    db.finish().await;
}

#[tokio::test]
async fn an_interpretation_that_arrives_first_is_linked_when_its_policy_comes() {
    let db = TestDb::sqlite().await;
    let pipeline = pipeline(&db, true).await;
    let video = interpretation_event("i-video", "视频解读：某县养老服务补贴实施办法", Some("video"));
    let Outcome::Applied { links, .. } = pipeline.handle_bytes(&video).await.unwrap() else { panic!("applied") };
    assert_eq!(links, 0, "its policy is not there yet");
    let Outcome::Applied { links, draft_created, draft_skipped, .. } =
        pipeline.handle_bytes(&policy_event()).await.unwrap()
    else {
        panic!("applied")
    };
    assert_eq!(links, 1);
    assert_eq!(draft_created, None, "a rich interpretation exists, so no draft");
    assert_eq!(draft_skipped.as_deref(), Some("covered_by: i-video"));
    let row = &db.store.coverage().await.unwrap()[0];
    assert_eq!(row.status, CoverageStatus::Rich);
    assert_eq!(row.no_draft, Some(tujie_model::NoDraftReason::CoveredBy("i-video".into())));
    db.finish().await;
}

#[tokio::test]
async fn a_new_worker_process_sees_documents_another_one_stored() {
    let db = TestDb::sqlite().await;
    let first = pipeline(&db, false).await;
    let second = pipeline(&db, false).await;
    first.handle_bytes(&policy_event()).await.unwrap();
    let graphic = interpretation_event("i-graphic", "一图读懂《某县养老服务补贴实施办法》", None);
    let Outcome::Applied { links, .. } = second.handle_bytes(&graphic).await.unwrap() else { panic!("applied") };
    assert_eq!(links, 1, "the second pipeline caught up from the database before matching");
    db.finish().await;
}

#[tokio::test]
async fn a_policy_that_loses_its_rich_interpretation_gets_its_draft_back_from_reconciliation() {
    let db = TestDb::sqlite().await;
    let pipeline = pipeline(&db, true).await;
    let Outcome::Applied { draft_created: Some(draft_id), .. } = pipeline.handle_bytes(&policy_event()).await.unwrap()
    else {
        panic!("a policy with a body and no interpretation gets a draft")
    };
    let graphic = interpretation_event("i-graphic", "一图读懂《某县养老服务补贴实施办法》", None);
    pipeline.handle_bytes(&graphic).await.unwrap();
    let withdrawn = json!({"event_id": "e-w", "type": "document.withdrawn", "occurred_at": "2024-05-08",
                           "document": {"id": "i-graphic"}});
    pipeline.handle_bytes(withdrawn.to_string().as_bytes()).await.unwrap();
    assert_eq!(db.store.coverage().await.unwrap()[0].status, CoverageStatus::None);
    assert!(db.store.drafts(Some(DraftStatus::Pending)).await.unwrap().is_empty(), "no event asked for a draft");

    let pass = pipeline.reconcile().await.unwrap();
    assert_eq!((pass.examined, pass.drafts_created.clone(), pass.failed.len()), (1, vec![draft_id.clone()], 0));
    assert_eq!(db.store.drafts(Some(DraftStatus::Pending)).await.unwrap()[0].draft_id, draft_id);
    let again = pipeline.reconcile().await.unwrap();
    assert_eq!((again.examined, again.relinked.len(), again.drafts_created.len()), (1, 0, 0), "nothing left to do");
    db.finish().await;
}

/// Two workers handling a policy and its interpretation at the same moment can each match before the other has
/// committed. The state that leaves is made here directly: the interpretation stored without its link.
#[tokio::test]
async fn reconciliation_links_what_concurrent_workers_missed() {
    let db = TestDb::postgres().await;
    let policy_worker = pipeline(&db, true).await;
    let Outcome::Applied { draft_created: Some(draft_id), .. } =
        policy_worker.handle_bytes(&policy_event()).await.unwrap()
    else {
        panic!("draft made")
    };
    let graphic = interpretation_event("i-graphic", "一图读懂《某县养老服务补贴实施办法》", Some("graphic"));
    let event = tujie_model::InboundEvent::from_slice(&graphic, 1 << 20).unwrap();
    let tujie_model::event::Payload::Published(document) = event.payload else { panic!("published") };
    let unlinked = tujie_store::Change {
        event_id: event.event_id,
        event_type: "interpretation.published".into(),
        occurred_at: document.published_at,
        action: tujie_store::DocumentAction::Upsert(Box::new(tujie_store::NewDocument {
            document,
            form: Some(Form::Graphic),
            form_cue: Some("form".into()),
            no_draft: None,
            fetched_from: vec![],
        })),
        links: vec![],
        draft: None,
    };
    db.store.apply(unlinked).await.unwrap();
    assert_eq!(db.store.coverage().await.unwrap()[0].status, CoverageStatus::None, "the race lost the link");

    let another_process = pipeline(&db, true).await;
    let pass = another_process.reconcile().await.unwrap();
    assert_eq!((pass.relinked.clone(), pass.drafts_created.len()), (vec!["p-1".to_owned()], 0));
    assert_eq!(db.store.coverage().await.unwrap()[0].status, CoverageStatus::Rich);
    assert_eq!(db.store.drafts(Some(DraftStatus::Superseded)).await.unwrap()[0].draft_id, draft_id);
    let again = another_process.reconcile().await.unwrap();
    assert_eq!(again.examined, 0, "a covered policy is not looked at again");
    db.finish().await;
}

#[tokio::test]
async fn dev_set_scored_from_the_database() {
    let db = TestDb::sqlite().await;
    let pipeline = pipeline(&db, false).await;
    for line in std::fs::read_to_string(fixtures().join("events.jsonl")).unwrap().lines() {
        pipeline.handle_bytes(line.as_bytes()).await.unwrap();
    }
    let mut found = BTreeMap::new();
    let mut forms = BTreeMap::new();
    for row in db.store.coverage().await.unwrap() {
        for link in db.store.links_of(&row.policy_id).await.unwrap() {
            found.insert((link.policy_id.clone(), link.interpretation_id.clone()), link);
        }
    }
    for stored in db.store.documents_since(0).await.unwrap() {
        if let (Some(form), Some(cue)) = (stored.form, stored.form_cue) {
            forms.insert(stored.document.id.clone(), (form, cue));
        }
    }
    let truth: Truth = serde_json::from_str(&std::fs::read_to_string(fixtures().join("truth.json")).unwrap()).unwrap();
    let additions: Vec<TruthAddition> =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("truth_additions.json")).unwrap()).unwrap();
    let report = score(&found, &forms, &truth.with_additions(&additions));
    println!("dev set through the pipeline and the database:\n{report}");
    assert!(report.precision >= 0.98, "{report}");
    assert!(report.recall >= 0.90, "{report}");
    assert!(report.wrong_forms.is_empty(), "{report}");
    db.finish().await;
}
