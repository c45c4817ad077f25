//! Scoring the matcher against a labelled event stream: link precision and recall, and form accuracy.
//!
//! Shared by the dev-set test and the `evaluate` example so both report the same figures. The caller reads and
//! parses the files; this module only replays events through a [`MatchIndex`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use tujie_model::{DocumentKind, Form, InboundEvent, Link, event::Payload};

use crate::{MatchIndex, MatcherConfig, classify_form};

/// Expected links and forms: `{"links": {policy_id: [interpretation_id…]}, "forms": {interpretation_id: form}}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Truth {
    #[serde(default)]
    pub links: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub forms: BTreeMap<String, Form>,
}

/// A documented correction to a truth file: a true pair it lacks, and why.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TruthAddition {
    pub policy: String,
    pub interpretation: String,
    pub why: String,
}

impl Truth {
    /// The truth with the documented additions applied.
    pub fn with_additions(mut self, additions: &[TruthAddition]) -> Self {
        for a in additions {
            self.links.entry(a.policy.clone()).or_default().push(a.interpretation.clone());
        }
        self
    }
}

/// The figures, and every mistake so a failing run can be read.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub found_links: usize,
    pub expected_links: usize,
    pub true_positives: usize,
    pub precision: f64,
    pub recall: f64,
    /// `(policy_id, interpretation_id, method, score)`.
    pub false_positives: Vec<(String, String, String, f64)>,
    /// `(policy_id, interpretation_id)`.
    pub false_negatives: Vec<(String, String)>,
    pub forms_checked: usize,
    pub forms_right: usize,
    pub form_accuracy: f64,
    /// `(interpretation_id, expected, got, cue)`.
    pub wrong_forms: Vec<(String, Form, Form, String)>,
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "links: precision {:.4} ({}/{} found are right), recall {:.4} ({}/{} expected were found)",
            self.precision,
            self.true_positives,
            self.found_links,
            self.recall,
            self.true_positives,
            self.expected_links
        )?;
        writeln!(f, "forms: accuracy {:.4} ({}/{})", self.form_accuracy, self.forms_right, self.forms_checked)?;
        for (p, i, m, s) in &self.false_positives {
            writeln!(f, "  false positive: {p} <- {i} ({m}, {s:.2})")?;
        }
        for (p, i) in &self.false_negatives {
            writeln!(f, "  missed: {p} <- {i}")?;
        }
        for (i, want, got, cue) in &self.wrong_forms {
            writeln!(f, "  wrong form: {i} expected {want}, got {got} ({cue})")?;
        }
        Ok(())
    }
}

/// Replays `events` in order (upsert, then `links_for` the new document; withdrawals remove the document and
/// its links) and compares the links found and the forms classified with `truth`.
pub fn evaluate(cfg: MatcherConfig, events: impl IntoIterator<Item = InboundEvent>, truth: &Truth) -> EvalReport {
    let mut index = MatchIndex::new(cfg);
    let mut found: BTreeMap<(String, String), Link> = BTreeMap::new();
    let mut forms: BTreeMap<String, (Form, String)> = BTreeMap::new();
    for event in events {
        match event.payload {
            Payload::Published(doc) => {
                index.upsert(&doc);
                if doc.kind == DocumentKind::Interpretation {
                    let d = classify_form(&doc);
                    forms.insert(doc.id.clone(), (d.form, d.cue));
                }
                for link in index.links_for(&doc) {
                    found.insert((link.policy_id.clone(), link.interpretation_id.clone()), link);
                }
            }
            Payload::Withdrawn { document_id } => {
                index.remove(&document_id);
                found.retain(|(p, i), _| *p != document_id && *i != document_id);
            }
        }
    }
    score(&found, &forms, truth)
}

/// Compares links found and forms classified (with their cues), however they were produced, with `truth`.
/// The pipeline's end-to-end test scores what it stored with this too.
pub fn score(
    found: &BTreeMap<(String, String), Link>,
    forms: &BTreeMap<String, (Form, String)>,
    truth: &Truth,
) -> EvalReport {
    let expected: BTreeSet<(String, String)> =
        truth.links.iter().flat_map(|(p, is)| is.iter().map(move |i| (p.clone(), i.clone()))).collect();
    let tp = found.keys().filter(|k| expected.contains(*k)).count();
    let false_positives = found
        .iter()
        .filter(|(k, _)| !expected.contains(*k))
        .map(|((p, i), l)| (p.clone(), i.clone(), l.method.clone(), l.score))
        .collect();
    let false_negatives = expected.iter().filter(|k| !found.contains_key(*k)).cloned().collect();
    let mut forms_right = 0;
    let mut wrong_forms = Vec::new();
    for (id, want) in &truth.forms {
        match forms.get(id) {
            Some((got, _)) if got == want => forms_right += 1,
            Some((got, cue)) => wrong_forms.push((id.clone(), *want, *got, cue.clone())),
            None => wrong_forms.push((id.clone(), *want, Form::Text, "not in events".into())),
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    EvalReport {
        found_links: found.len(),
        expected_links: expected.len(),
        true_positives: tp,
        precision: ratio(tp, found.len()),
        recall: ratio(tp, expected.len()),
        false_positives,
        false_negatives,
        forms_checked: truth.forms.len(),
        forms_right,
        form_accuracy: ratio(forms_right, truth.forms.len()),
        wrong_forms,
    }
}
