//! Pass 9, postprocess: `syn` passes over progenitor's output.
//!
//! Each pass is one idea, applied in order ([`PASSES`]). Together they make
//! decoding forward compatible (open enums, lenient constraints) and exact
//! (numbers, offsets), let structs grow (`#[non_exhaustive]`), keep raw
//! bodies and error statuses, check request parameters before sending, and
//! wire the client to the runtime crate. They read progenitor's output through
//! [`crate::generate::progenitor_output`].
//!
//! Each pass exists because no progenitor setting does its job, and says
//! which setting it considered. In short: `with_conversion` swaps a schema
//! only when it matches exactly (descriptions aside), so a nullable or
//! bounded `date-time` or `number` slips through, and it changes
//! parameters too; `with_replacement` and `with_patch` act on one named
//! type at a time and cannot remove what typify writes; `x-rust-type`
//! (added to our copy of the document, with `with_crate`) names one type
//! for a schema wherever it is used, parameters included, as
//! `with_conversion` does; and the request code in `send()` has no
//! setting.

mod check_params;
mod client_hooks;
mod doc_text;
mod empty_success;
mod exact_numbers;
mod idempotency_keys;
mod keep_error_status;
mod keep_offsets;
mod lenient_decode;
mod local_types;
mod non_exhaustive_structs;
mod open_enums;
mod paged_streams;
mod raw_send;
mod request_styles;
mod runtime_decode;
mod runtime_errors;
mod status_order;
mod strip_api_version;
mod unused_imports;

pub use client_hooks::ClientFacts;
pub(crate) use doc_text::escape as doc_escape;

/// One pass over the generated file.
#[derive(Debug, Clone, Copy)]
pub enum Pass {
    /// A rewrite that needs nothing but the code and cannot fail.
    Rewrite(fn(&mut syn::File)),
    /// A pass that needs the provider's facts and can fail.
    WithFacts(fn(&mut syn::File, &ClientFacts) -> Result<(), String>),
}

impl Pass {
    /// Runs the pass over `file`.
    pub fn run(self, file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
        match self {
            Pass::Rewrite(rewrite) => {
                rewrite(file);
                Ok(())
            }
            Pass::WithFacts(pass) => pass(file, facts),
        }
    }
}

/// Every pass by name, in the order they run. `raw_send` copies `send()`
/// after `request_styles` and before `keep_error_status` and
/// `empty_success` rewrite it, so both get each; `runtime_decode` then
/// finds success arms only in `send()` (`send_raw` has its own);
/// `paged_streams` copies the finished `send_raw()` for URL paging;
/// `client_hooks` reads the finished builders, so it runs late, then
/// `runtime_errors` wraps `send()` and `send_raw()` in methods returning the
/// runtime's error, before `doc_text`, which reads every doc comment, and `status_order`, which
/// only reorders arms the passes before it wrote.
pub const PASSES: &[(&str, Pass)] = &[
    ("local_types", Pass::Rewrite(local_types::apply)),
    ("keep_offsets", Pass::Rewrite(keep_offsets::apply)),
    ("exact_numbers", Pass::Rewrite(exact_numbers::apply)),
    ("lenient_decode", Pass::Rewrite(lenient_decode::apply)),
    ("open_enums", Pass::Rewrite(open_enums::apply)),
    (
        "non_exhaustive_structs",
        Pass::Rewrite(non_exhaustive_structs::apply),
    ),
    ("strip_api_version", Pass::Rewrite(strip_api_version::apply)),
    ("request_styles", Pass::WithFacts(request_styles::apply)),
    ("raw_send", Pass::Rewrite(raw_send::apply)),
    ("keep_error_status", Pass::Rewrite(keep_error_status::apply)),
    ("runtime_decode", Pass::Rewrite(runtime_decode::apply)),
    ("empty_success", Pass::WithFacts(empty_success::apply)),
    ("check_params", Pass::WithFacts(check_params::apply)),
    ("paged_streams", Pass::WithFacts(paged_streams::apply)),
    ("client_hooks", Pass::WithFacts(client_hooks::apply)),
    (
        "runtime_errors",
        Pass::WithFacts(|file, _| runtime_errors::apply(file)),
    ),
    ("doc_text", Pass::Rewrite(doc_text::apply)),
    ("status_order", Pass::Rewrite(status_order::apply)),
];

/// Runs every pass over `file`.
pub fn run(file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
    PASSES
        .iter()
        .try_for_each(|(_, pass)| pass.run(file, facts))?;
    unused_imports::apply(file);
    Ok(())
}

#[cfg(test)]
fn parse(code: &str) -> syn::File {
    syn::parse_str(code).expect("test code parses")
}

#[cfg(test)]
fn render(file: &syn::File) -> String {
    prettyplease::unparse(file)
}
