//! Vendor descriptions as rustdoc reads them without a warning.
//!
//! Descriptions are Markdown written for a web page: bare URLs, `[words]`
//! in brackets that rustdoc takes for links to Rust items, HTML tags it
//! checks for closing, and code blocks it would compile as doctests. Every
//! `#[doc]` text (and the crate docs drawn from the spec) is rewritten so
//! `cargo doc` with warnings denied passes and `cargo test` runs no vendor
//! snippet: URLs in `<...>`, brackets that are not links escaped, `<`
//! escaped unless it starts a URL, code blocks marked `text`.

use syn::visit_mut::{self, VisitMut};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = Docs(0);
    pass.visit_file_mut(file);
    Ok(pass.0)
}

/// Counts the doc comments it rewrote.
struct Docs(usize);

impl VisitMut for Docs {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if let syn::Meta::NameValue(nv) = &mut attr.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut nv.value
        {
            let escaped = escape(&text.value());
            if escaped != text.value() {
                *text = syn::LitStr::new(&escaped, text.span());
                self.0 += 1;
            }
        }
        visit_mut::visit_attribute_mut(self, attr);
    }
}

/// `text` as rustdoc-safe Markdown (see the module docs).
pub(crate) fn escape(text: &str) -> String {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if fenced {
                out.push("```".to_owned());
            } else if info.trim().is_empty() {
                // Without a language rustdoc would compile it as Rust.
                out.push("```text".to_owned());
            } else {
                out.push(trimmed.to_owned());
            }
            fenced = !fenced;
            continue;
        }
        if fenced {
            out.push(line.to_owned());
            continue;
        }
        // Four spaces of indent make a code block (a doctest): keep lists'
        // shallower nesting only.
        let indent = line.len() - trimmed.len();
        let kept = &line[..indent.min(3)];
        out.push(format!("{kept}{}", escape_line(trimmed)));
    }
    if fenced {
        out.push("```".to_owned());
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(9).collect();
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            _ if in_code => out.push(c),
            '<' if rest.starts_with("<http://") || rest.starts_with("<https://") => {
                // An autolink: copy it whole.
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '>')
                    .map_or(chars.len(), |p| i + p + 1);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => {
                // A link `[text](url)` or an intra-doc link to code
                // (`` [`Client::x`] ``) stays; other brackets are text.
                if let Some(end) = link_end(&chars, i) {
                    let link: String = chars[i..end].iter().collect();
                    out.push_str(&web_link(&link));
                    i = end;
                    continue;
                }
                match code_link_end(&chars, i) {
                    Some(end) => {
                        let link: String = chars[i..end].iter().collect();
                        out.push_str(&link.replace('<', "&lt;").replace('>', "&gt;"));
                        i = end;
                        continue;
                    }
                    None => out.push_str("\\["),
                }
            }
            ']' => out.push_str("\\]"),
            // Every URL in text, also one in an escaped HTML attribute
            // (`&lt;a href="https://..."&gt;` is text to rustdoc) or after
            // an escaped bracket (a link whose text began on the line
            // before); a link target `[text](url)` was copied whole above.
            'h' if (rest.starts_with("http://") || rest.starts_with("https://"))
                && (!out.ends_with("](") || out.ends_with("\\](")) =>
            {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                let mut tail = String::new();
                while url.ends_with(['.', ',', ';', ':', ')', '!', '?', ']']) {
                    tail.insert(0, url.pop().expect("not empty"));
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail.replace(']', "\\]"));
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// A Markdown link `[text](target)` as rustdoc takes it: kept where the
/// target is a web or mail address, or a Rust path with `::` (the links
/// the generator writes itself); otherwise rustdoc would read the target
/// as a Rust item (`entity:Order` looks like its `type:Name`
/// disambiguators, a relative URL like a path) and fail to resolve it, so
/// the text stays and the vendor's target follows it as code.
fn web_link(link: &str) -> String {
    let split = link.find("](").expect("a link has `](`");
    let (text, target) = (&link[1..split], &link[split + 2..link.len() - 1]);
    let target = target.trim();
    // A path may end in a `#fragment` (a heading of the item's docs).
    let path = target.split_once('#').map_or(target, |(path, _)| path);
    let rust_path = path.contains("::")
        && path.split("::").all(|segment| {
            segment
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && segment.chars().all(|c| c.is_alphanumeric() || c == '_')
        });
    if rust_path
        || ["http://", "https://", "mailto:"]
            .iter()
            .any(|scheme| target.starts_with(scheme))
    {
        return link.replace('<', "&lt;").replace('>', "&gt;");
    }
    let text = escape_line(text);
    if target.is_empty() {
        text
    } else {
        format!("{text} (`{}`)", target.replace('`', ""))
    }
}

/// Where an intra-doc link `` [`path`] `` starting at `start` ends.
fn code_link_end(chars: &[char], start: usize) -> Option<usize> {
    if chars.get(start + 1) != Some(&'`') {
        return None;
    }
    let close = start + 2 + chars[start + 2..].iter().position(|&c| c == '`')?;
    (chars.get(close + 1) == Some(&']')).then_some(close + 2)
}

/// Where a Markdown link `[text](target)` starting at `start` ends.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = start + chars[start..].iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 1 + chars[close + 1..].iter().position(|&c| c == ')')?;
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_markdown_becomes_rustdoc_safe() {
        assert_eq!(
            escape("See https://example.com/a. Or [the docs](https://x.test/b)."),
            "See <https://example.com/a>. Or [the docs](https://x.test/b)."
        );
        assert_eq!(
            escape(r#"Per your <a href="https://a.test/b">settings</a> (https://c.test)."#),
            r#"Per your &lt;a href="<https://a.test/b>"&gt;settings&lt;/a&gt; (<https://c.test>)."#
        );
        assert_eq!(
            escape("8601](https://a.test/iso) format."),
            "8601\\](<https://a.test/iso>) format.",
            "a link whose text began on the line before"
        );
        assert_eq!(
            escape("The [team member](entity:TeamMember) and [entity:Invoice] [x](#a)."),
            "The team member (`entity:TeamMember`) and \\[entity:Invoice\\] x (`#a`).",
            "targets rustdoc would read as Rust paths"
        );
        assert_eq!(
            escape(
                "Mail [us](mailto:a@b.test); see [`Listing`](invoicing_runtime::paging::Listing)."
            ),
            "Mail [us](mailto:a@b.test); see [`Listing`](invoicing_runtime::paging::Listing).",
            "web, mail and Rust-path targets stay links"
        );
        assert_eq!(
            escape("From the [list](/api/v2/invoices) endpoint."),
            "From the list (`/api/v2/invoices`) endpoint."
        );
        assert_eq!(
            escape("Between [18] and [6] <Description>"),
            "Between \\[18\\] and \\[6\\] &lt;Description&gt;"
        );
        assert_eq!(
            escape("Already <https://a.test> and `[x] <y>`"),
            "Already <https://a.test> and `[x] <y>`"
        );
        assert_eq!(
            escape(
                "Builder for [`Client::x`]\n\n[`Client::x`]: super::Client::x\n```ignore\nlet a = 1;\n```"
            ),
            "Builder for [`Client::x`]\n\n[`Client::x`]: super::Client::x\n```ignore\nlet a = 1;\n```"
        );
        assert_eq!(
            escape("Example:\n```\ncurl https://a.test\n```\n    indented"),
            "Example:\n```text\ncurl https://a.test\n```\n   indented"
        );
    }
}
