//! [`OAuth`]: what a test controls and reads of the fake's authorization server.

use std::sync::Mutex;

use super::registry::Registry;
use super::{Approval, OAuthCounts};
use crate::controls::clock::Clock;
use crate::sync::lock;

/// The fake's OAuth server; from [`crate::FakeAwork::oauth`].
#[derive(Debug, Clone, Copy)]
pub struct OAuth<'f> {
    pub(crate) registry: &'f Mutex<Registry>,
    pub(crate) clock: &'f Clock,
}

impl OAuth<'_> {
    /// What the stand-in for awork's login page decides from now on (default:
    /// [`Approval::Approve`]).
    pub fn set_approval(&self, approval: Approval) {
        lock(self.registry).set_approval(approval);
    }

    /// What the server has done so far: codes issued and exchanged, refreshes,
    /// registrations.
    pub fn counts(&self) -> OAuthCounts {
        lock(self.registry).counts()
    }

    /// Issues an access token outside any flow (for tests of a client that is simply
    /// given a token). It expires like any other, on the fake's clock.
    pub fn grant_access_token(&self) -> String {
        lock(self.registry).grant_access_token(self.clock.now())
    }
}
