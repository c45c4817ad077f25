//! The in-memory index: candidates by exact keys (URLs, 文号, titles) and by character bigrams within a date
//! window, then pairwise scoring and the choice of the best policy for each interpretation.
//!
//! Documents are numbered by `u32` slots; every posting list holds slots. Bigram postings are keyed by
//! `(bigram, 16-day bucket)` so that a lookup only touches the weeks an interpretation can be published in, which
//! keeps a lookup in a catalogue of millions to a few thousand postings.

use tujie_model::{Document, DocumentKind, Link};

use crate::config::MatcherConfig;
use crate::explain::{CandidateExplanation, Explanation, deciding, describe_signal};
use crate::features::{Features, Reading, Section};
use crate::hash::{FxMap, str_hash};
use crate::multimap::{MultiMap, Slot};
use crate::score::{Rarity, Scored, score};

/// Width of a posting bucket in days: small enough that a lookup skips most of the catalogue, large enough that
/// a 60-day window is a handful of hash lookups per bigram.
const BUCKET_DAYS: i32 = 16;
const BUCKET_BITS: u32 = 22;

/// A bigram found in more documents of one kind than this gets date-bucketed postings; rarer bigrams keep one
/// list, scanned whole and filtered by date, which costs less memory than a key per bucket.
const BUCKETIZE_AT: usize = 64;

#[derive(Debug, Clone)]
struct Entry {
    id: Box<str>,
    f: Features,
}

fn kind_ix(k: DocumentKind) -> usize {
    match k {
        DocumentKind::Policy => 0,
        DocumentKind::Interpretation => 1,
    }
}

fn bucket(day: i32) -> u64 {
    bucket_of_index(day.div_euclid(BUCKET_DAYS))
}

fn bucket_of_index(b: i32) -> u64 {
    // Wrapping into 22 bits is harmless: buckets 4 million apart (180,000 years) never meet in one window.
    (b as u64) & ((1 << BUCKET_BITS) - 1)
}

fn posting_key(gram: u64, bucket: u64) -> u64 {
    (gram << BUCKET_BITS) | bucket
}

/// Every 文号 an interpretation cites: in its title and metadata, after its body's subject, and elsewhere in
/// its body's opening (deduplicated, so that a posting is added and removed once).
fn cited_numbers(f: &Features) -> Vec<u64> {
    let mut v: Vec<u64> = [Section::CitedNumbers, Section::SubjectNumbers, Section::BodyNumbers]
        .into_iter()
        .flat_map(|s| f.section(s).iter().copied())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Two policy records of one document: the same full title, 文号 and publication day, and no sign of two
/// issuers (another jurisdiction, or named issuers with no organisation in common).
fn same_document(a: &Features, b: &Features) -> bool {
    let (oa, ob) = (a.section(Section::Orgs), b.section(Section::Orgs));
    let orgs_agree = oa.is_empty() || ob.is_empty() || oa.iter().any(|o| ob.binary_search(o).is_ok());
    a.full == b.full
        && a.doc_number == b.doc_number
        && a.day == b.day
        && !a.jurisdiction.conflicts(b.jurisdiction)
        && orgs_agree
}

/// Where a scored policy came from: a stored slot, or the document passed to `links_for` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PolicyRef {
    Slot(Slot),
    Query,
}

