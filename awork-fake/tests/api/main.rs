//! Integration tests: a real HTTP client against a running fake.

mod auth;
mod counters;
mod crud;
mod faults;
mod filter_order;
mod lifecycle;
mod oauth;
mod paging;
mod requests;
mod support;
mod users_range;
mod validation;
