//! Integration tests: a real HTTP client against a running fake.

mod auth;
mod counters;
mod entries_crud;
mod entries_filter;
mod entries_batch;
mod entries_support;
mod entries_validation;
mod entries_v1;
mod crud;
mod faults;
mod filter_order;
mod lifecycle;
mod paging;
mod requests;
mod support;
mod timer;
mod users_range;
mod validation;
