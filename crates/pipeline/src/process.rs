//! [`Pipeline`]: the match index held in memory and the per-event procedure.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use tujie_fetch::Fetcher;
use tujie_matcher::{MatchIndex, MatcherConfig, classify_form};
use tujie_media::VideoDrafts;
use tujie_model::event::Payload;
use tujie_model::{Document, DocumentKind, InboundEvent, Link, NoDraftReason, Timestamp};
use tujie_render::{Mode, Renderer};
use tujie_store::{ApplyOutcome, Change, CoverageChange, DocumentAction, NewDocument, NewDraft, Store};
use tujie_text::{TextConfig, TextError};

use crate::PipelineError;

/// What the pipeline needs besides the store.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    pub text: TextConfig,
    pub matcher: MatcherConfig,
    /// Make drafts; `tujie ingest --no-drafts` and `[pipeline] drafts = false` turn it off.
    pub drafts: bool,
    /// Messages larger than this are rejected before parsing.
    pub max_message_bytes: usize,
}

impl Default for PipelineOptions {
    /// The defaults of `pipeline.toml`: the text and matcher defaults, drafts on, messages up to 4 MiB.
    fn default() -> Self {
        PipelineOptions {
            text: TextConfig::default(),
            matcher: MatcherConfig::default(),
            drafts: true,
            max_message_bytes: 4 << 20,
        }
    }
}

/// What processing one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The event id had been processed before; nothing changed.
    Duplicate,
    /// The event carried an older version than the one stored (a retry overtaken by a newer event); it was
    /// recorded and nothing else changed.
    Stale,
    /// The event's change was applied (the store's `ApplyOutcome::Applied`).
    Applied {
        document_id: String,
        links: usize,
        draft_created: Option<String>,
        /// Why no draft was made for a policy, when none was: a [`NoDraftReason`] or that the draft for this
        /// text exists already.
        draft_skipped: Option<String>,
        superseded: Vec<String>,
        coverage: Vec<CoverageChange>,
        /// What making `draft_created` cost, for the worker's metrics.
        draft_cost: Option<DraftCost>,
    },
}

/// The template a new draft was drawn with and the time its extraction and its rendering took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftCost {
    /// The template's name without the section kinds (`long/v1`).
    pub template: String,
    pub extraction: Duration,
    pub rendering: Duration,
}

/// What one reconciliation pass ([`Pipeline::reconcile`]) did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciliation {
    /// Live policies without a rich interpretation that were looked at.
    pub examined: usize,
    /// Policies that had a link the matcher finds now but the database lacked.
    pub relinked: Vec<String>,
    /// Drafts made for policies that had none for their current text.
    pub drafts_created: Vec<String>,
    /// Policies whose re-processing failed, with the error; the pass went on without them.
    pub failed: Vec<(String, String)>,
}

struct IndexState {
    index: MatchIndex,
    /// Highest document `rev` folded into the index.
    rev: i64,
}

/// The processing pipeline. Share it behind an `Arc`; `handle` may run concurrently.
pub struct Pipeline {
    store: Store,
    renderer: Option<Arc<Renderer>>,
    options: PipelineOptions,
    /// Fetches the text of a policy that arrived without one; `None` when `[fetch]` allows no host.
    fetcher: Option<Arc<Fetcher>>,
    /// Makes the 音视频解读 of every new draft after its commit (`[video] auto`); `None` when off.
    videos: Option<VideoDrafts>,
    /// Matching and indexing are serialised so that two concurrent events always see each other: whichever takes
    /// the lock second finds the first one's document in the index. Rendering and the database commit happen
    /// outside the lock.
    index: Mutex<IndexState>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("drafts", &self.options.drafts).finish_non_exhaustive()
    }
}

impl Pipeline {
    /// Builds the pipeline and its match index from everything stored. `renderer` may be `None` only when drafts
    /// are off.
    pub async fn new(
        store: Store,
        renderer: Option<Arc<Renderer>>,
        options: PipelineOptions,
    ) -> Result<Self, PipelineError> {
        let state = IndexState { index: MatchIndex::new(options.matcher.clone()), rev: 0 };
        let pipeline = Pipeline { store, renderer, options, fetcher: None, videos: None, index: Mutex::new(state) };
        {
            let mut state = pipeline.index.lock().await;
            pipeline.catch_up(&mut state).await?;
            tracing::info!(documents = state.index.len(), "match index built from the database");
        }
        Ok(pipeline)
    }

    /// Fetches the text of bodiless policies with `fetcher` (see `tujie-fetch`) before drafting them.
    pub fn with_fetcher(mut self, fetcher: Arc<Fetcher>) -> Self {
        self.fetcher = Some(fetcher);
        self
    }