/// Policies and interpretations, indexed for matching. See the crate docs.
#[derive(Debug)]
pub struct MatchIndex {
    cfg: MatcherConfig,
    slots: Vec<Option<Entry>>,
    free: Vec<Slot>,
    live: usize,
    by_id: FxMap<u64, Slot>,
    /// Ids whose 64-bit hash collided with another id's: practically never used, but correctness must not depend
    /// on luck.
    by_id_overflow: FxMap<Box<str>, Slot>,
    /// Publication day per slot, so bigram hits are filtered by date without touching the entries.
    days: Vec<i32>,
    /// Per kind (policy, interpretation): documents by their own URL.
    by_url: [MultiMap; 2],
    /// Per kind: documents by the URLs they link to.
    by_outbound: [MultiMap; 2],
    /// Per kind: documents by the hash of their core title and of their quoted titles.
    by_title: [MultiMap; 2],
    /// Policies by own 文号, interpretations by cited 文号.
    by_number: [MultiMap; 2],
    /// Policies by the titles their pages list as related.
    by_related_title: MultiMap,
    /// Interpretations by the policy ids they declare.
    by_interprets: MultiMap,
    /// Per kind: bigram → slots, for bigrams not (yet) bucketed.
    grams: [MultiMap; 2],
    /// Per kind: `(bigram, bucket)` → slots, for frequent bigrams.
    buckets: [FxMap<u64, Vec<Slot>>; 2],
    /// Per kind: the bigrams that live in `buckets`.
    bucketed: [FxMap<u64, ()>; 2],
    /// Bigram → number of documents containing it.
    df: FxMap<u64, u32>,
    /// Word (see [`Features::terms`]) → number of documents containing it.
    term_df: FxMap<u32, u32>,
}

impl MatchIndex {
    /// An empty index. The configuration should have passed [`MatcherConfig::validate`].
    pub fn new(cfg: MatcherConfig) -> Self {
        Self {
            cfg,
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            by_id: FxMap::default(),
            by_id_overflow: FxMap::default(),
            days: Vec::new(),
            by_url: Default::default(),
            by_outbound: Default::default(),
            by_title: Default::default(),
            by_number: Default::default(),
            by_related_title: MultiMap::default(),
            by_interprets: MultiMap::default(),
            grams: Default::default(),
            buckets: Default::default(),
            bucketed: Default::default(),
            df: FxMap::default(),
            term_df: FxMap::default(),
        }
    }

    fn reading(&self, segment: bool) -> Reading {
        Reading { opening_chars: self.cfg.body_opening_chars, segment: segment && self.cfg.weights.terms > 0.0 }
    }

    pub fn config(&self) -> &MatcherConfig {
        &self.cfg
    }

