//! What a test controls around the API itself: the clock, armed faults, the
//! workspace's rate limits and the log of requests.

pub(crate) mod clock;
pub(crate) mod faults;
pub(crate) mod limits;
pub(crate) mod requests;
