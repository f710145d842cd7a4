//! Integration tests: a real HTTP client against a running fake.

mod auth;
mod counters;
mod crud;
mod entries_batch;
mod entries_crud;
mod entries_faults;
mod entries_filter;
mod entries_support;
mod entries_v1;
mod entries_validation;
mod faults;
mod files;
mod filter_order;
mod lifecycle;
mod limits;
mod oauth;
mod paging;
mod requests;
mod support;
mod timer;
mod users_range;
mod validation;