    /// Number of documents held.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    fn slot_of(&self, id: &str) -> Option<Slot> {
        let id = id.trim();
        if let Some(&s) = self.by_id.get(&str_hash(id))
            && self.slots[s as usize].as_ref().is_some_and(|e| &*e.id == id)
        {
            return Some(s);
        }
        self.by_id_overflow.get(id).copied()
    }

    fn entry(&self, slot: Slot) -> &Entry {
        self.slots[slot as usize].as_ref().expect("posting lists only hold live slots")
    }

    /// Adds a document, or replaces the stored one with the same id (re-published or corrected).
    pub fn upsert(&mut self, doc: &Document) {
        self.remove(&doc.id);
        let f = Features::of(doc, self.reading(true));
        let id: Box<str> = doc.id.trim().into();
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                // Grow by a quarter, not double: at a million entries doubling would leave up to half of a
                // 100-MiB table unused.
                if self.slots.len() == self.slots.capacity() {
                    let more = (self.slots.len() / 4).max(1024);
                    self.slots.reserve_exact(more);
                    self.days.reserve_exact(more);
                }
                self.slots.push(None);
                self.days.push(0);
                Slot::try_from(self.slots.len() - 1).expect("fewer than 4 billion documents")
            }
        };
        self.days[slot as usize] = f.day;
        match self.by_id.get(&f.id_hash) {
            Some(_) => {
                self.by_id_overflow.insert(id.clone(), slot);
            }
            None => {
                self.by_id.insert(f.id_hash, slot);
            }
        }
        self.index_features(&f, slot, true);
        self.slots[slot as usize] = Some(Entry { id, f });
        self.live += 1;
    }

    /// Forgets a document (withdrawn). Unknown ids are ignored.
    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.slot_of(id) else { return };
        let entry = self.slots[slot as usize].take().expect("slot_of returns live slots");
        if self.by_id.get(&entry.f.id_hash) == Some(&slot) {
            self.by_id.remove(&entry.f.id_hash);
        } else {
            self.by_id_overflow.remove(&entry.id);
        }
        self.index_features(&entry.f, slot, false);
        self.free.push(slot);
        self.live -= 1;
    }

    /// Adds (`add`) or removes every key of `f` for `slot`.
    fn index_features(&mut self, f: &Features, slot: Slot, add: bool) {
        let k = kind_ix(f.kind);
        let op = |map: &mut MultiMap, key: u64| if add { map.insert(key, slot) } else { map.remove(key, slot) };
        op(&mut self.by_url[k], f.url);
        for u in f.section(Section::Outbound) {
            op(&mut self.by_outbound[k], *u);
        }
        for t in self.title_keys(f) {
            op(&mut self.by_title[k], t);
        }
        match f.kind {
            DocumentKind::Policy => {
                op(&mut self.by_number[k], f.doc_number);
                for t in f.section(Section::RelatedTitles) {
                    op(&mut self.by_related_title, *t);
                }
            }
            DocumentKind::Interpretation => {
                for n in cited_numbers(f) {
                    op(&mut self.by_number[k], n);
                }
                for id in f.section(Section::InterpretsIds) {
                    op(&mut self.by_interprets, *id);
                }
            }
        }
        for t in &f.terms {
            if add {
                *self.term_df.entry(*t).or_default() += 1;
            } else if let Some(n) = self.term_df.get_mut(t) {
                *n -= 1;
                if *n == 0 {
                    self.term_df.remove(t);
                }
            }
        }
        let b = bucket(f.day);
        for g in f.grams() {
            if add {
                *self.df.entry(g).or_default() += 1;
                if self.bucketed[k].contains_key(&g) {
                    self.buckets[k].entry(posting_key(g, b)).or_default().push(slot);
                } else {
                    self.grams[k].insert(g, slot);
                    if self.grams[k].count(g) > BUCKETIZE_AT {
                        // Frequent now: move its postings into per-bucket lists.
                        for s in self.grams[k].take(g) {
                            let key = posting_key(g, bucket(self.days[s as usize]));
                            self.buckets[k].entry(key).or_default().push(s);
                        }
                        self.bucketed[k].insert(g, ());
                    }
                }
            } else {
                if let Some(n) = self.df.get_mut(&g) {
                    *n -= 1;
                    if *n == 0 {
                        self.df.remove(&g);
                    }
                }
                if self.bucketed[k].contains_key(&g) {
                    let key = posting_key(g, b);
                    if let Some(list) = self.buckets[k].get_mut(&key) {
                        list.retain(|s| *s != slot);
                        if list.is_empty() {
                            self.buckets[k].remove(&key);
                        }
                    }
                } else {
                    self.grams[k].remove(g, slot);
                }
            }
        }
    }

    fn title_keys(&self, f: &Features) -> Vec<u64> {
        let min = self.cfg.min_title_chars;
        let mut keys: Vec<u64> = f.match_texts().filter(|t| t.chars().count() >= min).map(str_hash).collect();
        // Full titles, so that an exact reference finds its policy; cited quotes too, since they can be exact.
        keys.extend(f.quote_fulls());
        if f.kind == DocumentKind::Policy && f.core.chars().count() >= min {
            keys.push(f.full);
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn idf(&self, gram: u64) -> f64 {
        let n = self.live.max(1) as f64;
        let df = f64::from(self.df.get(&gram).copied().unwrap_or(0)).max(1.0);
        (1.0 + n / df).ln()
    }

    fn term_idf(&self, term: u32) -> f64 {
        let n = self.live.max(1) as f64;
        let df = f64::from(self.term_df.get(&term).copied().unwrap_or(0)).max(1.0);
        (1.0 + n / df).ln()
    }

    /// Candidate slots of kind `target` for `q`: every exact-key hit, then the best bigram hits in the date window.
    fn candidates(&self, q: &Features, target: DocumentKind, exclude: Option<Slot>) -> Vec<Slot> {
        let t = kind_ix(target);
        let cap = self.cfg.max_candidates;
        let mut exact: Vec<Slot> = Vec::new();
        let mut take = |map: &MultiMap, key: u64| map.each(key, cap, |s| exact.push(s));
        for u in q.section(Section::Outbound) {
            take(&self.by_url[t], *u);
        }
        if q.url != 0 {
            take(&self.by_outbound[t], q.url);
        }
        for key in self.title_keys(q) {
            take(&self.by_title[t], key);
        }
        match q.kind {
            DocumentKind::Interpretation => {
                for n in cited_numbers(q) {
                    take(&self.by_number[t], n);
                }
                take(&self.by_related_title, str_hash(&q.core));
                for id in q.section(Section::InterpretsIds) {
                    if let Some(&s) = self.by_id.get(id) {
                        exact.push(s);
                    }
                }
            }
            DocumentKind::Policy => {
                if q.doc_number != 0 {
                    take(&self.by_number[t], q.doc_number);
                }
                for h in q.section(Section::RelatedTitles) {
                    take(&self.by_title[t], *h);
                }
                take(&self.by_interprets, q.id_hash);
            }
        }
        let mut out: Vec<Slot> = exact
            .into_iter()
            .filter(|s| Some(*s) != exclude && self.slots[*s as usize].as_ref().is_some_and(|e| e.f.kind == target))
            .collect();
        out.sort_unstable();
        out.dedup();

        // Bigram candidates within the window in which the other side may be published.
        let (lo, hi) = match q.kind {
            DocumentKind::Interpretation => {
                (i64::from(q.day) - self.cfg.max_days_after, i64::from(q.day) + self.cfg.max_days_before)
            }
            DocumentKind::Policy => {
                (i64::from(q.day) - self.cfg.max_days_before, i64::from(q.day) + self.cfg.max_days_after)
            }
        };
        let clamp = |d: i64| i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX });
        let (b_lo, b_hi) = (clamp(lo).div_euclid(BUCKET_DAYS), clamp(hi).div_euclid(BUCKET_DAYS));
        let n = self.live as f64;
        let use_stop = self.live >= self.cfg.stop_gram_min_docs;
        let mut acc: FxMap<Slot, f32> = FxMap::default();
        let mut total = 0.0f64;
        for g in q.grams() {
            let df = self.df.get(&g).copied().unwrap_or(0);
            if df == 0 {
                continue;
            }
            let idf = self.idf(g);
            total += idf;
            if use_stop && f64::from(df) > self.cfg.stop_gram_ratio * n {
                continue;
            }
            if self.bucketed[t].contains_key(&g) {
                for b in b_lo..=b_hi {
                    if let Some(list) = self.buckets[t].get(&posting_key(g, bucket_of_index(b))) {
                        for s in list {
                            let day = i64::from(self.days[*s as usize]);
                            if (lo..=hi).contains(&day) {
                                *acc.entry(*s).or_default() += idf as f32;
                            }
                        }
                    }
                }
            } else {
                self.grams[t].each(g, usize::MAX, |s| {
                    let day = i64::from(self.days[s as usize]);
                    if (lo..=hi).contains(&day) {
                        *acc.entry(s).or_default() += idf as f32;
                    }
                });
            }
        }
        if total > 0.0 {
            let min = (self.cfg.min_ngram_overlap * total) as f32;
            let mut ranked: Vec<(Slot, f32)> =
                acc.into_iter().filter(|(s, a)| *a >= min && Some(*s) != exclude).collect();
            let keep = cap.min(ranked.len());
            if keep > 0 && keep < ranked.len() {
                ranked.select_nth_unstable_by(keep - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                ranked.truncate(keep);
            }
            out.extend(ranked.into_iter().map(|(s, _)| s));
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// Number of candidate slots a document would be scored against; for benchmarks of the lookup alone.
    pub fn candidate_count(&self, doc: &Document) -> usize {
        let f = Features::of(doc, self.reading(false));
        let target = match doc.kind {
            DocumentKind::Policy => DocumentKind::Interpretation,
            DocumentKind::Interpretation => DocumentKind::Policy,
        };
        self.candidates(&f, target, self.slot_of(&doc.id)).len()
    }

    fn score(&self, p: &Features, i: &Features) -> Scored {
        let gram = |g| self.idf(g);
        let term = |t| self.term_idf(t);
        score(&self.cfg, p, i, &Rarity { gram: &gram, term: &term })
    }

    /// The policies interpretation `i` is linked to, best first. `query` is a policy being linked that takes
    /// the place of its stored version (`query_slot`), so a changed or not-yet-stored policy is judged as given.
    fn choose_policies(
        &self,
        i: &Features,
        i_slot: Option<Slot>,
        query: Option<(&Features, &str, Option<Slot>)>,
    ) -> Vec<(PolicyRef, Scored)> {
        let exclude = query.and_then(|q| q.2);
        let mut scored: Vec<(PolicyRef, Scored)> = self
            .candidates(i, DocumentKind::Policy, exclude)
            .into_iter()
            .filter(|s| Some(*s) != i_slot)
            .map(|s| (PolicyRef::Slot(s), self.score(&self.entry(s).f, i)))
            .collect();
        if let Some((p, _, _)) = query {
            scored.push((PolicyRef::Query, self.score(p, i)));
        }
        scored.retain(|(_, s)| s.score >= self.cfg.accept_score);
        let id_of = |r: &PolicyRef| -> &str {
            match r {
                PolicyRef::Slot(s) => &self.entry(*s).id,
                PolicyRef::Query => query.map_or("", |q| q.1),
            }
        };
        scored.sort_by(|a, b| {
            b.1.raw
                .total_cmp(&a.1.raw)
                .then(a.1.method_rank().cmp(&b.1.method_rank()))
                .then(a.1.gap_days.abs().cmp(&b.1.gap_days.abs()))
                .then(id_of(&a.0).cmp(id_of(&b.0)))
        });
        let features = |r: &PolicyRef| -> &Features {
            match r {
                PolicyRef::Slot(s) => &self.entry(*s).f,
                PolicyRef::Query => query.map_or(i, |q| q.0),
            }
        };
        let mut out: Vec<(PolicyRef, Scored)> = Vec::new();
        for (r, s) in scored {
            // The best always; another only if it is named by a strong signal of its own (its own link, 文号 or
            // a second quoted title), so similar policies do not all collect the same interpretation. Once an
            // exact reference decided, a sibling sharing only the core title does not come along. A second
            // record of the very document already linked (same full title, 文号 and date: a page published
            // twice, or fed by two sites) is named as exactly and comes along.
            let own = |(_, o): &(PolicyRef, Scored)| {
                (s.is_exact() && s.quote.is_none()) || (s.quote.is_some() && s.quote != o.quote)
            };
            let twin = |(o_r, o): &(PolicyRef, Scored)| {
                s.is_exact() && o.is_exact() && same_document(features(o_r), features(&r))
            };
            let another = out.len() < self.cfg.max_links_per_interpretation
                && s.is_strong()
                && out.iter().all(|o| own(o) || twin(o));
            if out.is_empty() || another {
                out.push((r, s));
            }
        }
        out
    }

    /// Every interpretation considered for policy `p`, with verdicts, best first.
    fn policy_side(&self, p: &Features, p_id: &str, p_slot: Option<Slot>) -> Vec<CandidateExplanation> {
        let mut out = Vec::new();
        for s in self.candidates(p, DocumentKind::Interpretation, p_slot) {
            let e = self.entry(s);
            let scored = self.score(p, &e.f);
            let (accepted, reason) = if scored.score < self.cfg.accept_score {
                (false, "score below accept_score".to_owned())
            } else {
                let chosen = self.choose_policies(&e.f, Some(s), Some((p, p_id, p_slot)));
                if chosen.iter().any(|(r, _)| *r == PolicyRef::Query) {
                    (true, "linked".to_owned())
                } else {
                    let best = chosen.first().map_or(String::new(), |(r, b)| match r {
                        PolicyRef::Slot(x) => format!("{} ({:.2})", self.entry(*x).id, b.score),
                        PolicyRef::Query => p_id.to_owned(),
                    });
                    (false, format!("the interpretation is linked to {best}, which scores higher"))
                }
            };
            out.push(CandidateExplanation {
                interpretation_id: e.id.to_string(),
                interpretation_core: e.f.core.to_string(),
                score: scored.score,
                method: scored.method.to_owned(),
                accepted,
                reason,
                deciding: deciding(scored.method, &scored.evidence),
                evidence: scored.evidence,
            });
        }
        out.sort_by(|a, b| {
            b.accepted
                .cmp(&a.accepted)
                .then(b.score.total_cmp(&a.score))
                .then(a.interpretation_id.cmp(&b.interpretation_id))
        });
        out
    }

    /// Links for a document that just arrived: for an interpretation, the policies it interprets (usually one);
    /// for a policy, the already-indexed interpretations that interpret it. Works whether or not `doc` has been
    /// upserted; the given version is used.
    pub fn links_for(&self, doc: &Document) -> Vec<Link> {
        let f = Features::of(doc, self.reading(true));
        let slot = self.slot_of(&doc.id);
        match doc.kind {
            DocumentKind::Interpretation => self
                .choose_policies(&f, slot, None)
                .into_iter()
                .filter_map(|(r, s)| match r {
                    PolicyRef::Slot(p) => Some(Link {
                        policy_id: self.entry(p).id.to_string(),
                        interpretation_id: doc.id.trim().to_owned(),
                        score: s.score,
                        method: s.method.to_owned(),
                        evidence: s.evidence,
                    }),
                    PolicyRef::Query => None,
                })
                .collect(),
            DocumentKind::Policy => self
                .policy_side(&f, doc.id.trim(), slot)
                .into_iter()
                .filter(|c| c.accepted)
                .map(|c| Link {
                    policy_id: doc.id.trim().to_owned(),
                    interpretation_id: c.interpretation_id,
                    score: c.score,
                    method: c.method,
                    evidence: c.evidence,
                })
                .collect(),
        }
    }

    /// Every candidate considered for a stored policy and the verdict on each; `None` if no such policy.
    pub fn explain(&self, policy_id: &str) -> Option<Explanation> {
        let slot = self.slot_of(policy_id)?;
        let e = self.entry(slot);
        if e.f.kind != DocumentKind::Policy {
            return None;
        }
        let candidates = self.policy_side(&e.f, &e.id, Some(slot));
        let signals = candidates
            .iter()
            .flat_map(|c| &c.evidence)
            .filter_map(|ev| describe_signal(&ev.signal).map(|(zh, en)| (ev.signal.clone(), [zh, en])))
            .collect();
        Some(Explanation {
            policy_id: e.id.to_string(),
            policy_core: e.f.core.to_string(),
            accept_score: self.cfg.accept_score,
            candidates,
            signals,
        })
    }

    /// Approximate heap bytes held by the index: capacities of every table and list, plus per-document data.
    /// Hash tables are counted at one control byte and one key/value per bucket.
    pub fn heap_bytes(&self) -> usize {
        fn map_bytes<K, V>(m: &FxMap<K, V>) -> usize {
            m.capacity() * (std::mem::size_of::<(K, V)>() + 1)
        }
        let mut n = self.slots.capacity() * std::mem::size_of::<Option<Entry>>()
            + self.free.capacity() * 4
            + self.days.capacity() * 4;
        n += self.slots.iter().flatten().map(|e| e.id.len() + e.f.heap_bytes()).sum::<usize>();
        n += map_bytes(&self.by_id) + map_bytes(&self.df) + map_bytes(&self.term_df);
        n += self.by_id_overflow.keys().map(|k| k.len()).sum::<usize>() + map_bytes(&self.by_id_overflow);
        for k in 0..2 {
            n += self.by_url[k].heap_bytes()
                + self.by_outbound[k].heap_bytes()
                + self.by_title[k].heap_bytes()
                + self.by_number[k].heap_bytes()
                + self.grams[k].heap_bytes()
                + map_bytes(&self.buckets[k])
                + self.buckets[k].values().map(|v| v.capacity() * 4).sum::<usize>()
                + map_bytes(&self.bucketed[k]);
        }
        n + self.by_related_title.heap_bytes() + self.by_interprets.heap_bytes()
    }
}
