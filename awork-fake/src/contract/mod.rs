//! awork's contract: the two vendored OpenAPI documents (v1 and v2, our corrections
//! applied, nothing loosened), loaded once per process.
//!
//! The fake routes every request through it ([`routes`]), judges what the client sent
//! ([`validate`]: path, query and header parameters and JSON bodies, with the
//! `jsonschema` crate) and, where no stored state says otherwise, answers with values
//! made from the response schemas ([`sample`]). The fake's own answers are judged too
//! ([`validate::check_answer`]), so a fake that drifts from awork fails the tests that
//! use it instead of teaching them something awork never says.
//!
//! The documents are written by `cargo xtask regen` into `awork-fake/contract/`.

mod call;
mod params;
mod document;
pub(crate) mod formats;
pub(crate) mod routes;
mod schema;
pub(crate) mod sample;
pub(crate) mod validate;

use std::sync::OnceLock;

use serde_json::Value;

pub(crate) use call::Call;
pub(crate) use document::{Api, Document, Operation, ParamIn, is_json_media};
pub(crate) use routes::Matched;

/// The v1 document, as `cargo xtask regen` wrote it.
const V1: &str = include_str!("../../contract/awork-v1.json");
/// The v2 document (time entries and the timer).
const V2: &str = include_str!("../../contract/awork-v2.json");

/// Both documents, parsed and indexed.
#[derive(Debug)]
pub(crate) struct Contract {
    v1: Document,
    v2: Document,
}

impl Contract {
    /// The document of one API version.
    pub(crate) fn document(&self, api: Api) -> &Document {
        match api {
            Api::V1 => &self.v1,
            Api::V2 => &self.v2,
        }
    }

    /// Every operation of both documents, v1 first, in document order.
    pub(crate) fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.v1.operations().iter().chain(self.v2.operations())
    }
}

/// The contract, parsed on first use and shared by every fake of the process.
pub(crate) fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| Contract {
        v1: Document::parse(Api::V1, &parse_json(V1, "awork-v1.json")),
        v2: Document::parse(Api::V2, &parse_json(V2, "awork-v2.json")),
    })
}

fn parse_json(text: &str, name: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("contract/{name} is not JSON ({error}); run `cargo xtask regen`"))
}
