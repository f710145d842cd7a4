//! Layout: shapes progenitor's output into the crate we ship, on the syntax tree,
//! before it is formatted.
//!
//! Named passes, each reported like the normalizations:
//! - [`type_builders::remove`] drops typify's builder for every type (two-fifths of the
//!   code, and nobody needs them: every type is a plain struct with public fields) and
//!   points the operation builders' `body` at the type itself;
//! - [`derives::by_direction`] derives `Serialize` on what is sent and `Deserialize`
//!   on what is received (the rest behind features);
//! - [`redact::redact`] gives the types that hold secrets (tokens, passwords, a
//!   webhook's auth header) a `Debug` that prints `<redacted>` in their place;
//! - [`docs::add_facts`] adds our doc lines (paging, access, plan, deprecation, feature)
//!   to each operation's method;
//! - [`gate::by_area`] puts each operation behind the Cargo feature of its area, and
//!   each type behind the features of every operation that reaches it, so any set of
//!   features compiles and nothing unused is compiled;
//! - [`operations::implement`] implements `crate::Operation` for every operation builder
//!   and `crate::PagedOperation` for the paged lists, under the builder's own `cfg`;
//! - [`lean_send::lean`] keeps each `send` from work a call does not need: a header map
//!   of its own for the one `api-version` header, a copy of the answer's headers, a
//!   copy of every request made in case it must go again (it is built again instead),
//!   a URL formatted rather than joined.

pub mod derives;
pub mod docs;
pub mod gate;
pub mod lean_send;
pub mod operations;
pub mod redact;
pub mod tokens;
pub mod type_builders;

use std::collections::BTreeMap;
use std::fmt;

/// Which area (Cargo feature) each generated method belongs to.
#[derive(Debug, Clone, Default)]
pub struct Areas {
    /// Method name (snake-case operationId) → area.
    pub assigned: BTreeMap<String, String>,
    /// The areas in the table's order.
    pub order: Vec<String>,
}

/// What the layout passes need besides the code.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The areas to gate by; none: nothing is gated.
    pub areas: Option<Areas>,
    /// Method name → our doc lines for it (see [`crate::facts`]).
    pub docs: BTreeMap<String, Vec<String>>,
}

/// What the layout passes did to one generated file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayoutReport {
    /// Type builders removed.
    pub type_builders_removed: usize,
    /// Operation bodies whose type has no `Default` and so start unset.
    pub bodies_without_default: usize,
    /// Types only sent (requests): `Serialize`.
    pub types_sent_only: usize,
    /// Types only received (responses, and types no operation reaches): `Deserialize`.
    pub types_received_only: usize,
    /// Types sent and received: both.
    pub types_both_ways: usize,
    /// Secret fields (`Type.field`) whose value `Debug` prints as `<redacted>`.
    pub redacted_fields: Vec<String>,
    /// Operations whose method got our doc lines.
    pub operations_documented: usize,
    /// Operation builders that implement `crate::Operation`.
    pub operations_with_traits: usize,
    /// Of those, the paged lists that also implement `crate::PagedOperation`.
    pub paged_operations: usize,
    /// `send`s that put their one (`api-version`) header on the request directly.
    pub sends_with_inline_header: usize,
    /// `send`s with header parameters, which keep progenitor's header map.
    pub sends_keeping_header_map: usize,
    /// Answers decoded by `crate::decode_json` (headers moved, not copied).
    pub answers_decoded_in_place: usize,
    /// `send`s that hand the transport a way to build their request again.
    pub sends_built_again_when_needed: usize,
    /// `send`s that join their URL's pieces instead of formatting them.
    pub urls_joined: usize,
    /// Operations per area, in the table's order (empty when not gated).
    pub operations_per_area: Vec<(String, usize)>,
    /// Types per area (a type reached from several areas counts in each).
    pub types_per_area: BTreeMap<String, usize>,
    /// Types no generated operation reaches; compiled only with `unreferenced-schemas`.
    pub unreached_types: Vec<String>,
}

impl fmt::Display for LayoutReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "layout:")?;
        writeln!(
            f,
            "  {:>4}  {:<28} type builders removed (types are built as struct literals)",
            self.type_builders_removed, "remove_type_builders"
        )?;
        writeln!(
            f,
            "  {:>4}  {:<28} operation bodies without Default start unset",
            self.bodies_without_default, "body_without_default"
        )?;
        writeln!(
            f,
            "  {:>4}  {:<28} types derive what their operations use: {} Serialize only, {} Deserialize only, {} both",
            self.types_sent_only + self.types_received_only + self.types_both_ways,
            "derive_by_direction",
            self.types_sent_only,
            self.types_received_only,
            self.types_both_ways
        )?;
        writeln!(
            f,
            "  {:>4}  {:<28} secret fields print as <redacted> in Debug",
            self.redacted_fields.len(),
            "redact_secret_fields"
        )?;
        writeln!(
            f,
            "  {:>4}  {:<28} operations documented from facts (paging, access, plan, deprecation, empty answers, feature)",
            self.operations_documented, "document_from_facts"
        )?;
        writeln!(
            f,
            "  {:>4}  {:<28} operation builders implement Operation ({} paged lists also PagedOperation)",
            self.operations_with_traits, "implement_operation_traits", self.paged_operations
        )?;
        writeln!(
            f,
            "  {:>4}  {:<28} sends put their one header on the request, no map of their own ({} with header parameters keep it); {} answers keep the response's headers instead of copying them; {} sends build their request again only when it goes again; {} join their URL instead of formatting it",
            self.sends_with_inline_header,
            "lean_send",
            self.sends_keeping_header_map,
            self.answers_decoded_in_place,
            self.sends_built_again_when_needed,
            self.urls_joined
        )?;
        if self.operations_per_area.is_empty() {
            return Ok(());
        }
        writeln!(f, "  features (operations, types):")?;
        for (area, ops) in &self.operations_per_area {
            let types = self.types_per_area.get(area).copied().unwrap_or(0);
            writeln!(f, "    {area:<20} {ops:>4} {types:>5}")?;
        }
        writeln!(
            f,
            "    {:<20} {:>4} {:>5}  (types no operation reaches)",
            gate::UNREFERENCED,
            0,
            self.unreached_types.len()
        )?;
        Ok(())
    }
}

/// Runs the layout passes on `file`. With areas in the plan, the operations and types
/// are gated by feature.
pub fn shape(file: &mut syn::File, plan: &Plan) -> anyhow::Result<LayoutReport> {
    let mut report = LayoutReport::default();
    type_builders::remove(file, &mut report)?;
    derives::by_direction(file, &mut report)?;
    redact::redact(file, &mut report)?;
    docs::add_facts(file, &plan.docs, &mut report);
    if let Some(areas) = &plan.areas {
        gate::by_area(file, &areas.assigned, &areas.order, &mut report)?;
    }
    operations::implement(file, &mut report)?;
    lean_send::lean(file, &mut report)?;
    Ok(report)
}
