//! The `next` link of an RFC 8288 `Link` header and the cursor inside it.
//!
//! Hand-written because neither crate found fits: `parse_link_header` (0.4)
//! deletes every quote and space and then splits on every comma, so a quoted
//! `title="a, b"` or `rel="next last"` comes out wrong, and `http-link`
//! follows the RFC but has seen no release since 2021. The parser below is
//! RFC 8288 Appendix B.2 and B.3 in a few lines.

use reqwest::header::{HeaderMap, LINK};

use super::problem::Problem;

/// The target of the first link with relation `next` in the response's
/// `Link` headers, exactly as the server wrote it; `Ok(None)` when no link
/// has that relation (the last page).
///
/// Read as real servers send it: several links per header, several `Link`
/// headers, parameter names and relation types in any case, `rel` values
/// quoted (`rel="next"`), single-quoted (`rel='next'`, not RFC 8288 but
/// sent) or bare (`rel=next`), and several relation types in one `rel`
/// (`rel="next last"`). The target may be relative to the request URL.
///
/// # Errors
/// [`Problem::UnreadableLink`] when a `Link` header names `next` (in a
/// relation such as `rel="next-page"`, or in text that cannot be parsed)
/// but yields no readable `next` link: ending the listing there would drop
/// every later page silently.
pub fn next_link(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    for value in headers.get_all(LINK) {
        let unreadable = || Problem::UnreadableLink {
            link: super::position::shortened(&String::from_utf8_lossy(value.as_bytes())),
        };
        let mentions_next = |text: &str| text.to_ascii_lowercase().contains("next");
        let Ok(text) = value.to_str() else {
            if mentions_next(&String::from_utf8_lossy(value.as_bytes())) {
                return Err(unreadable());
            }
            continue;
        };
        let (links, rest) = parse_links(text);
        if let Some(link) = links.iter().find(|link| link.has_rel("next")) {
            return Ok(Some(link.target.to_owned()));
        }
        // Any `rel`, not only the first that counts: a header naming `next`
        // that yields none is not a last page.
        let rel_mentions_next = links.iter().any(|link| {
            link.params
                .iter()
                .any(|(name, value)| name == "rel" && mentions_next(value))
        });
        if rel_mentions_next || mentions_next(rest) {
            return Err(unreadable());
        }
    }
    Ok(None)
}

/// The cursor in the `next` link of the response's `Link` headers: the
/// value of its query parameter `param` (Sendcloud v3's pagination), for
/// [`Fetched::next`](super::Fetched::next); `Ok(None)` on the last page.
///
/// # Errors
/// [`Problem::UnreadableLink`] when the `next` link cannot be read or has
/// no `param` parameter.
pub fn next_in_link(headers: &HeaderMap, param: &str) -> Result<Option<String>, Problem> {
    let Some(link) = next_link(headers)? else {
        return Ok(None);
    };
    match cursor_from_link(&link, param) {
        Some(cursor) => Ok(Some(cursor)),
        None => Err(Problem::UnreadableLink {
            link: super::position::shortened(&link),
        }),
    }
}

/// The value of query parameter `name` in `link` (absolute or relative),
/// URL-decoded once and otherwise as received.
///
/// The query is read with form decoding (`%XX` and `+`), the inverse of
/// how generated clients encode query parameters, so passing the value back
/// as a parameter sends the server the bytes it wrote: vendors ask for
/// cursors to be returned as received.
pub fn cursor_from_link(link: &str, name: &str) -> Option<String> {
    let (_, query) = link.split_once('?')?;
    let query = query.split('#').next().unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

struct Link<'a> {
    target: &'a str,
    params: Vec<(String, String)>,
}

impl Link<'_> {
    /// The first `rel` parameter's value (RFC 8288 §3.3: only the first
    /// counts).
    fn rel(&self) -> Option<&str> {
        self.params
            .iter()
            .find(|(name, _)| name == "rel")
            .map(|(_, value)| value.as_str())
    }

    /// RFC 8288 §3.3: `rel` may hold several space-separated types, compared
    /// case-insensitively.
    fn has_rel(&self, wanted: &str) -> bool {
        self.rel().is_some_and(|value| {
            value
                .split_ascii_whitespace()
                .any(|rel| rel.eq_ignore_ascii_case(wanted))
        })
    }
}

fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// All links of one header value, and what is left unread: parsing stops
/// at the first malformed link, keeping the links before it.
fn parse_links(value: &str) -> (Vec<Link<'_>>, &str) {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c| is_ows(c) || c == ',');
        if rest.is_empty() {
            return (links, rest);
        }
        let Some(after_open) = rest.strip_prefix('<') else {
            return (links, rest);
        };
        let Some((target, after_target)) = after_open.split_once('>') else {
            return (links, rest);
        };
        let (params, after_params) = parse_params(after_target);
        links.push(Link {
            target: target.trim(),
            params,
        });
        rest = after_params;
    }
}

/// `; name=value; name="quoted"; name` up to the comma that ends the link.
fn parse_params(mut rest: &str) -> (Vec<(String, String)>, &str) {
    let mut params = Vec::new();
    loop {
        rest = rest.trim_start_matches(is_ows);
        let Some(after_semicolon) = rest.strip_prefix(';') else {
            return (params, rest);
        };
        rest = after_semicolon.trim_start_matches(is_ows);
        let name_end = rest
            .find(|c| is_ows(c) || matches!(c, '=' | ';' | ','))
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start_matches(is_ows);
        let value = match rest.strip_prefix('=') {
            Some(after_equals) => {
                let after_equals = after_equals.trim_start_matches(is_ows);
                let (value, after_value) = match after_equals.strip_prefix('"') {
                    Some(quoted) => parse_quoted(quoted),
                    // Not RFC 8288, but servers send `rel='next'`.
                    None if after_equals.starts_with('\'') => {
                        let quoted = &after_equals[1..];
                        match quoted.split_once('\'') {
                            Some((value, after)) => (value.to_owned(), after),
                            None => (quoted.to_owned(), ""),
                        }
                    }
                    None => {
                        let end = after_equals.find([';', ',']).unwrap_or(after_equals.len());
                        (
                            after_equals[..end].trim_end().to_owned(),
                            &after_equals[end..],
                        )
                    }
                };
                rest = after_value;
                value
            }
            None => String::new(),
        };
        if !name.is_empty() {
            params.push((name, value));
        }
    }
}

