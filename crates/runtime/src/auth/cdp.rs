//! Coinbase Developer Platform keys and the JWT signed for each request.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, Url};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::secret::Secret;

/// How long a JWT is valid; Coinbase accepts at most two minutes.
const LIFETIME_SECS: u64 = 120;

/// A parsed CDP secret key with its id.
pub(crate) struct CdpKey {
    key_id: String,
    algorithm: Algorithm,
    key: EncodingKey,
    /// The secret as given, kept only so echoes of it can be scrubbed.
    secret: Secret,
}

#[derive(Serialize)]
struct Claims<'a> {
    sub: &'a str,
    iss: &'static str,
    nbf: u64,
    exp: u64,
    uri: String,
}

impl CdpKey {
    /// Parses `secret` now, so a wrong key fails when credentials are built
    /// rather than on the first request. Errors never quote the secret.
    pub(crate) fn parse(key_id: String, secret: &Secret) -> Result<Self, String> {
        let text = secret.expose().trim();
        let (algorithm, pkcs8) = if text.starts_with("-----BEGIN") {
            (Algorithm::ES256, p256_pkcs8(text)?)
        } else {
            (Algorithm::EdDSA, ed25519_pkcs8(text)?)
        };
        let key = match algorithm {
            Algorithm::ES256 => EncodingKey::from_ec_der(&pkcs8),
            _ => EncodingKey::from_ed_der(&pkcs8),
        };
        Ok(Self {
            key_id,
            algorithm,
            key,
            secret: secret.clone(),
        })
    }

    /// The secret the key was parsed from.
    pub(crate) fn secret(&self) -> &Secret {
        &self.secret
    }

    /// A JWT for one request: `uri` binds it to the method, host and path,
    /// and the random `nonce` makes every token unique, so each attempt of a
    /// request gets its own.
    pub(crate) fn sign(&self, method: &Method, url: &Url) -> Result<String, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "the system clock is before 1970".to_owned())?
            .as_secs();
        let mut header = Header::new(self.algorithm);
        header.kid = Some(self.key_id.clone());
        header.typ = Some("JWT".to_owned());
        header.nonce = Some(nonce()?);
        let claims = Claims {
            sub: &self.key_id,
            iss: "cdp",
            nbf: now,
            exp: now + LIFETIME_SECS,
            uri: request_uri(method, url),
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|err| format!("could not sign the CDP JWT: {err}"))
    }
}

/// `"<METHOD> <host><path>"` without scheme or query, as Coinbase checks it.
/// The port appears only when the URL names one that is not the scheme's
/// default (`Url::port` is `None` for a default port).
fn request_uri(method: &Method, url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{method} {host}:{port}{}", url.path()),
        None => format!("{method} {host}{}", url.path()),
    }
}

/// 16 random bytes as hex.
fn nonce() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| "the OS random source failed".to_owned())?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// An EC P-256 private key in PEM (SEC1 or PKCS#8) as PKCS#8 DER, the form
/// jsonwebtoken signs with.
fn p256_pkcs8(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    // Environment variables and JSON key files often carry the PEM's line
    // breaks as the two characters `\n`.
    let text = Zeroizing::new(if text.contains('\n') {
        text.to_owned()
    } else {
        text.replace("\\n", "\n")
    });
    let pem = pem::parse(text.as_bytes())
        .map_err(|_| "the CDP key secret looks like PEM but cannot be read as PEM".to_owned())?;
    let der = Zeroizing::new(pem.into_contents());
    // aws-lc reads both SEC1 ("EC PRIVATE KEY") and PKCS#8 ("PRIVATE KEY")
    // and checks the curve; re-encoding gives the PKCS#8 jsonwebtoken needs.
    let pair = EcdsaKeyPair::from_private_key_der(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
        .map_err(|_| "the CDP key secret is PEM but not an EC P-256 private key".to_owned())?;
    let pkcs8 = pair
        .to_pkcs8v1()
        .map_err(|_| "the CDP EC key could not be re-encoded".to_owned())?;
    Ok(Zeroizing::new(pkcs8.as_ref().to_vec()))
}

/// A base64 Ed25519 key (32-byte seed, then the 32-byte public key) as
/// PKCS#8 DER.
fn ed25519_pkcs8(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let bytes = Zeroizing::new(BASE64.decode(text).map_err(|_| {
        "the CDP key secret is neither PEM (EC P-256) nor base64 (Ed25519)".to_owned()
    })?);
    if bytes.len() != 64 {
        return Err(format!(
            "the CDP key secret decodes to {} bytes; an Ed25519 key has 64 (seed and public key)",
            bytes.len()
        ));
    }
    // Checking the public half against the seed catches a truncated or
    // mixed-up key now instead of as a 401 later.
    let (seed, public) = bytes.split_at(32);
    let pair = Ed25519KeyPair::from_seed_and_public_key(seed, public).map_err(|_| {
        "the CDP Ed25519 key's public half does not belong to its private half".to_owned()
    })?;
    let pkcs8 = pair
        .to_pkcs8v1()
        .map_err(|_| "the CDP Ed25519 key could not be re-encoded".to_owned())?;
    Ok(Zeroizing::new(pkcs8.as_ref().to_vec()))
}

impl fmt::Debug for CdpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth::CoinbaseCdp")
            .field("key_id", &self.key_id)
            .field("algorithm", &self.algorithm)
            .field("key", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_has_host_path_and_only_explicit_ports() {
        let url = Url::parse("https://business.coinbase.com/api/v1/invoices?pageSize=5").unwrap();
        assert_eq!(
            request_uri(&Method::GET, &url),
            "GET business.coinbase.com/api/v1/invoices"
        );
        let url = Url::parse("https://business.coinbase.com:443/api/v1/invoices").unwrap();
        assert_eq!(
            request_uri(&Method::GET, &url),
            "GET business.coinbase.com/api/v1/invoices"
        );
        let url = Url::parse("http://127.0.0.1:8080/api/v1/invoices/in_1").unwrap();
        assert_eq!(
            request_uri(&Method::POST, &url),
            "POST 127.0.0.1:8080/api/v1/invoices/in_1"
        );
    }

    #[test]
    fn nonces_are_32_hex_digits_and_differ() {
        let (a, b) = (nonce().unwrap(), nonce().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn rejects_wrong_keys_without_quoting_them() {
        let cases = [
            "not a key at all",
            "c2hvcnQ=",
            "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
            "-----BEGIN broken",
        ];
        for secret in cases {
            let err = CdpKey::parse("kid".into(), &Secret::new(secret)).unwrap_err();
            assert!(!err.contains(secret), "{err}");
        }
        // 64 bytes whose second half is not the first half's public key.
        let mismatched = BASE64.encode([7u8; 64]);
        let err = CdpKey::parse("kid".into(), &Secret::new(mismatched.clone())).unwrap_err();
        assert!(err.contains("does not belong"), "{err}");
        assert!(!err.contains(&mismatched));
    }
}
