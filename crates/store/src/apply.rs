//! The one write path of the pipeline: everything an event changes, in one transaction.
//!
//! The transaction records the event id first; if it was already there, the event is a redelivery and the
//! transaction is rolled back with no effect. It then takes the next value of the change counter, which locks the
//! counter row until commit: applies are serialised (on PostgreSQL across processes too), so coverage and draft
//! superseding, decided here from what is committed, cannot be raced into a pending draft beside a rich
//! interpretation, and document revisions commit in counter order for the match index's catch-up. Everything slow
//! (matching, extraction, rendering) happens before the transaction, so the serialised part is short.
//!
//! A document version older than the stored one (a retried event overtaken by a newer one) is *stale*: the event
//! is recorded, and nothing else changes.
//!
//! [`Store::apply`] runs the phases in order, each a function here: `record_event` (the event id), `next_rev`,
//! `store_document` (upsert, or withdraw, of the event's document), `insert_links`, `recompute_coverage` (with
//! the superseding that coverage or a withdrawal causes), `store_draft` and `write_outbox`. The phases queue
//! produced events in `Effects`; nothing reaches the outbox before the last phase.

use sqlx::Row;
use tujie_model::{
    CoverageChanged, CoverageStatus, Document, DraftCreated, DraftSuperseded, Form, InfographicContent, Link,
    NoDraftReason, OutboundEvent, RenderedDraft, SupersedeReason, Timestamp,
};

use crate::assets::AssetRef;
use crate::outbox::insert_outbox;
use crate::rows::{db_time, now, parse_coverage, to_json};
use crate::{Store, StoreError};

/// A document to insert or update, with its derived form.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub document: Document,
    pub form: Option<Form>,
    pub form_cue: Option<String>,
    /// Why the pipeline made no draft for this version of a policy; `None` when it made one (or for an
    /// interpretation).
    pub no_draft: Option<NoDraftReason>,
    /// The URLs whose text became the body, when the CMS sent none and it was fetched.
    pub fetched_from: Vec<String>,
}

/// What happens to the event's document.
#[derive(Debug, Clone)]
pub enum DocumentAction {
    Upsert(Box<NewDocument>),
    Withdraw(String),
}

/// A rendered draft to store.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub id: String,
    pub policy_id: String,
    pub content: InfographicContent,
    pub source_text: String,
    pub rendered: RenderedDraft,
}

/// Everything one consumed event changes.
#[derive(Debug, Clone)]
pub struct Change {
    pub event_id: String,
    pub event_type: String,
    pub occurred_at: Timestamp,
    pub action: DocumentAction,
    pub links: Vec<Link>,
    pub draft: Option<NewDraft>,
}

/// A policy whose coverage status changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageChange {
    pub policy_id: String,
    pub before: CoverageStatus,
    pub after: CoverageStatus,
}

/// The result of [`Store::apply`], named as the pipeline's `Outcome` that reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    /// The event id was already recorded; nothing changed.
    Duplicate,
    /// The event carried a version older than the stored one (or of a document withdrawn since); it was recorded
    /// and nothing else changed.
    Stale,
    /// The change was applied.
    Applied { draft_created: Option<String>, superseded: Vec<String>, coverage: Vec<CoverageChange> },
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// What the phases of one apply changed besides the document, and the produced events they queued, in order.
#[derive(Debug, Default)]
struct Effects {
    superseded: Vec<String>,
    coverage: Vec<CoverageChange>,
    outbox: Vec<OutboundEvent>,
}

/// What storing the document touched: the policies whose coverage must be recomputed, and the policy it
/// withdrew, if it withdrew one.
#[derive(Debug, Default, PartialEq, Eq)]
struct Touched {
    affected: Vec<String>,
    withdrawn_policy: Option<String>,
}

