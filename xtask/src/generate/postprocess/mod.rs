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
mod request_builders;
mod request_styles;
mod runtime_decode;
mod runtime_errors;
mod status_order;
mod strip_api_version;
mod unused_imports;

pub use client_hooks::ClientFacts;
pub(crate) use doc_text::escape as doc_escape;

/// One pass over the generated file. Each returns how many rewrites it
/// made, or an error when a rewrite it must make (one the document or
/// progenitor's output calls for) found nothing to rewrite: progenitor's
/// output has moved under the pass, and the crate would otherwise lack what
/// the pass is for without a word.
#[derive(Debug, Clone, Copy)]
pub enum Pass {
    /// A pass that needs nothing but the code.
    Rewrite(fn(&mut syn::File) -> Result<usize, String>),
    /// A pass that needs the provider's facts.
    WithFacts(fn(&mut syn::File, &ClientFacts) -> Result<usize, String>),
}

impl Pass {
    /// Runs the pass over `file`: the number of rewrites it made.
    pub fn run(self, file: &mut syn::File, facts: &ClientFacts) -> Result<usize, String> {
        match self {
            Pass::Rewrite(rewrite) => rewrite(file),
            Pass::WithFacts(pass) => pass(file, facts),
        }
    }
}

/// What one pass rewrote, and the rewrites it had to make but found
/// nothing for, each with its operation.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    rewrites: usize,
    missed: Vec<String>,
}

impl Tally {
    /// Counts `n` rewrites.
    pub(crate) fn rewrote(&mut self, n: usize) {
        self.rewrites += n;
    }

    /// Records that `operation` needed `what` and it was not found.
    pub(crate) fn missed(&mut self, operation: &str, what: impl std::fmt::Display) {
        self.missed.push(format!("operation `{operation}`: {what}"));
    }

    /// The count, or an error listing every rewrite missed.
    pub(crate) fn finish(self) -> Result<usize, String> {
        if self.missed.is_empty() {
            Ok(self.rewrites)
        } else {
            Err(format!(
                "found nothing to rewrite where it must (has progenitor's output changed?): {}",
                self.missed.join("; ")
            ))
        }
    }
}

/// Replaces with `body` every arm that `is_arm` picks in each `send()` and
/// `send_raw()`, counting them. A function for which `must` holds and
/// that has no such arm is missed: "`what` in `send()`".
pub(crate) fn rewrite_arms(
    file: &mut syn::File,
    is_arm: fn(&syn::Arm) -> bool,
    body: &syn::Expr,
    must: fn(&syn::ImplItemFn) -> bool,
    what: &str,
) -> Result<usize, String> {
    struct Arms<'a> {
        is_arm: fn(&syn::Arm) -> bool,
        body: &'a syn::Expr,
        count: usize,
    }
    impl syn::visit_mut::VisitMut for Arms<'_> {
        fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
            if (self.is_arm)(arm) {
                *arm.body = self.body.clone();
                self.count += 1;
                return;
            }
            syn::visit_mut::visit_arm_mut(self, arm);
        }
    }
    let mut tally = Tally::default();
    crate::generate::progenitor_output::for_each_send(file, &mut |operation, send| {
        let mut arms = Arms {
            is_arm,
            body,
            count: 0,
        };
        syn::visit_mut::VisitMut::visit_block_mut(&mut arms, &mut send.block);
        if arms.count == 0 && must(send) {
            tally.missed(operation, format!("{what} in `{}()`", send.sig.ident));
        }
        tally.rewrote(arms.count);
    });
    tally.finish()
}

/// Every pass by name, in the order they run. `request_builders` runs
/// first, so no later pass rewrites a struct builder it drops. `raw_send` copies `send()`
/// after `request_styles` and before `keep_error_status` and
/// `empty_success` rewrite it, so both get each; `runtime_decode` then
/// finds success arms only in `send()` (`send_raw` has its own);
/// `paged_streams` copies the finished `send_raw()` for URL paging;
/// `client_hooks` reads the finished builders, so it runs late, then
/// `runtime_errors` wraps `send()` and `send_raw()` in methods returning the
/// runtime's error, before `doc_text`, which reads every doc comment, and `status_order`, which
/// only reorders arms the passes before it wrote.
pub const PASSES: &[(&str, Pass)] = &[
    ("request_builders", Pass::Rewrite(request_builders::apply)),
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
    ("runtime_errors", Pass::Rewrite(runtime_errors::apply)),
    ("doc_text", Pass::Rewrite(doc_text::apply)),
    ("status_order", Pass::Rewrite(status_order::apply)),
];

