//! Pass 7, postprocess: `syn` passes over progenitor's output.
//!
//! Each pass is one idea, applied in order. Together they make decoding
//! forward compatible (open enums, lenient constraints), exact (numbers,
//! offsets), and wire the client to the runtime crate.

mod client_hooks;
mod exact_numbers;
mod keep_error_status;
mod keep_offsets;
mod lenient_decode;
mod open_enums;
mod raw_send;
mod strip_api_version;

pub use client_hooks::ClientFacts;

/// Runs every pass over `file`.
pub fn run(file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
    keep_offsets::apply(file);
    exact_numbers::apply(file);
    lenient_decode::apply(file);
    open_enums::apply(file);
    strip_api_version::apply(file);
    raw_send::apply(file);
    keep_error_status::apply(file);
    client_hooks::apply(file, facts)
}

#[cfg(test)]
fn parse(code: &str) -> syn::File {
    syn::parse_str(code).expect("test code parses")
}

#[cfg(test)]
fn render(file: &syn::File) -> String {
    prettyplease::unparse(file)
}
