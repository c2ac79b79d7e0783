//! Requests carry only headers the vendor defines.
//!
//! progenitor adds `api-version: <info.version>` to every request, a
//! convention of Oxide's own servers. No vendor here documents it, and a
//! vendor that later gives the header a meaning would misread our document
//! version, so the statement that appends it is removed. progenitor emits it
//! unconditionally; no setting turns it off.

use syn::visit_mut::{self, VisitMut};

use super::Tally;
use crate::generate::progenitor_output::for_each_send;

/// Every `send()` must lose its append: one left would reach the vendor.
pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut tally = Tally::default();
    for_each_send(file, &mut |operation, send| {
        let mut pass = StripApiVersion(0);
        pass.visit_block_mut(&mut send.block);
        if pass.0 == 0 {
            tally.missed(operation, "no `api-version` header appended in `send()`");
        }
        tally.rewrote(pass.0);
    });
    tally.finish()
}

/// Counts the appends it removed.
struct StripApiVersion(usize);

fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append"
        && call.args.first().is_some_and(|arg| {
            let text = quote::ToTokens::to_token_stream(arg).to_string();
            text.contains("from_static") && text.contains("\"api-version\"")
        })
}

impl VisitMut for StripApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|s| !appends_api_version(s));
        if block.stmts.len() != before {
            self.0 += before - block.stmts.len();
            unmut_unused_header_map(block);
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// Without the append, an operation with no header parameters never
/// mutates its `header_map`; drop the `mut` so the crate compiles clean.
fn unmut_unused_header_map(block: &mut syn::Block) {
    let text = quote::ToTokens::to_token_stream(block).to_string();
    if text.contains("header_map . append") || text.contains("header_map . insert") {
        return;
    }
    for stmt in &mut block.stmts {
        if let syn::Stmt::Local(local) = stmt
            && let syn::Pat::Ident(binding) = &mut local.pat
            && binding.ident == "header_map"
        {
            binding.mutability = None;
        }
    }
}
