//! What is particular to awork, as layers over the generic store: each serves the
//! routes it knows better than the store's REST reading of them, and leaves the rest.

pub(crate) mod files;
pub(crate) mod oauth;
pub(crate) mod tasks;
pub(crate) mod time_bookings;
pub(crate) mod time_entries;