/// Runs every pass over `file`: each pass's name and how many rewrites it
/// made. An error names the pass that failed.
pub fn run(
    file: &mut syn::File,
    facts: &ClientFacts,
) -> Result<Vec<(&'static str, usize)>, String> {
    let counts = PASSES
        .iter()
        .map(|(name, pass)| {
            pass.run(file, facts)
                .map(|n| (*name, n))
                .map_err(|e| format!("postprocess pass `{name}`: {e}"))
        })
        .collect::<Result<_, _>>()?;
    unused_imports::apply(file);
    Ok(counts)
}

#[cfg(test)]
fn parse(code: &str) -> syn::File {
    syn::parse_str(code).expect("test code parses")
}

#[cfg(test)]
fn render(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

/// A pass that must rewrite something and finds nothing fails, naming
/// itself and the operation.
#[cfg(test)]
mod must_rewrite {
    use super::*;

    /// progenitor's `send()` for `list_invoices` as it would look had its
    /// output moved: no `api-version` append, a success arm and a
    /// documented error arm in another form.
    fn moved() -> syn::File {
        parse(
            r#"pub mod builder {
                impl<'a> ListInvoices<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Page>, Error<types::Problem>> {
                        let info = OperationInfo { operation_id: "list_invoices" };
                        let request = self.client.client.get(url).query(&progenitor_client::QueryParam::new("limit", &limit)).build()?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_json(response).await,
                            404u16 => Err(Error::ErrorResponse(ResponseValue::from_json(response).await?)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }"#,
        )
    }

    fn error_of(name: &str, facts: &ClientFacts) -> String {
        let (_, pass) = PASSES.iter().find(|(n, _)| *n == name).unwrap();
        pass.run(&mut moved(), facts).unwrap_err()
    }

    #[test]
    fn each_pass_names_the_operation_and_what_it_did_not_find() {
        let facts = ClientFacts::default();
        for (pass, expected) in [
            ("strip_api_version", "no `api-version` header appended"),
            ("raw_send", "no success arm"),
            ("keep_error_status", "no documented error arm"),
            ("runtime_decode", "no success arm"),
        ] {
            let err = error_of(pass, &facts);
            assert!(err.contains("operation `list_invoices`"), "{pass}: {err}");
            assert!(err.contains(expected), "{pass}: {err}");
        }
    }

    #[test]
    fn a_request_style_the_document_calls_for_must_be_found() {
        let mut facts = ClientFacts::default();
        facts.wire.query_styles.insert(
            "list_invoices".into(),
            [(
                "created".to_owned(),
                crate::generate::shape::ParamStyle::DeepObject,
            )]
            .into(),
        );
        facts
            .wire
            .empty_success
            .insert("list_invoices".into(), vec![204]);
        let err = error_of("request_styles", &facts);
        assert!(
            err.contains("operation `list_invoices`: no `QueryParam::new(\"created\", ..)`"),
            "{err}"
        );
        // Found: the status match gets its empty arm.
        let (_, pass) = PASSES.iter().find(|(n, _)| *n == "empty_success").unwrap();
        assert_eq!(pass.run(&mut moved(), &facts), Ok(1));
    }

    #[test]
    fn run_names_the_pass_that_failed() {
        let err = run(&mut moved(), &ClientFacts::default()).unwrap_err();
        assert!(
            err.starts_with("postprocess pass `strip_api_version`: "),
            "{err}"
        );
        assert!(err.contains("has progenitor's output changed?"), "{err}");
    }

    #[test]
    fn passes_count_their_rewrites() {
        let mut file = parse(
            r#"pub mod types {
                #[derive(Deserialize)]
                pub struct Invoice { pub total: f64, pub tax: Option<f32> }
            }"#,
        );
        let (_, pass) = PASSES.iter().find(|(n, _)| *n == "exact_numbers").unwrap();
        assert_eq!(pass.run(&mut file, &ClientFacts::default()), Ok(2));
        assert_eq!(pass.run(&mut file, &ClientFacts::default()), Ok(0));
    }
}
