//! The engine: one request path through the contract to the behaviours, and the state
//! they share.

mod auth;
mod dispatch;
mod pipeline;
mod render;
pub(crate) mod trace;
pub(crate) mod world;

use std::sync::Arc;

use axum::Router;

use world::World;

/// The router: every request goes to the one pipeline.
pub(crate) fn router(world: Arc<World>) -> Router {
    Router::new().fallback(pipeline::handle).with_state(world)
}
