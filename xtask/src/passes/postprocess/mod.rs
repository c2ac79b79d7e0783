//! Pass 6, postprocess: `syn` passes over progenitor's output.
//!
//! Each pass is one idea, applied in order ([`PASSES`]). Together they make
//! decoding forward compatible (open enums, lenient constraints), exact
//! (numbers, offsets), keep raw bodies and error statuses, and wire the
//! client to the runtime crate. They read progenitor's output through
//! [`crate::progenitor_output`].
//!
//! Each pass exists because no progenitor setting does its job, and says
//! which setting it considered. In short: `with_conversion` swaps a schema
//! only when it matches exactly (descriptions aside), so a nullable or
//! bounded `date-time` or `number` slips through, and it changes
//! parameters too; `with_replacement` and `with_patch` act on one named
//! type at a time; `x-rust-type` with `with_crate` would mean editing the
//! vendors' documents; and the request code in `send()` has no setting.

mod client_hooks;
mod exact_numbers;
mod keep_error_status;
mod keep_offsets;
mod lenient_decode;
mod open_enums;
mod raw_send;
mod strip_api_version;

pub use client_hooks::ClientFacts;

/// One pass: a rewrite of the generated file.
pub type Pass = fn(&mut syn::File, &ClientFacts) -> Result<(), String>;

/// Every pass by name, in the order they run. `raw_send` copies `send()`
/// before `keep_error_status` rewrites its error arms, so both get them;
/// `client_hooks` reads the finished builders, so it runs last.
pub const PASSES: &[(&str, Pass)] = &[
    ("keep_offsets", |file, _| {
        keep_offsets::apply(file);
        Ok(())
    }),
    ("exact_numbers", |file, _| {
        exact_numbers::apply(file);
        Ok(())
    }),
    ("lenient_decode", |file, _| {
        lenient_decode::apply(file);
        Ok(())
    }),
    ("open_enums", |file, _| {
        open_enums::apply(file);
        Ok(())
    }),
    ("strip_api_version", |file, _| {
        strip_api_version::apply(file);
        Ok(())
    }),
    ("raw_send", |file, _| {
        raw_send::apply(file);
        Ok(())
    }),
    ("keep_error_status", |file, _| {
        keep_error_status::apply(file);
        Ok(())
    }),
    ("client_hooks", client_hooks::apply),
];

/// Runs every pass over `file`.
pub fn run(file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
    PASSES.iter().try_for_each(|(_, pass)| pass(file, facts))
}

#[cfg(test)]
fn parse(code: &str) -> syn::File {
    syn::parse_str(code).expect("test code parses")
}

#[cfg(test)]
fn render(file: &syn::File) -> String {
    prettyplease::unparse(file)
}
