//! What every handler shares: the store, the renderer and the configuration.

use std::sync::Arc;

use tujie_render::Renderer;
use tujie_store::Store;

use crate::ReviewConfig;

/// Cheap to clone: everything inside is shared.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    /// Re-renders edited drafts; rendering is CPU-bound and runs on the blocking pool.
    pub renderer: Arc<Renderer>,
    pub config: Arc<ReviewConfig>,
}
