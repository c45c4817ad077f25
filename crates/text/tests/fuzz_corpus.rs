//! The committed corpora of the `fact_extraction` and `html_main_content` fuzz targets (`fuzz/corpus/`), replayed
//! on the stable toolchain through the property the `fact_extraction` target checks: extraction never panics and
//! its draft is faithful to its source ([`tujie_text::faithful::draft_defects`]). Fuzzing itself needs nightly
//! (`scripts/fuzz.sh`); this keeps what it found from coming back in every `scripts/test.sh`.

use std::path::PathBuf;

use tujie_text::{TextConfig, TextError, document_from_input, extract};

#[test]
fn every_corpus_input_gives_a_faithful_draft() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut replayed = 0;
    for target in ["fact_extraction", "html_main_content"] {
        let dir = root.join(target);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            let data = std::fs::read(&path).expect("corpus file");
            let doc = document_from_input("fuzz", &String::from_utf8_lossy(&data));
            let x = match extract(&doc, &TextConfig::default()) {
                Ok(x) => x,
                Err(TextError::NoText) => continue,
                Err(e) => panic!("{}: unexpected extraction error: {e}", path.display()),
            };
            let defects = tujie_text::faithful::draft_defects(&x.source_text, &x.content);
            assert!(defects.is_empty(), "{}: {defects:?}", path.display());
            replayed += 1;
        }
    }
    // The corpora hold 294 files; a handful are empty or hold no text.
    assert!(replayed > 200, "only {replayed} corpus inputs replayed");
}