/// The rest of a quoted string after its opening quote: its unescaped text
/// and what follows the closing quote (RFC 8288 Appendix B.4).
fn parse_quoted(quoted: &str) -> (String, &str) {
    let mut text = String::new();
    let mut chars = quoted.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return (text, &quoted[index + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    text.push(escaped);
                }
            }
            c => text.push(c),
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(LINK, HeaderValue::from_static(value));
        }
        map
    }

    fn next(values: &[&'static str]) -> Option<String> {
        next_link(&headers(values)).unwrap()
    }

    #[test]
    fn finds_next_among_several_links() {
        assert_eq!(
            next(&[
                r#"<https://panel.sendcloud.sc/api/v3/invoices?cursor=cD0x>; rel="prev", <https://panel.sendcloud.sc/api/v3/invoices?cursor=cD0xMjM%3D&page_size=2>; rel="next""#,
            ])
            .as_deref(),
            Some("https://panel.sendcloud.sc/api/v3/invoices?cursor=cD0xMjM%3D&page_size=2")
        );
    }

    #[test]
    fn understands_quoting_multiple_rels_and_several_headers() {
        assert_eq!(
            next(&[
                r#"</a>; title="next, then more; \"quoted\""; rel=prev"#,
                r#"<https://x.test/b?cursor=b>;rel="last NEXT" ; title=plain, </c>; rel=next"#,
            ])
            .as_deref(),
            Some("https://x.test/b?cursor=b")
        );

        let (links, rest) =
            parse_links(r#"</a>; title="next, then more; \"quoted\""; rel=prev, </b>"#);
        assert_eq!((links.len(), rest), (2, ""));
        assert_eq!(links[0].params[0].1, r#"next, then more; "quoted""#);
        assert!(links[0].has_rel("prev") && !links[0].has_rel("next"));
    }

    #[test]
    fn reads_rel_as_servers_send_it() {
        for value in [
            "</b>; rel='next'",
            "</b>; rel=next",
            "</b>; REL=NEXT",
            "</b>; Rel=\"Next\"",
            "</b> ; rel = 'prev next' ; title='a, b'",
            "</a>; rel='first', </b>; rel='next'",
            "</b>;rel=\"last next\", </z>; rel=\"last\"",
        ] {
            assert_eq!(next(&[value]).as_deref(), Some("/b"), "{value}");
        }
        assert_eq!(
            next(&["</a>; rel=first", "</b>; rel='next'"]).as_deref(),
            Some("/b")
        );
    }

    #[test]
    fn a_header_that_names_next_without_a_readable_next_is_an_error() {
        for value in [
            "</b>; rel=\"next-page\"",
            "</b>; rel=nxt; rel=next",
            "</a>; rel=\"prev\"; rel=\"next\"",
        ] {
            let result = next_link(&headers(&[value]));
            assert!(
                matches!(result, Err(Problem::UnreadableLink { .. })),
                "{value}: {result:?}"
            );
        }
        // A URL that contains the word is not a relation.
        assert_eq!(next(&["</next?x=next>; rel=prev"]), None);
    }

    #[test]
    fn no_next_means_last_page() {
        assert_eq!(next(&[r#"</a>; rel="first", </z>; rel="last""#]), None);
        assert_eq!(next(&[]), None);
        assert_eq!(next(&["garbage; rel=prev"]), None);
        assert_eq!(next(&[r#"</a>; rel="next"#]).as_deref(), Some("/a"));
    }

    #[test]
    fn a_next_link_that_cannot_be_read_is_an_error_not_the_last_page() {
        for value in [
            r#"https://x.test/invoices?cursor=b; rel="next""#,
            r#"</a>; rel="prev", https://x.test/b; rel=next"#,
            r#"<https://x.test/b?cursor=b; rel="next""#,
        ] {
            let err = next_link(&headers(&[value])).unwrap_err();
            assert!(
                matches!(&err, Problem::UnreadableLink { link } if link == value),
                "{value}: {err:?}"
            );
        }
        let mut map = HeaderMap::new();
        map.append(LINK, HeaderValue::from_bytes(b"<\xff>; rel=next").unwrap());
        assert!(next_link(&map).is_err());
    }

    #[test]
    fn the_cursor_of_the_next_link_or_an_error() {
        let map = headers(&[r#"</invoices?cursor=cD0y&page_size=2>; rel="next""#]);
        assert_eq!(
            next_in_link(&map, "cursor").unwrap().as_deref(),
            Some("cD0y")
        );
        assert!(matches!(
            next_in_link(&map, "page_token"),
            Err(Problem::UnreadableLink { .. })
        ));
        assert_eq!(next_in_link(&HeaderMap::new(), "cursor").unwrap(), None);
    }

    #[test]
    fn cursors_come_back_as_received() {
        let link = "https://panel.sendcloud.sc/api/v3/invoices?page_size=2&cursor=cD0xMjM%3D#top";
        assert_eq!(
            cursor_from_link(link, "cursor").as_deref(),
            Some("cD0xMjM=")
        );
        assert_eq!(
            cursor_from_link("/invoices?cursor=a%2Bb+c", "cursor").as_deref(),
            Some("a+b c")
        );
        assert_eq!(
            cursor_from_link("/invoices?cursor=cD0xMjM=", "cursor").as_deref(),
            Some("cD0xMjM=")
        );
        assert_eq!(cursor_from_link("/invoices?page=2", "cursor"), None);
        assert_eq!(cursor_from_link("/invoices", "cursor"), None);
    }
}
