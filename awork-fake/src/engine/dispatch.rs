//! Which behaviour serves a call: awork's own layers first, each taking the routes it
//! knows, then the generic store. This is the one place they are put together.

use crate::awork::{files, oauth, tasks, time_bookings, time_entries};
use crate::contract::Call;
use crate::query::ShortPage;
use crate::store::Store;
use crate::store::rest::{self, Env};
use crate::sync::lock;
use crate::wire::{Answer, ApiError};

use super::world::World;

/// Serves a routed, validated call.
pub(crate) fn dispatch(call: &Call, world: &World) -> Result<Answer, ApiError> {
    if let Some(answer) = oauth::serve(call, &mut lock(&world.oauth)) {
        return answer;
    }
    let short_page = *lock(&world.short_page);
    {
        let mut entries = lock(&world.entries);
        let env = time_entries::Env {
            entries: &mut entries,
            short_page,
        };
        if let Some(answer) = time_entries::serve(call, env) {
            return answer;
        }
    }
    let mut store = lock(&world.store);
    if let Some(answer) = time_bookings::serve(call, env(&mut store, world, short_page)) {
        return answer;
    }
    if let Some(answer) = files::serve(
        call,
        &mut lock(&world.files),
        env(&mut store, world, short_page),
    ) {
        return answer;
    }
    if let Some(answer) = tasks::serve(call, env(&mut store, world, short_page)) {
        return answer;
    }
    rest::serve(call, env(&mut store, world, short_page))
}

fn env<'a>(store: &'a mut Store, world: &'a World, short_page: Option<ShortPage>) -> Env<'a> {
    Env {
        store,
        clock: &world.clock,
        short_page,
    }
}