    /// Asks `videos` for the 音视频解读 of every draft this pipeline creates, once it is committed (`[video] auto`).
    /// The render runs in the background; its failure is recorded with the video and never fails the event.
    pub fn with_videos(mut self, videos: VideoDrafts) -> Self {
        self.videos = Some(videos);
        self
    }

    /// Waits for the videos this pipeline asked for to finish (a one-shot command calls it before it exits).
    pub async fn wait_for_videos(&self) {
        if let Some(videos) = &self.videos {
            videos.wait_idle().await;
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Every candidate the matcher considers for a stored policy, and why each was accepted or rejected.
    pub async fn explain(&self, policy_id: &str) -> Result<Option<tujie_matcher::Explanation>, PipelineError> {
        let mut state = self.index.lock().await;
        self.catch_up(&mut state).await?;
        Ok(state.index.explain(policy_id))
    }

    /// Validates and processes one raw message.
    pub async fn handle_bytes(&self, bytes: &[u8]) -> Result<Outcome, PipelineError> {
        let event = InboundEvent::from_slice(bytes, self.options.max_message_bytes)?;
        self.handle(event).await
    }

    /// Processes one validated event.
    pub async fn handle(&self, event: InboundEvent) -> Result<Outcome, PipelineError> {
        if self.store.is_processed(&event.event_id).await? {
            return Ok(Outcome::Duplicate);
        }
        let occurred_at = event.occurred_at.unwrap_or_else(|| match &event.payload {
            Payload::Published(doc) => doc.published_at,
            Payload::Withdrawn { .. } => now(),
        });
        let event_type = event.event_type.as_str().to_owned();
        match event.payload {
            Payload::Withdrawn { document_id } => {
                {
                    let mut state = self.index.lock().await;
                    self.catch_up(&mut state).await?;
                    state.index.remove(&document_id);
                }
                let change = Change {
                    event_id: event.event_id,
                    event_type,
                    occurred_at,
                    action: DocumentAction::Withdraw(document_id.clone()),
                    links: vec![],
                    draft: None,
                };
                let outcome = self.commit(change, &document_id, None, None).await;
                if !matches!(outcome, Ok(Outcome::Applied { .. })) {
                    self.forget_if_unstored(&document_id).await;
                }
                outcome
            }
            Payload::Published(doc) => self.published(event.event_id, event_type, occurred_at, doc).await,
        }
    }

    /// Looks again at every live policy without a rich interpretation and re-processes, through the same path as
    /// an event, those that lack a link the matcher finds now or a draft for their current text.
    ///
    /// Events alone leave two gaps. A policy and its interpretation handled at the same moment by two processes
    /// can each match before the other is committed, so neither links them. And a policy whose only rich
    /// interpretation is withdrawn (or re-published as text) needs a draft that no event of its own asks for.
    /// The worker runs a pass every `[pipeline] reconcile_interval_secs`; `tujie reconcile` runs one.
    ///
    /// A database outage ends the pass with the error; any other failure is recorded and the pass goes on.
    pub async fn reconcile(&self) -> Result<Reconciliation, PipelineError> {
        let mut pass = Reconciliation::default();
        for stored in self.store.uncovered_policies().await? {
            pass.examined += 1;
            let policy_id = stored.document.id.clone();
            match self.reconcile_policy(stored).await {
                Ok(Some(Outcome::Applied { links, draft_created, .. })) => {
                    if links > 0 {
                        pass.relinked.push(policy_id);
                    }
                    pass.drafts_created.extend(draft_created);
                }
                Ok(_) => {}
                Err(e) if e.is_transient() => return Err(e),
                Err(e) => pass.failed.push((policy_id, e.to_string())),
            }
        }
        Ok(pass)
    }

    /// Re-processes one stored policy if something is missing; `None` when nothing is.
    async fn reconcile_policy(&self, stored: tujie_store::StoredDocument) -> Result<Option<Outcome>, PipelineError> {
        let doc = stored.document;
        let linked: std::collections::HashSet<String> =
            self.store.links_of(&doc.id).await?.into_iter().map(|l| l.interpretation_id).collect();
        let link_missing = {
            let mut state = self.index.lock().await;
            self.catch_up(&mut state).await?;
            state.index.links_for(&doc).iter().any(|l| !linked.contains(&l.interpretation_id))
        };
        let has_text = has_text(&doc);
        // Rich policies are not among the candidates, and `draft_for` decides coverage again in any case.
        let draft_missing = self.options.drafts && has_text && !self.store.draft_is_live(&draft_id_for(&doc)).await?;
        if !link_missing && !draft_missing {
            return Ok(None);
        }
        // The stored version again, at its own source time (so a newer upstream event is never refused as stale),
        // under an id that is the same for the same stored state: concurrent passes in several workers apply once.
        let event_id = format!("reconcile:{}:{}", doc.id, stored.rev);
        let occurred_at = stored.source_at.unwrap_or(doc.published_at);
        self.published(event_id, RECONCILE_EVENT_TYPE.into(), occurred_at, doc).await.map(Some)
    }

    async fn published(
        &self,
        event_id: String,
        event_type: String,
        occurred_at: Timestamp,
        doc: Document,
    ) -> Result<Outcome, PipelineError> {
        let decision = (doc.kind == DocumentKind::Interpretation).then(|| classify_form(&doc));
        let links = {
            let mut state = self.index.lock().await;
            self.catch_up(&mut state).await?;
            let links = state.index.links_for(&doc);
            state.index.upsert(&doc);
            links
        };

        let mut doc = doc;
        let mut plan = DraftPlan::Skip(NoDraftReason::DraftsOff);
        let mut fetched_from = Vec::new();
        if doc.kind == DocumentKind::Policy && self.options.drafts {
            match self.draft_for(&mut doc, &links, &mut fetched_from).await {
                Ok(p) => plan = p,
                Err(e) => {
                    self.forget_if_unstored(&doc.id).await;
                    return Err(e);
                }
            }
        } else if doc.kind == DocumentKind::Policy && !has_text(&doc) {
            plan = DraftPlan::Skip(NoDraftReason::NoText);
        }
        let (draft, no_draft, draft_skipped) = match plan {
            DraftPlan::Make(d, cost) => (Some((*d, cost)), None, None),
            DraftPlan::Exists(id) => (None, None, Some(format!("draft {id} already exists for this text"))),
            // Read afresh with coverage, never stored: it changes without a new version of the policy.
            DraftPlan::Skip(r @ NoDraftReason::CoveredBy(_)) => (None, None, Some(r.to_string())),
            DraftPlan::Skip(r) => (None, Some(r.clone()), Some(r.to_string())),
        };
        let (draft, cost) = draft.map_or((None, None), |(d, c)| (Some(d), Some(c)));
        let no_draft = no_draft.filter(|_| doc.kind == DocumentKind::Policy);

        let change = Change {
            event_id,
            event_type,
            occurred_at,
            action: DocumentAction::Upsert(Box::new(NewDocument {
                form: decision.as_ref().map(|d| d.form),
                form_cue: decision.map(|d| d.cue),
                document: doc.clone(),
                no_draft,
                fetched_from,
            })),
            links,
            draft,
        };
        let outcome = self.commit(change, &doc.id, draft_skipped, cost).await;
        if !matches!(outcome, Ok(Outcome::Applied { .. })) {
            // The index took this version before the commit; put back what the database holds.
            self.forget_if_unstored(&doc.id).await;
        }
        outcome
    }

    async fn commit(
        &self,
        change: Change,
        document_id: &str,
        draft_skipped: Option<String>,
        cost: Option<DraftCost>,
    ) -> Result<Outcome, PipelineError> {
        let links = change.links.len();
        match self.store.apply(change).await? {
            ApplyOutcome::Duplicate => Ok(Outcome::Duplicate),
            ApplyOutcome::Stale => Ok(Outcome::Stale),
            ApplyOutcome::Applied { draft_created, superseded, coverage } => {
                self.request_video(draft_created.as_deref()).await;
                Ok(Outcome::Applied {
                    document_id: document_id.to_owned(),
                    links,
                    draft_skipped: if draft_created.is_some() { None } else { draft_skipped },
                    draft_cost: cost.filter(|_| draft_created.is_some()),
                    draft_created,
                    superseded,
                    coverage,
                })
            }
        }
    }

    /// With `[video] auto`, asks for the video of a draft just committed. A failure to even record the request is
    /// logged: the event's effects are committed and the video can be asked for again.
    async fn request_video(&self, draft_id: Option<&str>) {
        let (Some(videos), Some(draft_id)) = (&self.videos, draft_id) else { return };
        if let Err(e) = videos.request(draft_id, "system").await {
            tracing::warn!(draft_id, error = %e, "cannot ask for the video of a new draft");
        }
    }

    /// Decides whether the policy needs a draft and, if so, fetches its text when the event brought none, then
    /// extracts and renders it. A fetched text becomes the document's body (and `fetched_from` says where from).
    async fn draft_for(
        &self,
        doc: &mut Document,
        new_links: &[Link],
        fetched_from: &mut Vec<String>,
    ) -> Result<DraftPlan, PipelineError> {
        if let Some(interpretation) = self.rich_interpretation(&doc.id, new_links).await? {
            return Ok(DraftPlan::Skip(NoDraftReason::CoveredBy(interpretation)));
        }
        if let Some(fetcher) = &self.fetcher
            && Fetcher::wants(doc)
        {
            match fetcher.fetch(doc).await {
                Ok(fetched) => *fetched_from = fetched.apply_to(doc),
                Err(e) => {
                    tracing::warn!(policy = %doc.id, reason = e.reason(), error = %e, "text not fetched");
                    return Ok(DraftPlan::Skip(NoDraftReason::FetchFailed(e.to_string())));
                }
            }
        }
        let draft_id = draft_id_for(doc);
        if self.store.draft_is_live(&draft_id).await? {
            return Ok(DraftPlan::Exists(draft_id));
        }
        let Some(renderer) = self.renderer.clone() else {
            return Ok(DraftPlan::Skip(NoDraftReason::DraftsOff));
        };
        let text_cfg = self.options.text.clone();
        let doc = doc.clone();
        tokio::task::spawn_blocking(move || -> Result<DraftPlan, PipelineError> {
            let started = Instant::now();
            let extraction = match tujie_text::extract(&doc, &text_cfg) {
                Ok(x) => x,
                Err(TextError::NoText) => return Ok(DraftPlan::Skip(NoDraftReason::NoText)),
                Err(e) => return Ok(DraftPlan::Skip(NoDraftReason::TextUnusable(e.to_string()))),
            };
            let extracted = Instant::now();
            let rendered = match renderer.render(&extraction.content, doc.site.as_deref(), Mode::Draft) {
                Ok(r) => r,
                // Rendering is deterministic: retrying cannot help, and the policy must still be stored and matched.
                Err(e) => {
                    tracing::warn!(policy = %doc.id, error = %e, "draft not rendered");
                    return Ok(DraftPlan::Skip(NoDraftReason::RenderFailed(e.to_string())));
                }
            };
            let cost = DraftCost {
                template: tujie_model::RenderedDraft::template_name(&rendered.template).to_owned(),
                extraction: extracted - started,
                rendering: extracted.elapsed(),
            };
            Ok(DraftPlan::Make(
                Box::new(NewDraft {
                    id: draft_id,
                    policy_id: doc.id.clone(),
                    content: extraction.content,
                    source_text: extraction.source_text,
                    rendered,
                }),
                cost,
            ))
        })
        .await
        .map_err(|e| PipelineError::Task(e.to_string()))?
    }

    /// A rich interpretation linked to the policy already or by this event, if any.
    async fn rich_interpretation(&self, policy_id: &str, new_links: &[Link]) -> Result<Option<String>, PipelineError> {
        let stored = self.store.links_of(policy_id).await?;
        for id in stored.iter().chain(new_links).map(|l| &l.interpretation_id) {
            if let Some(interp) = self.store.document(id).await?
                && !interp.withdrawn
                && interp.form.is_some_and(tujie_model::Form::is_rich)
            {
                return Ok(Some(id.clone()));
            }
        }
        Ok(None)
    }

    /// Folds documents stored since the last catch-up (by any worker) into the index.
    async fn catch_up(&self, state: &mut IndexState) -> Result<(), PipelineError> {
        for stored in self.store.documents_since(state.rev).await? {
            state.rev = state.rev.max(stored.rev);
            if stored.withdrawn {
                state.index.remove(&stored.document.id);
            } else {
                state.index.upsert(&stored.document);
            }
        }
        Ok(())
    }

    /// After a commit that failed or changed nothing, puts the index back to what the database holds for `id`.
    async fn forget_if_unstored(&self, id: &str) {
        let stored = self.store.document(id).await;
        let mut state = self.index.lock().await;
        match stored {
            Ok(Some(s)) if !s.withdrawn => state.index.upsert(&s.document),
            _ => state.index.remove(id),
        }
    }
}

/// The `event_type` recorded for a reconciliation's re-processing (in `processed_events` and `caused_by`).
pub const RECONCILE_EVENT_TYPE: &str = "policy.reconciled";

/// A draft's id names its policy and the text it was made from, so the same text never gets two drafts.
fn draft_id_for(doc: &Document) -> String {
    format!("dr-{}-{}", doc.id, &doc.content_hash()[..12])
}

enum DraftPlan {
    Make(Box<NewDraft>, DraftCost),
    /// The draft for this text exists (pending, approved or rejected).
    Exists(String),
    Skip(NoDraftReason),
}

fn has_text(doc: &Document) -> bool {
    [&doc.body_text, &doc.body_html].iter().any(|b| b.as_deref().is_some_and(|t| !t.trim().is_empty()))
}

fn now() -> Timestamp {
    Timestamp(chrono::Utc::now().with_timezone(&Timestamp::cst()))
}
