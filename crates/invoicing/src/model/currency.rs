//! A currency or crypto asset code.

use std::fmt;
use std::str::FromStr;

/// A currency code: ISO 4217 (`EUR`, `USD`) or a crypto asset (`USDC`),
/// 3 to 10 upper-case ASCII letters.
///
/// Vendor codes are checked, not corrected: `usd` is an error rather than
/// `USD`, so what the vendor sent is what the model holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(String);

/// A text that is not 3 to 10 upper-case ASCII letters.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a currency code (3 to 10 upper-case letters A-Z)")]
pub struct InvalidCurrency(pub String);

impl Currency {
    /// Checks and wraps `code`.
    ///
    /// # Errors
    /// [`InvalidCurrency`] unless `code` is 3 to 10 letters `A`-`Z`.
    pub fn new(code: impl Into<String>) -> Result<Self, InvalidCurrency> {
        let code = code.into();
        if (3..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code))
        } else {
            Err(InvalidCurrency(code))
        }
    }

    /// The code, e.g. `EUR`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many decimal places the currency's minor unit has, as ISO 4217
    /// lists it (`JPY` 0, `EUR` 2, `KWD` 3); `None` for a code ISO 4217
    /// does not list (a crypto asset, a code the vendor made up) or lists
    /// without a minor unit (`XAU`).
    pub fn minor_unit_exponent(&self) -> Option<u32> {
        iso_currency::Currency::from_code(&self.0)
            .and_then(|currency| currency.exponent())
            .map(u32::from)
    }
}

impl FromStr for Currency {
    type Err = InvalidCurrency;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Self::new(code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_and_crypto_codes_only() {
        for code in ["EUR", "USD", "USDC", "ABCDEFGHIJ"] {
            assert_eq!(Currency::new(code).unwrap().as_str(), code);
        }
        for code in ["", "EU", "eur", "Eur", "EUR1", "ABCDEFGHIJK", "€UR", " EUR"] {
            assert!(Currency::new(code).is_err(), "{code:?}");
        }
    }

    #[test]
    fn minor_unit_exponents_are_iso_4217s() {
        let exponent = |code: &str| Currency::new(code).unwrap().minor_unit_exponent();
        for (code, expected) in [
            ("JPY", Some(0)),
            ("KRW", Some(0)),
            ("EUR", Some(2)),
            ("USD", Some(2)),
            ("KWD", Some(3)),
            ("BHD", Some(3)),
            ("CLF", Some(4)),
            ("USDC", None),
            ("XYZ", None),
            ("XAU", None),
        ] {
            assert_eq!(exponent(code), expected, "{code}");
        }
    }
}
