//! Keeping credentials out of what servers send back.
//!
//! A proxy may echo the `Authorization` header into an error page, a token
//! endpoint may quote the client credentials, an echo server returns the
//! whole request. Every response body and header is therefore scrubbed of
//! the credentials sent with its request before anything else reads it, so
//! no message, excerpt, decoded field or kept raw JSON can hold one.

use std::collections::BTreeSet;
use std::fmt;

use aho_corasick::{AhoCorasick, MatchKind};
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};

/// What a credential is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Credentials shorter than this are not searched for: they would match
/// ordinary text (and corrupt the data around it), and a real key, token or
/// secret is longer.
const MIN_SECRET_LEN: usize = 8;

/// Finds the credentials of one request in what came back, in every form an
/// echo may take: as sent, JSON-escaped (also with `\/`, as PHP writes it)
/// and percent-encoded.
pub(crate) struct Redactor {
    finder: Option<AhoCorasick>,
}

impl Redactor {
    /// A redactor for `secrets`; those shorter than 8 bytes are skipped.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let needles: BTreeSet<String> = secrets
            .into_iter()
            .filter(|secret| secret.len() >= MIN_SECRET_LEN)
            .flat_map(forms)
            .collect();
        // Leftmost-longest: a Basic pair is replaced whole, not as its user
        // and password with the colon left between.
        let finder = (!needles.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&needles)
                .expect("a handful of short literal patterns always builds")
        });
        Self { finder }
    }

    /// `body` with every credential replaced by `[redacted]`; the same bytes
    /// (not copied) when there is none.
    pub(crate) fn scrub(&self, body: Bytes) -> Bytes {
        match self.replace(&body) {
            Some(scrubbed) => Bytes::from(scrubbed),
            None => body,
        }
    }

    /// Replaces every header value that holds a credential.
    pub(crate) fn scrub_headers(&self, headers: &mut HeaderMap) {
        for value in headers.values_mut() {
            if let Some(scrubbed) = self.replace(value.as_bytes()) {
                *value = HeaderValue::from_bytes(&scrubbed)
                    .unwrap_or_else(|_| HeaderValue::from_static(REDACTED));
            }
        }
    }

    fn replace(&self, haystack: &[u8]) -> Option<Vec<u8>> {
        let finder = self.finder.as_ref()?;
        if !finder.is_match(haystack) {
            return None;
        }
        let replacements = vec![REDACTED.as_bytes(); finder.patterns_len()];
        Some(finder.replace_all_bytes(haystack, &replacements))
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let patterns = self.finder.as_ref().map_or(0, AhoCorasick::patterns_len);
        f.debug_struct("Redactor")
            .field("patterns", &patterns)
            .finish()
    }
}

/// The forms `secret` may take in a server's echo.
fn forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).expect("a string always serializes");
    let json = json[1..json.len() - 1].to_owned();
    let php_json = json.replace('/', "\\/");
    let percent = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    vec![secret.to_owned(), json, php_json, percent]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(redactor: &Redactor, text: &str) -> String {
        String::from_utf8(redactor.scrub(Bytes::from(text.to_owned())).to_vec()).unwrap()
    }

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let redactor = Redactor::new(["s3cr3t/key+value", "user-name:pass-word", "short"]);
        assert_eq!(
            scrubbed(&redactor, r#"{"echo": "Bearer s3cr3t\/key+value"}"#),
            r#"{"echo": "Bearer [redacted]"}"#
        );
        assert_eq!(
            scrubbed(&redactor, "token=s3cr3t%2Fkey%2Bvalue&x=1"),
            "token=[redacted]&x=1"
        );
        assert_eq!(
            scrubbed(&redactor, "auth user-name:pass-word, short"),
            "auth [redacted], short",
            "secrets under 8 bytes are left alone"
        );
    }

    #[test]
    fn a_body_without_secrets_is_not_copied() {
        let redactor = Redactor::new(["0123456789"]);
        let body = Bytes::from_static(b"nothing to hide");
        let out = redactor.scrub(body.clone());
        assert_eq!(out.as_ptr(), body.as_ptr());
        assert_eq!(format!("{redactor:?}"), "Redactor { patterns: 1 }");
        let empty = Redactor::new(["tiny"]);
        assert_eq!(scrubbed(&empty, "tiny"), "tiny");
    }

    #[test]
    fn headers_are_scrubbed() {
        let redactor = Redactor::new(["abcdefgh12345"]);
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer abcdefgh12345"));
        headers.insert("x-other", HeaderValue::from_static("fine"));
        redactor.scrub_headers(&mut headers);
        assert_eq!(headers["x-echo"], "Bearer [redacted]");
        assert_eq!(headers["x-other"], "fine");
    }
}
