//! `use_detail`: one object of the community by the route's `:id`, derived with a memo (see
//! [`super::use_view`]).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use linli_domain::{DeviceKey, EventId, Hex32, Space};

use super::use_view;

/// What a detail page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail<T> {
    /// The community is still being read.
    Loading,
    /// No such object (or a malformed id).
    Missing,
    /// Found.
    Found(T),
}

/// The route's `:id` as an event id (`None` when malformed).
pub fn use_route_id() -> Memo<Option<EventId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| Hex32::parse(&id).ok())))
}

/// `f(space, me, id)` for the route's id, as a memo.
pub fn use_detail<T>(
    f: impl Fn(&Space, &DeviceKey, &EventId) -> Option<T> + Send + Sync + 'static,
) -> Memo<Detail<T>>
where
    T: PartialEq + Clone + Send + Sync + 'static,
{
    let id = use_route_id();
    let found = use_view(move |space, me| id.get().and_then(|id| f(space, me, &id)));
    Memo::new(move |_| match found.get() {
        None => Detail::Loading,
        Some(None) => Detail::Missing,
        Some(Some(t)) => Detail::Found(t),
    })
}
