//! Editors' changes to a 口播稿: a sentence's written text replaced, sentences removed. Nothing else: a sentence
//! keeps its part, slide and spans (what an editor cannot trace to the source does not belong in a draft), and its
//! spoken form and phrases are made again from the new text, so no digit reaches the speech engine. Whether the new
//! text is faithful is [`crate::check`]'s question, asked by the caller with the source text.

use serde::{Deserialize, Serialize};

use crate::script::{Script, Sentence};

/// The longest sentence an editor may write, in characters (about ten subtitle cues).
pub const MAX_SENTENCE_CHARS: usize = 300;

/// A change to sentence `index` (0-based, in the script the edit was based on).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentenceEdit {
    pub index: usize,
    /// The new written text; `None` keeps it.
    #[serde(default)]
    pub written: Option<String>,
    /// Drop the sentence from the narration.
    #[serde(default)]
    pub remove: bool,
}

/// Why an edit cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the script has no sentence {index} (it has {len})")]
    NoSentence { index: usize, len: usize },
    #[error("sentence {index} is empty; remove it instead")]
    Empty { index: usize },
    #[error("sentence {index} is longer than {max} characters", max = MAX_SENTENCE_CHARS)]
    TooLong { index: usize },
    #[error("every sentence would be removed")]
    NothingLeft,
}

/// `script` with `edits` applied; subtitle phrases are cut for lines of `line_chars`.
pub fn apply(script: &Script, edits: &[SentenceEdit], line_chars: usize) -> Result<Script, EditError> {
    let len = script.sentences.len();
    let mut sentences: Vec<Option<Sentence>> = script.sentences.iter().cloned().map(Some).collect();
    for e in edits {
        let slot = sentences.get_mut(e.index).ok_or(EditError::NoSentence { index: e.index, len })?;
        let Some(current) = slot.as_ref() else { continue };
        if e.remove {
            *slot = None;
            continue;
        }
        let Some(text) = e.written.as_deref().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")) else {
            continue;
        };
        if text.is_empty() {
            return Err(EditError::Empty { index: e.index });
        }
        if text.chars().count() > MAX_SENTENCE_CHARS {
            return Err(EditError::TooLong { index: e.index });
        }
        if text != current.written {
            *slot = Some(Sentence::new(current.part, current.slide, text, current.spans.clone(), line_chars));
        }
    }
    let sentences: Vec<Sentence> = sentences.into_iter().flatten().collect();
    if sentences.is_empty() {
        return Err(EditError::NothingLeft);
    }
    Ok(Script { title: script.title.clone(), sentences })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Part, Slide};

    fn script() -> Script {
        let s = |w: &str| Sentence::new(Part::HowMuch, Slide::Section(0), w.into(), vec![], 16);
        Script {
            title: "办法".into(), sentences: vec![s("先看补贴标准。"), s("每孩每年3600元。"), s("按年发放。")]
        }
    }

    #[test]
    fn a_new_text_is_spoken_again_and_keeps_its_place_and_spans() {
        let edits = [
            SentenceEdit { index: 1, written: Some("  每孩每年补贴3600元。 ".into()), remove: false },
            SentenceEdit { index: 2, written: None, remove: true },
        ];
        let out = apply(&script(), &edits, 16).unwrap();
        assert_eq!(out.sentences.len(), 2);
        assert_eq!(out.sentences[1].written, "每孩每年补贴3600元。");
        assert_eq!(out.sentences[1].spoken, "每孩每年补贴三千六百元。");
        assert_eq!(out.sentences[1].slide, Slide::Section(0));
        assert!(!out.sentences[1].phrases.iter().any(|p| p.spoken.chars().any(|c| c.is_ascii_digit())));
        assert_eq!(apply(&script(), &[], 16).unwrap(), script(), "no edit, same script");
    }

    #[test]
    fn bad_edits_are_named() {
        let e = |index, written: &str, remove| SentenceEdit { index, written: Some(written.into()), remove };
        assert_eq!(apply(&script(), &[e(7, "x", false)], 16), Err(EditError::NoSentence { index: 7, len: 3 }));
        assert_eq!(apply(&script(), &[e(0, "  ", false)], 16), Err(EditError::Empty { index: 0 }));
        let long = "长".repeat(MAX_SENTENCE_CHARS + 1);
        assert_eq!(apply(&script(), &[e(0, &long, false)], 16), Err(EditError::TooLong { index: 0 }));
        let all: Vec<SentenceEdit> = (0..3).map(|i| e(i, "", true)).collect();
        assert_eq!(apply(&script(), &all, 16), Err(EditError::NothingLeft));
    }
}
