//! Layout: shapes progenitor's output into the crate we ship, on the syntax tree,
//! before it is formatted.
//!
//! Two named passes, each reported like the normalizations:
//! - [`type_builders::remove`] drops typify's builder for every type (two-fifths of the
//!   code, and nobody needs them: every type is a plain struct with public fields) and
//!   points the operation builders' `body` at the type itself;
//! - [`derives::by_direction`] derives `Serialize` on what is sent and `Deserialize`
//!   on what is received (the rest behind features);
//! - [`gate::by_area`] puts each operation behind the Cargo feature of its area, and
//!   each type behind the features of every operation that reaches it, so any set of
//!   features compiles and nothing unused is compiled.

pub mod derives;
pub mod gate;
pub mod tokens;
pub mod type_builders;

use std::collections::BTreeMap;
use std::fmt;

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

/// Runs the layout passes on `file`. With `areas` (method name → area, and the
/// areas in order) the operations and types are gated by feature.
pub fn shape(
    file: &mut syn::File,
    areas: Option<(&BTreeMap<String, String>, &[String])>,
) -> anyhow::Result<LayoutReport> {
    let mut report = LayoutReport::default();
    type_builders::remove(file, &mut report)?;
    derives::by_direction(file, &mut report)?;
    if let Some((assigned, order)) = areas {
        gate::by_area(file, assigned, order, &mut report)?;
    }
    Ok(report)
}
