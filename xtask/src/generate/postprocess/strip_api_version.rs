//! Requests carry only headers the vendor defines.
//!
//! progenitor adds `api-version: <info.version>` to every request, a
//! convention of Oxide's own servers. No vendor here documents it, and a
//! vendor that later gives the header a meaning would misread our document
//! version, so the statement that appends it is removed. progenitor emits it
//! unconditionally; no setting turns it off.

use syn::visit_mut::{self, VisitMut};

pub(super) fn apply(file: &mut syn::File) {
    StripApiVersion.visit_file_mut(file);
}

struct StripApiVersion;

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
