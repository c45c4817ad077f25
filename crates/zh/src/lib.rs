//! Chinese text rules that more than one pure crate needs, in one place.
//!
//! - [`words`]: word segmentation with jieba's bundled dictionary, as byte ranges, and word boundaries. The text
//!   crate cuts labels and clauses at them; the renderer prefers line breaks between words.
//! - [`doc_number`]: the 文号 (`粤府办〔2024〕12号`) in every bracket and width variant, and its standard spelling.
//! - [`width`]: full-width ASCII folded to half-width.
//!
//! Pure: no I/O; the dictionary is compiled in and loaded once per process, on first use or by [`warm`].
//!
//! Architecture invariant: pure, and the single home of word segmentation, 文号 and width folding for the other
//! pure crates.

pub mod doc_number;
pub mod width;
pub mod words;

pub use words::warm;
