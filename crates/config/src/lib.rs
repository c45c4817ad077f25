//! `pipeline.toml`: loading, environment overrides and validation, in one place.
//!
//! Each crate owns the struct of its own section (`[database]` in the store, `[amqp]` in the queue, `[review]` in
//! the review workspace, `[fetch]` in the fetcher, `[text]`, `[matcher]`, `[render]` in the pure crates) with its defaults and its
//! `validate`; this crate composes them, applies `TUJIE__SECTION__KEY` overrides, and reports *every* problem at
//! once, each naming its key and where the value came from (the file or an environment variable). Nothing else in the workspace reads configuration.
//!
//! Architecture invariant: the only crate that reads the configuration file and `TUJIE__…` environment; every other
//! crate receives typed, validated sections.

mod load;
mod sections;

pub use load::{ConfigError, ENV_PREFIX, Source, load, load_from_str};
pub use sections::{FetchConfig, LogConfig, PipelineConfig, ProcessingConfig, ReportConfig, ReviewConfig, VideoConfig};
