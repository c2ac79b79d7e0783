//! The "Paging" section of a generated crate's docs: which operations
//! page and how, what "every item exactly once" covers for each, how to
//! resume, and a compiling example listing every item with `.stream()`.

use super::{PagedOperation, PagingStyle};
use crate::naming::snake_ident;

/// The section; empty when no operation pages. Examples import `uses` and
/// build the client with `client` (an expression, e.g.
/// `Client::with_auth(..)`); `example` is the operation they list, one that
/// needs no arguments.
pub fn section(
    (uses, client): &(String, String),
    paged: &[PagedOperation],
    example: Option<&str>,
) -> String {
    if paged.is_empty() {
        return String::new();
    }
    let mut d = String::from(
        "\n# Paging\n\n\
         Each operation below has `.stream()` on its request builder: every item of the \
         listing, fetched a page at a time as the stream is polled (at most two pages in memory: the one being taken and the next, read ahead), \
         through the runtime's guarded paging loop ([`invoicing_runtime::paging`]). A cursor \
         or token the listing followed before, an empty page the vendor says is not the last, \
         a `Link` header that cannot be read, pages that repeat, and a page budget \
         (`.max_pages(n)`) each end the stream with an error naming the page, never a loop or \
         a silent end. `.stream().pages()` gives whole pages, and `fetch_page` one page with \
         its items decoded as any type.\n\n\
         Where items have an id, every listing keeps the runtime's paging invariant \
         ([`invoicing_runtime::paging`](invoicing_runtime::paging#the-invariant)): every item \
         a page read forward serves is delivered, or was delivered earlier in the listing, or \
         the stream ends with an error naming the page; an id never comes twice in a listing \
         (an 8-byte hash of each id delivered is kept: about 18 MiB per million items, \
         bounded by `Listing::max_ids`).\n\n\
         | method | pages by | each item once |\n|---|---|---|\n",
    );
    for op in paged {
        d.push_str(&format!(
            "| [`Client::{}`] | {} | {} |\n",
            snake_ident(&op.operation_id),
            op.style.describe(),
            guarantee(op),
        ));
    }
    d.push_str(
        "\n**Resuming.** `listing.checkpoint()` says what has been taken so far (down to the \
         item, in the middle of a page): a small `serde` value to store. \
         `.stream_from(checkpoint)` on the same request delivers every item after it exactly \
         once, under the same rules, after a crash or an error.\n",
    );
    if let Some(op) = example {
        let method = snake_ident(op);
        d.push_str(&format!(
            "\n```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
             use futures::TryStreamExt;\n\
             {uses}\n\n\
             let client = {client};\n\
             let mut items = client.{method}().stream();\n\
             while let Some(item) = items.try_next().await? {{\n    \
             println!(\"{{item:?}}\");\n    \
             // After handling an item: what to resume from.\n    \
             let checkpoint = serde_json::to_string(&items.checkpoint())?;\n    \
             # let _ = checkpoint;\n\
             }}\n\n\
             // Later, or in another process: the rest of the listing.\n\
             # let saved = String::new();\n\
             let checkpoint = serde_json::from_str(&saved)?;\n\
             let rest = client.{method}().stream_from(checkpoint);\n\
             # drop(rest);\n\
             # Ok(())\n# }}\n```\n"
        ));
    }
    d
}

/// What "each item once" means for one operation.
fn guarantee(op: &PagedOperation) -> String {
    let Some(id) = &op.id else {
        return "not guaranteed: items have no declared id; a page repeated whole is caught"
            .to_owned();
    };
    let total = match &op.style {
        PagingStyle::Page { total, .. } | PagingStyle::Offset { total, .. } => total.as_ref(),
        PagingStyle::Cursor { .. } | PagingStyle::Url { .. } => {
            return format!(
                "yes, by `{id}`: the vendor keeps its place with the cursor, so changes to the \
                 list shift nothing; an item repeated from the page before is dropped"
            );
        }
    };
    match total {
        Some(total) => format!(
            "yes, by `{id}`, for items that exist for the whole listing: new items at the head \
             are skipped (the page is read from after the last item taken); deletions before \
             the position, seen by `{}` changing, are recovered by reading the page where the \
             last item taken now is. When that fails (inserts and deletes mixed in one change), \
             an error says the list changed, and at which page. Changes that keep the count \
             equal are not seen",
            super::path_text(total)
        ),
        None => format!(
            "partly, by `{id}`: new items at the head are skipped, but without a count of all \
             items a deletion before the position goes unseen, and an item can be missed"
        ),
    }
}
