//! What a test controls around the API itself: the clock, armed faults and the log of
//! requests.

pub(crate) mod clock;
pub(crate) mod faults;
pub(crate) mod requests;
