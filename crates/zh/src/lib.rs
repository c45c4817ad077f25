//! Chinese text rules that more than one pure crate needs, in one place.
//!
//! - [`words`]: word segmentation with jieba's bundled dictionary, as byte ranges, and word boundaries. The text
//!   crate cuts labels and clauses at them; the renderer prefers line breaks between words.
//!
//! Pure: no I/O; the dictionary is compiled in and loaded once per process, on first use or by [`warm`].
//!
//! Architecture invariant: pure, and the single home of word segmentation for the other pure crates.

pub mod words;

pub use words::warm;
