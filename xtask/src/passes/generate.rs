//! Pass 6, generate: run progenitor over the validated document.

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;

/// Generates the client code for `spec` as a syntax tree.
///
/// Clients use the builder interface (optional parameters stay optional as a
/// spec grows), carry an `invoicing_runtime::ClientContext` as their inner value,
/// and must implement `ClientHooks` (the postprocess pass adds that impl, so
/// auth and retries always go through the runtime).
pub fn generate(spec: &openapiv3::OpenAPI) -> Result<syn::File, String> {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(invoicing_runtime::ClientContext))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq");
    // progenitor panics on some shapes it does not support; turn that into an
    // error the caller can attach to the spec file.
    let tokens = std::panic::catch_unwind(|| Generator::new(&settings).generate_tokens(spec))
        .map_err(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            format!("progenitor cannot generate a client for this document: {message}")
        })?
        .map_err(|e| format!("progenitor cannot generate a client for this document: {e}"))?;
    syn::parse2(tokens).map_err(|e| format!("progenitor produced code that does not parse: {e}"))
}
