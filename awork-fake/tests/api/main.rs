//! Integration tests: a real HTTP client against a running fake.

mod auth;
mod counters;
mod crud;
mod faults;
mod files;
mod filter_order;
mod lifecycle;
mod paging;
mod requests;
mod support;
mod users_range;
mod validation;
