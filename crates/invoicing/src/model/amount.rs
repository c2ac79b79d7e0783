//! An exact amount of money.

use std::fmt;

use rust_decimal::Decimal;

use super::Currency;

/// An amount of money: an exact decimal, its currency when known, and
/// whether this crate computed it.
///
/// `value` is read from the vendor's text without `f64` and without
/// rounding. `currency` is `None` only where the vendor sends none and the
/// caller configured none (Sendcloud v2): it is never guessed. `derived` is
/// `true` for a total the vendor does not send and this crate computed from
/// amounts it does send (e.g. Sendcloud v2 tax = `price_incl - price_excl`);
/// the crate docs list which totals are derived per provider.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Amount {
    /// The exact value, negative for credits.
    pub value: Decimal,
    /// The currency, when the vendor or the caller gave one.
    pub currency: Option<Currency>,
    /// Whether this crate computed the amount rather than read it.
    pub derived: bool,
}

impl Amount {
    /// An amount as the vendor sent it.
    pub fn new(value: Decimal, currency: Option<Currency>) -> Self {
        Self {
            value,
            currency,
            derived: false,
        }
    }

    /// An amount this crate computed from amounts the vendor sent.
    pub fn derived(value: Decimal, currency: Option<Currency>) -> Self {
        Self {
            value,
            currency,
            derived: true,
        }
    }
}

impl fmt::Display for Amount {
    /// The value as exact text, then the currency if known: `508.90 USD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.currency {
            Some(currency) => write!(f, "{} {currency}", self.value),
            None => write!(f, "{}", self.value),
        }
    }
}
