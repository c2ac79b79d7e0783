//! Pass 7, shape: fit each operation to what progenitor generates, and
//! remember what it cannot express so the postprocess passes put it back.
//!
//! progenitor takes one success and one error type per operation, only
//! form-style query parameters, only `application/json` responses and a
//! handful of request media types, and panics or fails the whole document
//! on anything else. Here, on a copy of the document only the generator
//! reads:
//!
//! - `response_constraints`: schemas only responses use lose their value
//!   constraints, so a bound the vendor tunes changes no type;
//! - `patterns`: every pattern left in ECMA-262 form, the regular
//!   expressions typify and the runtime compile (translated, or the check
//!   left out and listed in the crate docs);
//! - `parameters`: deepObject, delimited and non-exploded query parameters
//!   become plain ones, their real style kept in [`Wire`];
//! - `bodies`: one request media type is chosen, `+json` types read as
//!   JSON, form encodings kept in [`Wire`];
//! - `responses`: each class of responses (success, error) gets one type:
//!   distinct bodies become one `oneOf`, an empty success beside a body
//!   makes the body optional ([`Wire::empty_success`]).
//!
//! An operation that still cannot be generated faithfully is left out
//! with a [`Skipped`] entry saying why; the rest of the document is
//! generated.

mod bodies;
mod names;
mod parameters;
pub mod patterns;
mod response_constraints;
mod responses;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::naming::snake_ident;
use crate::spec::document;
use crate::spec::error::{Findings, Located};
use crate::spec::normalise::{component_keys, type_key, unique_name};

/// The crate name under which the generator's copy refers to the crate's
/// own generated types (`x-rust-type`), rewritten to `types` by the
/// `local_types` postprocess pass.
pub const LOCAL_TYPES: &str = "generated_types";

/// How a query parameter or form field is written, as OpenAPI's `style`
/// and `explode` say. The runtime's `query::ParamStyle` has the same variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamStyle {
    /// `style: form` with `explode: false`: `ids=1,2,3`.
    FormNotExploded,
    /// `style: spaceDelimited`: `ids=1%202%203`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `ids=1|2|3`.
    PipeDelimited,
    /// `style: deepObject`: `created[gte]=1&created[lte]=2`.
    DeepObject,
}

impl ParamStyle {
    /// The variant's name in the runtime's `query::ParamStyle`.
    pub fn runtime_name(self) -> &'static str {
        match self {
            ParamStyle::FormNotExploded => "FormNotExploded",
            ParamStyle::SpaceDelimited => "SpaceDelimited",
            ParamStyle::PipeDelimited => "PipeDelimited",
            ParamStyle::DeepObject => "DeepObject",
        }
    }
}

/// What progenitor cannot express about operations' wire format, keyed by
/// the generated method name, for the postprocess passes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wire {
    /// Query parameters that are not plain exploded form parameters, by
    /// method and parameter name.
    pub query_styles: BTreeMap<String, BTreeMap<String, ParamStyle>>,
    /// Operations whose body is form-encoded, with the style of each
    /// property that is not a plain form field.
    pub form_bodies: BTreeMap<String, BTreeMap<String, ParamStyle>>,
    /// Success statuses without a body beside ones with a JSON body: the
    /// method returns `None` for these.
    pub empty_success: BTreeMap<String, Vec<u16>>,
    /// The request's media type where it is not the one progenitor sends
    /// (`application/merge-patch+json` for a JSON body).
    pub content_types: BTreeMap<String, String>,
    /// The `Accept` header where the responses' JSON media types are not
    /// just `application/json` (`application/hal+json`).
    pub accepts: BTreeMap<String, String>,
}

/// An operation left out of the generated crate, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where in the document the reason is.
    pub pointer: String,
    /// The operation's `operationId`.
    pub operation: String,
    /// The method and path (`POST /v1/files`).
    pub request: String,
    /// Why it was left out.
    pub reason: String,
}

impl Skipped {
    /// The reason as a located problem, for warnings and strict mode.
    pub fn located(&self) -> Located {
        Located::new(
            &self.pointer,
            format!("operation left out of the generated crate: {}", self.reason),
        )
    }
}

/// What the pass did to the document.
#[derive(Debug, Clone, Default)]
pub struct Shaped {
    /// Wire details for the postprocess passes.
    pub wire: Wire,
    /// Operations left out.
    pub skipped: Vec<Skipped>,
    /// Changes worth checking.
    pub found: Findings,
    /// Checks the document states that the crate cannot make (listed in
    /// its docs).
    pub unchecked: Vec<Located>,
}

/// One operation being shaped: where it is and what the passes learn.
pub(crate) struct Op<'a> {
    pub id: String,
    pub method: String,
    pub shaped: &'a mut Shaped,
}

impl Op<'_> {
    /// Leaves the operation out, the reason located at `pointer`.
    pub(crate) fn skip(&mut self, pointer: &str, request: String, reason: String) -> Skip {
        self.shaped.skipped.push(Skipped {
            pointer: pointer.to_owned(),
            operation: self.id.clone(),
            request,
            reason,
        });
        Skip
    }
}

/// The operation cannot be generated (its [`Skipped`] entry is recorded).
pub(crate) struct Skip;

/// Component names taken so far, so merged types get fresh ones.
pub(crate) struct Names(BTreeSet<String>);

impl Names {
    pub(crate) fn new(doc: &Value) -> Self {
        Self(component_keys(doc))
    }

    pub(crate) fn fresh(&mut self, wanted: &str) -> String {
        let name = unique_name(&self.0, wanted);
        self.take(&name);
        name
    }

    /// Marks `name` as taken.
    pub(crate) fn take(&mut self, name: &str) {
        self.0.insert(type_key(name));
    }
}

/// Adds a component schema (the name is known to be free).
pub(crate) fn add_schema(doc: &mut Value, name: &str, schema: Value) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let map = components.entry("schemas").or_insert_with(|| json!({}));
    if let Some(map) = map.as_object_mut() {
        map.insert(name.to_owned(), schema);
    }
}

/// Shapes every operation in `doc` (the generator's copy).
pub fn shape(doc: &mut Value) -> Shaped {
    response_constraints::relax(doc);
    let mut shaped = Shaped::default();
    patterns::apply(doc, &mut shaped.found, &mut shaped.unchecked);
    let mut names = Names::new(doc);
    for at in document::operations(doc) {
        let Some(id) = at.id.clone() else { continue };
        let request = format!("{} {}", at.method.to_uppercase(), at.path);
        let mut op = Op {
            method: snake_ident(&id),
            id,
            shaped: &mut shaped,
        };
        let outcome = parameters::shape(doc, &at, &mut op, &request, &mut names)
            .and_then(|()| bodies::shape(doc, &at, &mut op, &request))
            .and_then(|()| responses::shape(doc, &at, &mut op, &mut names));
        if outcome.is_err() {
            document::remove_operation(doc, &at);
        }
    }
    // Every operation now lists the path-level parameters it uses.
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            item.shift_remove("parameters");
        }
    }
    names::make_unique(doc, &mut names);
    shaped
}