impl Store {
    /// Applies `change` atomically, phase by phase: `record_event`, `store_document`, `insert_links`,
    /// `recompute_coverage`, `store_draft`, `write_outbox`. See the module docs for what is decided here.
    pub async fn apply(&self, change: Change) -> Result<ApplyOutcome, StoreError> {
        // Files first: once the transaction commits, the row must not name a file that is not there.
        let files = match &change.draft {
            Some(d) => Some(self.assets.put_all([&d.rendered.png, &d.rendered.preview_png]).await?),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let now = now();
        if !record_event(&mut tx, &change, &now).await? {
            tx.rollback().await?;
            return Ok(ApplyOutcome::Duplicate);
        }
        let rev = next_rev(&mut tx).await?;
        let source_at = db_time(&change.occurred_at);
        let Some(mut touched) = store_document(&mut tx, &change.action, rev, &source_at, &now).await? else {
            tx.commit().await?;
            return Ok(ApplyOutcome::Stale);
        };
        touched.affected.extend(insert_links(&mut tx, &change.links, &now).await?);
        touched.affected.sort();
        touched.affected.dedup();

        let mut effects = Effects::default();
        let rich_now = recompute_coverage(&mut tx, &touched, &change, &now, &mut effects).await?;
        let draft_created = match (&change.draft, &files) {
            (Some(draft), Some(files)) if !rich_now.contains(&draft.policy_id) => {
                store_draft(&mut tx, draft, files, &change, &now, &mut effects).await?
            }
            _ => None,
        };
        write_outbox(&mut tx, &effects.outbox, &now).await?;
        tx.commit().await?;
        Ok(ApplyOutcome::Applied { draft_created, superseded: effects.superseded, coverage: effects.coverage })
    }
}

/// Records the event id; false when it was recorded before (a redelivery, to be rolled back).
async fn record_event(tx: &mut Tx, change: &Change, now: &str) -> Result<bool, StoreError> {
    let recorded = sqlx::query(
        "INSERT INTO processed_events (event_id, event_type, document_id, processed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
    )
    .bind(&change.event_id)
    .bind(&change.event_type)
    .bind(match &change.action {
        DocumentAction::Upsert(d) => d.document.id.clone(),
        DocumentAction::Withdraw(id) => id.clone(),
    })
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(recorded.is_some())
}

/// Upserts or withdraws the event's document; `None` when the stored version is newer (the event is stale).
async fn store_document(
    tx: &mut Tx,
    action: &DocumentAction,
    rev: i64,
    source_at: &str,
    now: &str,
) -> Result<Option<Touched>, StoreError> {
    match action {
        DocumentAction::Upsert(new) => {
            if !upsert_document(tx, new, rev, source_at, now).await? {
                return Ok(None);
            }
            let mut touched = Touched::default();
            if new.document.kind == tujie_model::DocumentKind::Policy {
                touched.affected.push(new.document.id.clone());
            } else {
                // A re-published interpretation is matched afresh: links it no longer earns must go, and the
                // policies it covered must be recomputed.
                touched.affected.extend(linked_policies(tx, &new.document.id).await?);
                sqlx::query("DELETE FROM links WHERE interpretation_id = $1")
                    .bind(&new.document.id)
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(Some(touched))
        }
        DocumentAction::Withdraw(id) => withdraw_document(tx, id, rev, source_at, now).await,
    }
}

/// Marks the document withdrawn and drops its links; `None` when it is unknown or was withdrawn "before" a newer
/// version (nothing to undo).
async fn withdraw_document(
    tx: &mut Tx,
    id: &str,
    rev: i64,
    source_at: &str,
    now: &str,
) -> Result<Option<Touched>, StoreError> {
    let withdrawn = sqlx::query(
        "UPDATE documents SET withdrawn = 1, rev = $2, source_at = $3, updated_at = $4
         WHERE id = $1 AND (source_at IS NULL OR source_at <= $3) RETURNING kind",
    )
    .bind(id)
    .bind(rev)
    .bind(source_at)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = withdrawn else { return Ok(None) };
    let kind: String = row.try_get(0)?;
    let mut touched = Touched { affected: linked_policies(tx, id).await?, withdrawn_policy: None };
    sqlx::query("DELETE FROM links WHERE interpretation_id = $1 OR policy_id = $1").bind(id).execute(&mut **tx).await?;
    if kind == "policy" {
        touched.withdrawn_policy = Some(id.to_owned());
        touched.affected.push(id.to_owned());
    }
    Ok(Some(touched))
}

/// Inserts the event's links (updating score, method and evidence of a link already there); returns their
/// policies, whose coverage must be recomputed.
async fn insert_links(tx: &mut Tx, links: &[Link], now: &str) -> Result<Vec<String>, StoreError> {
    let mut policies = Vec::with_capacity(links.len());
    for link in links {
        sqlx::query(
            "INSERT INTO links (policy_id, interpretation_id, score, method, evidence_json, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (policy_id, interpretation_id)
             DO UPDATE SET score = excluded.score, method = excluded.method, evidence_json = excluded.evidence_json",
        )
        .bind(&link.policy_id)
        .bind(&link.interpretation_id)
        .bind(link.score)
        .bind(&link.method)
        .bind(to_json(&link.evidence))
        .bind(now)
        .execute(&mut **tx)
        .await?;
        policies.push(link.policy_id.clone());
    }
    Ok(policies)
}

/// Recomputes the coverage of the touched policies, queueing `coverage.changed` where it changed, and supersedes
/// the pending drafts that a rich interpretation or the policy's withdrawal made unnecessary. Returns the
/// policies that must get no new draft (now rich, or withdrawn).
async fn recompute_coverage(
    tx: &mut Tx,
    touched: &Touched,
    change: &Change,
    now: &str,
    effects: &mut Effects,
) -> Result<Vec<String>, StoreError> {
    let mut rich_now = Vec::new();
    for policy_id in &touched.affected {
        let before: Option<String> = sqlx::query("SELECT coverage FROM documents WHERE id = $1")
            .bind(policy_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .flatten();
        let before = before.as_deref().and_then(parse_coverage).unwrap_or(CoverageStatus::None);
        let forms = crate::queries::linked_forms_with(&mut **tx, policy_id).await?;
        let after = CoverageStatus::from_forms(forms);
        sqlx::query("UPDATE documents SET coverage = $2 WHERE id = $1")
            .bind(policy_id)
            .bind(after.as_str())
            .execute(&mut **tx)
            .await?;
        if after != before {
            effects.outbox.push(OutboundEvent::of(
                &format!("{policy_id}:{}", change.event_id),
                change.occurred_at,
                &CoverageChanged { policy_id: policy_id.clone(), before, after, caused_by: change.event_id.clone() },
            ));
            effects.coverage.push(CoverageChange { policy_id: policy_id.clone(), before, after });
        }
        if after == CoverageStatus::Rich || touched.withdrawn_policy.as_deref() == Some(policy_id.as_str()) {
            rich_now.push(policy_id.clone());
            let reason = if after == CoverageStatus::Rich {
                SupersedeReason::RichInterpretation
            } else {
                SupersedeReason::PolicyWithdrawn
            };
            supersede_pending(tx, policy_id, None, reason, change, now, effects).await?;
        }
    }
    Ok(rich_now)
}

/// Stores the event's draft, superseding the pending one made from the policy's old text, and queues
/// `draft.created`; returns its id, or `None` when it is pending already.
async fn store_draft(
    tx: &mut Tx,
    draft: &NewDraft,
    files: &[AssetRef<'_>; 2],
    change: &Change,
    now: &str,
    effects: &mut Effects,
) -> Result<Option<String>, StoreError> {
    // A re-published policy gets a fresh draft; the one made from the old text is superseded.
    supersede_pending(tx, &draft.policy_id, Some(&draft.id), SupersedeReason::PolicyUpdated, change, now, effects)
        .await?;
    if !insert_draft(tx, draft, files, now).await? {
        return Ok(None);
    }
    effects.outbox.push(OutboundEvent::of(
        &format!("{}:{}", draft.id, change.event_id),
        change.occurred_at,
        &DraftCreated {
            draft_id: draft.id.clone(),
            policy_id: draft.policy_id.clone(),
            template: draft.rendered.template.clone(),
            warnings: draft.rendered.warnings.clone(),
            missing_glyphs: draft.rendered.missing_glyphs.clone(),
        },
    ));
    Ok(Some(draft.id.clone()))
}

/// Writes the queued produced events to the outbox, in the order they were queued.
async fn write_outbox(tx: &mut Tx, events: &[OutboundEvent], now: &str) -> Result<(), StoreError> {
    for event in events {
        insert_outbox(tx, event, now).await?;
    }
    Ok(())
}

/// The next change number; the counter row stays locked until the transaction ends (see the module docs).
async fn next_rev(tx: &mut Tx) -> Result<i64, StoreError> {
    Ok(sqlx::query("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?)
}

/// Policies an interpretation is linked to.
async fn linked_policies(tx: &mut Tx, interpretation_id: &str) -> Result<Vec<String>, StoreError> {
    sqlx::query("SELECT policy_id FROM links WHERE interpretation_id = $1")
        .bind(interpretation_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// Inserts or updates the document; returns false when the stored version is newer (the write is skipped).
async fn upsert_document(
    tx: &mut Tx,
    new: &NewDocument,
    rev: i64,
    source_at: &str,
    now: &str,
) -> Result<bool, StoreError> {
    let d = &new.document;
    Ok(sqlx::query(
        "INSERT INTO documents (id, kind, site, url, title, doc_number, index_no, issuer, department, written_at,
             published_at, column_name, topic, body_text, body_html, document_json, content_hash, form, form_cue,
             withdrawn, rev, source_at, first_seen_at, updated_at, draft_reason, fetched_from, site_kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 0, $20, $22,
             $21, $21, $23, $24, $25)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, site = excluded.site, url = excluded.url,
             title = excluded.title, doc_number = excluded.doc_number, index_no = excluded.index_no,
             issuer = excluded.issuer, department = excluded.department, written_at = excluded.written_at,
             published_at = excluded.published_at, column_name = excluded.column_name, topic = excluded.topic,
             body_text = excluded.body_text, body_html = excluded.body_html, document_json = excluded.document_json,
             content_hash = excluded.content_hash, form = excluded.form, form_cue = excluded.form_cue,
             withdrawn = 0, rev = excluded.rev, source_at = excluded.source_at, updated_at = excluded.updated_at,
             draft_reason = excluded.draft_reason, fetched_from = excluded.fetched_from,
             site_kind = excluded.site_kind
         WHERE documents.source_at IS NULL OR documents.source_at <= excluded.source_at
         RETURNING id",
    )
    .bind(&d.id)
    .bind(d.kind.as_str())
    .bind(&d.site)
    .bind(&d.url)
    .bind(&d.title)
    .bind(&d.doc_number)
    .bind(&d.index_no)
    .bind(&d.issuer)
    .bind(&d.department)
    .bind(d.written_at.as_ref().map(db_time))
    .bind(db_time(&d.published_at))
    .bind(&d.column)
    .bind(&d.topic)
    .bind(&d.body_text)
    .bind(&d.body_html)
    .bind(to_json(d))
    .bind(d.content_hash())
    .bind(new.form.map(|f| f.as_str().to_owned()))
    .bind(&new.form_cue)
    .bind(rev)
    .bind(now)
    .bind(source_at)
    .bind(new.no_draft.as_ref().map(ToString::to_string))
    .bind((!new.fetched_from.is_empty()).then(|| new.fetched_from.join("\n")))
    .bind(d.site_kind.map(|k| k.as_str()))
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Marks the policy's pending draft (other than `keep`) superseded and queues `draft.superseded`.
async fn supersede_pending(
    tx: &mut Tx,
    policy_id: &str,
    keep: Option<&str>,
    reason: SupersedeReason,
    change: &Change,
    now: &str,
    effects: &mut Effects,
) -> Result<(), StoreError> {
    let ids: Vec<String> = sqlx::query(
        "UPDATE drafts SET status = 'superseded', updated_at = $3
         WHERE policy_id = $1 AND status = 'pending' AND id <> $2 RETURNING id",
    )
    .bind(policy_id)
    .bind(keep.unwrap_or(""))
    .bind(now)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    for id in &ids {
        sqlx::query(
            "INSERT INTO review_actions (draft_id, action, actor, comment, created_at) VALUES ($1, 'supersede', 'system', $2, $3)",
        )
        .bind(id)
        .bind(format!("{reason} ({})", change.event_id))
        .bind(now)
        .execute(&mut **tx)
        .await?;
        effects.outbox.push(OutboundEvent::of(
            &format!("{id}:{}", change.event_id),
            change.occurred_at,
            &DraftSuperseded {
                draft_id: id.clone(),
                policy_id: policy_id.to_owned(),
                reason,
                caused_by: change.event_id.clone(),
            },
        ));
    }
    effects.superseded.extend(ids);
    Ok(())
}

/// Inserts the draft, or brings back a superseded draft with the same id (the same text published again after a
/// withdrawal or an edit that was undone); returns whether a pending draft was created.
async fn insert_draft(
    tx: &mut Tx,
    draft: &NewDraft,
    [png, preview]: &[AssetRef<'_>; 2],
    now: &str,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO drafts (id, policy_id, status, template, content_json, warnings_json, missing_glyphs_json,
             source_text, svg, png, preview_png, revision, created_at, updated_at, png_key, preview_key)
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET status = 'pending', updated_at = excluded.updated_at
         WHERE drafts.status = 'superseded'
         RETURNING id, revision",
    )
    .bind(&draft.id)
    .bind(&draft.policy_id)
    .bind(&draft.rendered.template)
    .bind(to_json(&draft.content))
    .bind(to_json(&draft.rendered.warnings))
    .bind(to_json(&draft.rendered.missing_glyphs))
    .bind(&draft.source_text)
    .bind(&draft.rendered.svg)
    .bind(png.bytes())
    .bind(preview.bytes())
    .bind(now)
    .bind(png.key())
    .bind(preview.key())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = inserted else { return Ok(false) };
    let revision: i64 = row.try_get(1)?;
    if revision == 1 {
        sqlx::query(
            "INSERT INTO draft_revisions (draft_id, revision, content_json, svg, author, created_at)
             VALUES ($1, 1, $2, $3, 'system', $4) ON CONFLICT (draft_id, revision) DO NOTHING",
        )
        .bind(&draft.id)
        .bind(to_json(&draft.content))
        .bind(&draft.rendered.svg)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

#[cfg(test)]
#[path = "../tests/support/changes.rs"]
mod changes;

/// Each phase of [`Store::apply`] on its own, inside an open transaction on SQLite. (The whole of `apply` runs on
/// both backends in `tests/backends.rs`.)
#[cfg(test)]
mod tests {
    use serde_json::json;
    use tujie_model::OutboundType;

    use super::changes::{doc, draft, link, upsert};
    use super::*;
    use crate::DatabaseConfig;

    async fn sqlite() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let cfg =
            DatabaseConfig { url: format!("sqlite://{}", dir.path().join("t.db").display()), ..Default::default() };
        let store = Store::connect(&cfg).await.unwrap();
        (dir, store)
    }

    /// Stores the change's document as `store_document` does; panics when it is stale.
    async fn stored(tx: &mut Tx, change: &Change) -> Touched {
        let at = db_time(&change.occurred_at);
        store_document(tx, &change.action, 1, &at, &now()).await.unwrap().expect("not stale")
    }

    async fn count(tx: &mut Tx, sql: &'static str) -> i64 {
        sqlx::query(sql).fetch_one(&mut **tx).await.unwrap().try_get(0).unwrap()
    }

    fn types(effects: &Effects) -> Vec<OutboundType> {
        effects.outbox.iter().map(|e| e.event_type).collect()
    }

    #[tokio::test]
    async fn record_event_knows_a_redelivery() {
        let (_dir, store) = sqlite().await;
        let mut tx = store.begin_write().await.unwrap();
        let change = upsert("e1", doc("policy", "p1", "通知", "2024-03-01"), None);
        assert!(record_event(&mut tx, &change, &now()).await.unwrap());
        assert!(!record_event(&mut tx, &change, &now()).await.unwrap(), "the same event id again");
        assert_eq!(count(&mut tx, "SELECT COUNT(*) FROM processed_events").await, 1);
    }

    #[tokio::test]
    async fn store_document_upserts_withdraws_and_refuses_older_versions() {
        let (_dir, store) = sqlite().await;
        let mut tx = store.begin_write().await.unwrap();
        let newer = upsert("e1", doc("policy", "p1", "通知", "2024-03-05"), None);
        assert_eq!(stored(&mut tx, &newer).await, Touched { affected: vec!["p1".into()], withdrawn_policy: None });
        let older = upsert("e0", doc("policy", "p1", "通知", "2024-03-01"), None);
        let at = db_time(&older.occurred_at);
        assert_eq!(store_document(&mut tx, &older.action, 2, &at, &now()).await.unwrap(), None, "stale");

        // An interpretation re-published loses its links, and the policies it covered are touched.
        let interpretation = upsert("e2", doc("interpretation", "i1", "通知", "2024-03-06"), Some(Form::Text));
        stored(&mut tx, &interpretation).await;
        insert_links(&mut tx, &[link("p1", "i1")], &now()).await.unwrap();
        assert_eq!(stored(&mut tx, &interpretation).await.affected, ["p1"]);
        assert_eq!(count(&mut tx, "SELECT COUNT(*) FROM links").await, 0);

        let withdraw = |id: &str| DocumentAction::Withdraw(id.into());
        let later = db_time(&Timestamp::parse("2024-03-07").unwrap());
        assert_eq!(store_document(&mut tx, &withdraw("nope"), 3, &later, &now()).await.unwrap(), None, "unknown");
        let earlier = db_time(&Timestamp::parse("2024-03-02").unwrap());
        assert_eq!(store_document(&mut tx, &withdraw("p1"), 3, &earlier, &now()).await.unwrap(), None, "older");
        let touched = store_document(&mut tx, &withdraw("p1"), 3, &later, &now()).await.unwrap();
        assert_eq!(touched, Some(Touched { affected: vec!["p1".into()], withdrawn_policy: Some("p1".into()) }));
        assert_eq!(count(&mut tx, "SELECT COUNT(*) FROM documents WHERE withdrawn = 1").await, 1);
    }

    #[tokio::test]
    async fn insert_links_names_their_policies_and_updates_a_link_already_there() {
        let (_dir, store) = sqlite().await;
        let mut tx = store.begin_write().await.unwrap();
        for (id, kind) in [("p1", "policy"), ("p2", "policy"), ("i1", "interpretation")] {
            stored(&mut tx, &upsert("e", doc(kind, id, "通知", "2024-03-01"), None)).await;
        }
        let links = [link("p1", "i1"), link("p2", "i1")];
        assert_eq!(insert_links(&mut tx, &links, &now()).await.unwrap(), ["p1", "p2"]);
        assert_eq!(insert_links(&mut tx, &[Link { score: 0.8, ..link("p1", "i1") }], &now()).await.unwrap(), ["p1"]);
        assert_eq!(count(&mut tx, "SELECT COUNT(*) FROM links").await, 2);
        let score: f64 = sqlx::query("SELECT score FROM links WHERE policy_id = 'p1'")
            .fetch_one(&mut *tx)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(score, 0.8);
    }

    #[tokio::test]
    async fn recompute_coverage_announces_changes_and_supersedes_what_rich_coverage_made_unnecessary() {
        let (_dir, store) = sqlite().await;
        let files = store.assets.put_all([&[1], &[2]]).await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let policy = upsert("e1", doc("policy", "p1", "通知", "2024-03-01"), None);
        let touched = stored(&mut tx, &policy).await;
        store_draft(&mut tx, &draft("d1", "p1"), &files, &policy, &now(), &mut Effects::default()).await.unwrap();

        // A text interpretation: coverage changes, the draft stays.
        let text = upsert("e2", doc("interpretation", "i1", "通知", "2024-03-02"), Some(Form::Text));
        stored(&mut tx, &text).await;
        insert_links(&mut tx, &[link("p1", "i1")], &now()).await.unwrap();
        let mut effects = Effects::default();
        assert!(recompute_coverage(&mut tx, &touched, &text, &now(), &mut effects).await.unwrap().is_empty());
        assert_eq!(
            effects.coverage,
            [CoverageChange { policy_id: "p1".into(), before: CoverageStatus::None, after: CoverageStatus::TextOnly }]
        );
        assert_eq!(types(&effects), [OutboundType::CoverageChanged]);
        assert!(effects.superseded.is_empty());

        // Unchanged coverage says nothing.
        let mut effects = Effects::default();
        recompute_coverage(&mut tx, &touched, &text, &now(), &mut effects).await.unwrap();
        assert!(effects.outbox.is_empty() && effects.coverage.is_empty());

        // A graphic: rich, and the pending draft is superseded.
        let graphic = upsert("e3", doc("interpretation", "i2", "通知", "2024-03-03"), Some(Form::Graphic));
        stored(&mut tx, &graphic).await;
        insert_links(&mut tx, &[link("p1", "i2")], &now()).await.unwrap();
        let mut effects = Effects::default();
        assert_eq!(recompute_coverage(&mut tx, &touched, &graphic, &now(), &mut effects).await.unwrap(), ["p1"]);
        assert_eq!(effects.superseded, ["d1"]);
        assert_eq!(types(&effects), [OutboundType::CoverageChanged, OutboundType::DraftSuperseded]);
        assert_eq!(effects.outbox[1].data["reason"], "rich_interpretation");
    }

    #[tokio::test]
    async fn store_draft_replaces_the_draft_of_the_old_text_once() {
        let (_dir, store) = sqlite().await;
        let files = store.assets.put_all([&[1], &[2]]).await.unwrap();
        let mut tx = store.begin_write().await.unwrap();
        let policy = upsert("e1", doc("policy", "p1", "通知", "2024-03-01"), None);
        stored(&mut tx, &policy).await;
        let mut effects = Effects::default();
        let created = store_draft(&mut tx, &draft("d1", "p1"), &files, &policy, &now(), &mut effects).await.unwrap();
        assert_eq!((created.as_deref(), types(&effects)), (Some("d1"), vec![OutboundType::DraftCreated]));
        assert_eq!(effects.outbox[0].event_id, "draft.created:d1:e1");

        let mut effects = Effects::default();
        assert_eq!(
            store_draft(&mut tx, &draft("d1", "p1"), &files, &policy, &now(), &mut effects).await.unwrap(),
            None
        );
        assert!(effects.outbox.is_empty(), "pending already: nothing to announce");

        let republished = upsert("e2", doc("policy", "p1", "通知", "2024-03-02"), None);
        let mut effects = Effects::default();
        let created =
            store_draft(&mut tx, &draft("d2", "p1"), &files, &republished, &now(), &mut effects).await.unwrap();
        assert_eq!((created.as_deref(), effects.superseded.as_slice()), (Some("d2"), &["d1".to_owned()][..]));
        assert_eq!(types(&effects), [OutboundType::DraftSuperseded, OutboundType::DraftCreated]);
        assert_eq!(effects.outbox[0].data["reason"], "policy_updated");
        assert_eq!(count(&mut tx, "SELECT COUNT(*) FROM drafts WHERE status = 'pending'").await, 1);
    }

    #[tokio::test]
    async fn write_outbox_writes_each_event_once_in_order() {
        let (_dir, store) = sqlite().await;
        let mut tx = store.begin_write().await.unwrap();
        let at = Timestamp::parse("2024-03-01").unwrap();
        let events: Vec<OutboundEvent> =
            ["a", "b"].iter().map(|k| OutboundEvent::new(OutboundType::ReportWeekly, k, at, json!({}))).collect();
        write_outbox(&mut tx, &events, &now()).await.unwrap();
        write_outbox(&mut tx, &events[..1], &now()).await.unwrap();
        let ids: Vec<String> = sqlx::query("SELECT event_id FROM outbox ORDER BY id")
            .fetch_all(&mut *tx)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get(0).unwrap())
            .collect();
        assert_eq!(ids, ["report.weekly:a", "report.weekly:b"]);
    }
}
