//! Vendor fields to model values. A value that cannot be mapped becomes a
//! [`FieldProblem`] on the invoice and an empty model field, never an
//! error that costs the invoice and never a guess.

use std::cell::RefCell;
use std::fmt::Display;

use invoicing_runtime::Number;
use rust_decimal::Decimal;

use crate::model::decimal::{exact_add, exact_mul, exact_sub, parse_exact};
use crate::model::{Amount, Currency, FieldProblem};

/// Converts the fields of one invoice, collecting its problems.
///
/// Field names are `impl Display` throughout (often `format_args!`), so a
/// name like `lineItems[3].quantity` is only written out when there is a
/// problem to report (or a field was set aside while decoding), not for
/// every value read.
pub(crate) struct Fields {
    problems: RefCell<Vec<FieldProblem>>,
    /// Paths that decoding set aside (see `repair`): absent or stand-ins.
    set_aside: Vec<String>,
}

impl Fields {
    /// For an invoice whose decoding reported `problems` and set aside the
    /// fields at `set_aside`.
    pub(crate) fn new(problems: Vec<FieldProblem>, set_aside: Vec<String>) -> Self {
        Self {
            problems: RefCell::new(problems),
            set_aside,
        }
    }

    /// Every problem found, in the order found.
    pub(crate) fn into_problems(self) -> Vec<FieldProblem> {
        self.problems.into_inner()
    }

    /// Records that `field` (with the vendor's `value`) cannot be mapped.
    pub(crate) fn problem(&self, field: impl Display, value: Option<String>, reason: impl Display) {
        self.problems.borrow_mut().push(FieldProblem {
            field: field.to_string(),
            value,
            reason: reason.to_string(),
        });
    }

