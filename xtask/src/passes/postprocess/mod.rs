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
mod runtime_decode;
mod strip_api_version;

pub use client_hooks::{ClientFacts, method_name};

/// Runs every pass over `file`.
pub fn run(file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
    keep_offsets::apply(file);
    exact_numbers::apply(file);
    lenient_decode::apply(file);
    open_enums::apply(file);
    strip_api_version::apply(file);
    raw_send::apply(file);
    keep_error_status::apply(file);
    runtime_decode::apply(file);
    client_hooks::apply(file, facts)
}

/// The `pub mod types { ... }` progenitor emits, where response types live.
fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Whether `path` ends in the segments `tail` (`["chrono", "DateTime"]`).
fn path_ends_with(path: &syn::Path, tail: &[&str]) -> bool {
    path.segments.len() >= tail.len()
        && path
            .segments
            .iter()
            .rev()
            .zip(tail.iter().rev())
            .all(|(seg, want)| seg.ident == want)
}

/// `Result<ResponseValue<T>, Error<E>>` -> `(T, E)`.
pub(crate) fn result_types(output: &syn::ReturnType) -> Option<(syn::Type, syn::Type)> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let args = generic_args(ty)?;
    let ok = generic_args(args.first()?)?.into_iter().next()?;
    let err = generic_args(args.get(1)?)?.into_iter().next()?;
    Some((ok, err))
}

pub(crate) fn generic_args(ty: &syn::Type) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        args.args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// A match arm's body as compact text (no whitespace, no enclosing block),
/// for recognising one of progenitor's fixed arm shapes: its interpolated
/// tokens print with other spacing than re-parsed ones, and it sometimes
/// wraps the expression in a block.
fn arm_body_text(arm: &syn::Arm) -> String {
    let body: String = quote::ToTokens::to_token_stream(&arm.body)
        .to_string()
        .split_whitespace()
        .collect();
    match body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        Some(inner) => inner.to_string(),
        None => body,
    }
}

#[cfg(test)]
fn parse(code: &str) -> syn::File {
    syn::parse_str(code).expect("test code parses")
}

#[cfg(test)]
fn render(file: &syn::File) -> String {
    prettyplease::unparse(file)
}
