//! A specific status is matched before the range that holds it.
//!
//! OpenAPI gives an explicit code (`404`) precedence over a range (`4XX`),
//! and both over `default`, whatever order the document lists them in.
//! progenitor sorts an operation's responses by the first code each covers,
//! so `4XX` (400) comes before `404` and its arm shadows the specific one:
//! the specific body is never decoded and the crate fails clippy with an
//! unreachable pattern. Here every status `match` lists single codes
//! first, then ranges, then the catch-all, each group in its own order.
//! progenitor has no setting for the order of its arms.

use syn::visit_mut::{self, VisitMut};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = StatusOrder(0);
    pass.visit_file_mut(file);
    Ok(pass.0)
}

/// Counts the status matches it reordered.
struct StatusOrder(usize);

/// How specific a status pattern is: a code, a range, anything else.
fn rank(pat: &syn::Pat) -> u8 {
    match pat {
        syn::Pat::Lit(_) => 0,
        syn::Pat::Range(_) => 1,
        _ => 2,
    }
}

/// Whether the match is on a response's status code.
fn on_status(m: &syn::ExprMatch) -> bool {
    let text: String = quote::ToTokens::to_token_stream(&m.expr)
        .to_string()
        .split_whitespace()
        .collect();
    text.ends_with(".status().as_u16()")
}

impl VisitMut for StatusOrder {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        if on_status(m) {
            // A stable sort keeps each group in progenitor's order.
            if !m.arms.is_sorted_by_key(|arm| rank(&arm.pat)) {
                m.arms.sort_by_key(|arm| rank(&arm.pat));
                self.0 += 1;
            }
        }
        visit_mut::visit_expr_match_mut(self, m);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn codes_come_before_ranges_and_the_catch_all() {
        let mut file = parse(
            "async fn send(response: R) -> T {
                match response.status().as_u16() {
                    200u16 => a,
                    400u16..=499u16 => range4,
                    _ => other,
                    404u16 => not_found,
                    500u16..=599u16 => range5,
                    422u16 => invalid,
                }
            }",
        );
        super::apply(&mut file).unwrap();
        let text = render(&file);
        let order: Vec<usize> = [
            "200u16",
            "404u16",
            "422u16",
            "400u16..=499u16",
            "500u16..=599u16",
            "_ =>",
        ]
        .iter()
        .map(|arm| text.find(arm).unwrap_or_else(|| panic!("{arm} in {text}")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    }

    #[test]
    fn other_matches_are_left_alone() {
        let code = "fn f(x: u16) -> u8 {
            match x {
                0..=9 => 1,
                5 => 2,
                _ => 3,
            }
        }";
        let mut file = parse(code);
        super::apply(&mut file).unwrap();
        assert_eq!(render(&file), render(&parse(code)));
    }
}