    /// `value` as decoded, or `None` when decoding set `field` (or an
    /// object it is in) aside: then the decoded value is a stand-in, and
    /// the problem is already recorded. Every vendor field the model takes
    /// is read through this, directly or through the conversions below.
    pub(crate) fn read<T>(&self, field: impl Display, value: T) -> Option<T> {
        if self.set_aside.is_empty() {
            return Some(value);
        }
        let field = field.to_string();
        let covered = self.set_aside.iter().any(|path| {
            field
                .strip_prefix(path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        });
        (!covered).then_some(value)
    }

    /// A decimal string (`"1240.5000"`), exactly.
    pub(crate) fn decimal(&self, field: impl Display + Copy, text: &str) -> Option<Decimal> {
        let text = self.read(field, text)?;
        parse_exact(text)
            .map_err(|reason| self.problem(field, Some(json_string(text)), reason))
            .ok()
    }

    /// A JSON number as received, exactly.
    pub(crate) fn number(&self, field: impl Display + Copy, number: &Number) -> Option<Decimal> {
        let text = self.read(field, number.as_str())?;
        parse_exact(text)
            .map_err(|reason| self.problem(field, Some(text.to_owned()), reason))
            .ok()
    }

    /// A currency code, checked.
    pub(crate) fn currency(&self, field: impl Display + Copy, code: &str) -> Option<Currency> {
        let code = self.read(field, code)?;
        Currency::new(code)
            .map_err(|reason| self.problem(field, Some(json_string(code)), reason))
            .ok()
    }

    /// An optional JSON number amount in `currency` (`None`: the vendor
    /// and the caller give none).
    pub(crate) fn amount(
        &self,
        field: impl Display + Copy,
        number: Option<&Number>,
        currency: Option<&Currency>,
    ) -> Option<Amount> {
        Some(Amount::new(self.number(field, number?)?, currency.cloned()))
    }

    /// A decimal-string amount with its currency code, as Sendcloud v3 and
    /// Coinbase send them (`{"value": "1240.5000", "currency": "EUR"}`).
    /// Empty when either part cannot be read: a value without its
    /// currency would invite adding it to amounts in another.
    pub(crate) fn money(
        &self,
        field: impl Display + Copy,
        value: &str,
        currency: &str,
    ) -> Option<Amount> {
        let value = self.decimal(format_args!("{field}.value"), value);
        let currency = self.currency(format_args!("{field}.currency"), currency);
        Some(Amount::new(value?, Some(currency?)))
    }

    /// An integer amount in the minor unit of `currency` (cents, yen,
    /// fils), as Stripe, Lago and Square send them: `1999` EUR is `19.99`,
    /// `1999` JPY is `1999`, `1999` KWD is `1.999`. Exact (the integer
    /// scaled by the currency's ISO 4217 exponent, never through a float).
    /// Without a currency, or in one with no ISO 4217 minor unit, the
    /// scale is unknown: a problem, never a guessed two decimals.
    // Used by the adapters of vendors that send minor units.
    #[allow(dead_code)]
    pub(crate) fn minor_units(
        &self,
        field: impl Display + Copy,
        units: i64,
        currency: Option<&Currency>,
    ) -> Option<Amount> {
        let units = self.read(field, units)?;
        let Some(currency) = currency else {
            self.problem(
                field,
                Some(units.to_string()),
                "an amount in minor units without a currency: its scale is unknown",
            );
            return None;
        };
        match currency.minor_unit_exponent() {
            Some(exponent) => Some(Amount::new(
                Decimal::new(units, exponent),
                Some(currency.clone()),
            )),
            None => {
                self.problem(
                    field,
                    Some(units.to_string()),
                    format_args!(
                        "an amount in minor units of {currency}, which has no ISO 4217 minor unit: its scale is unknown"
                    ),
                );
                None
            }
        }
    }

    /// The exact sum of `amounts`, marked derived; `name(i)` is the vendor
    /// field amount `i` comes from (`tax_items[2].amount`), called only to
    /// write a problem, whose field is then those fields added
    /// (`tax_items[0].amount + tax_items[1].amount`). A problem when the
    /// amounts are in different currencies (adding them would be
    /// meaningless; the reason names the two fields) or the sum does not
    /// fit a decimal.
    pub(crate) fn sum(
        &self,
        name: impl Fn(usize) -> String,
        amounts: &[&Amount],
    ) -> Option<Amount> {
        let (first, rest) = amounts.split_first()?;
        let field = || {
            (0..amounts.len())
                .map(&name)
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let mut total = Amount::derived(first.value, first.currency.clone());
        for (i, amount) in rest.iter().enumerate() {
            if amount.currency != total.currency {
                self.problem(
                    field(),
                    operands(amounts, " + "),
                    format!(
                        "cannot add amounts in different currencies (`{}` in {}, `{}` in {})",
                        name(0),
                        currency_name(first),
                        name(i + 1),
                        currency_name(amount)
                    ),
                );
                return None;
            }
            total.value = exact_add(total.value, amount.value).or_else(|| {
                self.problem(
                    field(),
                    operands(amounts, " + "),
                    "the exact sum does not fit a decimal",
                );
                None
            })?;
        }
        Some(total)
    }

    /// The exact `minuend - subtrahend`, marked derived.
    pub(crate) fn difference(
        &self,
        field: impl Display + Copy,
        minuend: &Amount,
        subtrahend: &Amount,
    ) -> Option<Amount> {
        let both = [minuend, subtrahend];
        self.same_currency(field, &both, minuend, subtrahend, " - ")?;
        let value = exact_sub(minuend.value, subtrahend.value).or_else(|| {
            self.problem(
                field,
                operands(&both, " - "),
                "the exact difference does not fit a decimal",
            );
            None
        })?;
        Some(Amount::derived(value, minuend.currency.clone()))
    }

    /// The exact `quantity × unit`, marked derived.
    pub(crate) fn product(
        &self,
        field: impl Display + Copy,
        quantity: Decimal,
        unit: &Amount,
    ) -> Option<Amount> {
        let value = exact_mul(quantity, unit.value).or_else(|| {
            self.problem(
                field,
                Some(format!("{quantity} * {unit}")),
                "the exact product does not fit a decimal",
            );
            None
        })?;
        Some(Amount::derived(value, unit.currency.clone()))
    }

    fn same_currency(
        &self,
        field: impl Display,
        all: &[&Amount],
        a: &Amount,
        b: &Amount,
        operator: &str,
    ) -> Option<()> {
        if a.currency == b.currency {
            return Some(());
        }
        self.problem(
            field,
            operands(all, operator),
            format!(
                "cannot add amounts in different currencies ({} and {})",
                currency_name(a),
                currency_name(b)
            ),
        );
        None
    }
}

/// An amount's currency code, for a message.
fn currency_name(amount: &Amount) -> String {
    amount
        .currency
        .as_ref()
        .map_or_else(|| "no currency".to_owned(), Currency::to_string)
}

/// `1240.5000 EUR + 0.0000 USD`: the operands of a derived amount.
fn operands(amounts: &[&Amount], operator: &str) -> Option<String> {
    let text: Vec<_> = amounts.iter().map(ToString::to_string).collect();
    Some(text.join(operator))
}

/// `text` as the JSON string the vendor sent.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn currency(code: &str) -> Currency {
        Currency::new(code).unwrap()
    }

    #[test]
    fn minor_units_scale_by_the_currencys_exponent() {
        let fields = Fields::new(Vec::new(), Vec::new());
        for (units, code, expected) in [
            (1999, "EUR", "19.99"),
            (1999, "JPY", "1999"),
            (1999, "KRW", "1999"),
            (1999, "KWD", "1.999"),
            (-1999, "BHD", "-1.999"),
            (-5, "USD", "-0.05"),
            (0, "USD", "0.00"),
            (i64::MAX, "USD", "92233720368547758.07"),
        ] {
            let amount = fields
                .minor_units("amount", units, Some(&currency(code)))
                .unwrap();
            assert_eq!(amount.value.to_string(), expected, "{units} {code}");
            assert_eq!(amount.currency, Some(currency(code)));
            assert!(!amount.derived);
        }
        assert!(fields.into_problems().is_empty());
    }

    #[test]
    fn minor_units_without_a_known_scale_are_problems() {
        let fields = Fields::new(Vec::new(), Vec::new());
        assert_eq!(
            fields.minor_units("total", 100, Some(&currency("XYZ"))),
            None
        );
        assert_eq!(fields.minor_units("due", 7, None), None);
        let problems = fields.into_problems();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].field, "total");
        assert_eq!(problems[0].value.as_deref(), Some("100"));
        assert!(problems[0].reason.contains("XYZ"), "{}", problems[0].reason);
        assert_eq!(problems[1].field, "due");
        assert!(problems[1].reason.contains("without a currency"));
    }
}
