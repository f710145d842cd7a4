//! Time entries (tracked work) and the timer, served from one store to the
//! v1 routes (`TimeTracking` shape) and the v2 routes (`TimeEntry` shape).
//! The rules are described in the crate documentation.

pub(crate) mod batch;
mod filter;
mod form;
pub(crate) mod ids;
mod instants;
mod list;
mod model;
mod order;
mod store;
mod timer;
mod times;
pub(crate) mod tracking;
pub(crate) mod v1;
pub(crate) mod v2;
mod zone;

pub use model::{Break, NewTimeEntry, TimeEntry};
pub(crate) use store::TimeEntryStore;
pub(crate) use zone::parse_zone;
