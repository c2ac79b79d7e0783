//! Vendor fields to model values, each failure naming provider, invoice and
//! field.

use std::fmt::Display;

use invoicing_runtime::Number;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::decimal::{exact_add, exact_mul, exact_sub, parse_exact};
use crate::model::{Amount, Currency, Provider};

/// Converts the fields of one invoice.
pub(crate) struct Fields<'a> {
    provider: Provider,
    invoice_id: &'a str,
}

impl<'a> Fields<'a> {
    /// For the invoice `invoice_id` of `provider`.
    pub(crate) fn new(provider: Provider, invoice_id: &'a str) -> Self {
        Self {
            provider,
            invoice_id,
        }
    }

    /// An error about `field` of this invoice.
    ///
    /// Field names are `impl Display` throughout (often `format_args!`), so
    /// a name like `lineItems[3].quantity` is only written out when there is
    /// an error to report, not for every value read.
    pub(crate) fn error(&self, field: impl Display, detail: impl Display) -> Error {
        Error::Field {
            provider: self.provider,
            invoice_id: self.invoice_id.to_owned(),
            field: field.to_string(),
            detail: detail.to_string(),
        }
    }

    /// A decimal string (`"1240.5000"`), exactly.
    pub(crate) fn decimal(&self, field: impl Display + Copy, text: &str) -> Result<Decimal> {
        parse_exact(text).map_err(|detail| self.error(field, detail))
    }

    /// A JSON number as received, exactly.
    pub(crate) fn number(&self, field: impl Display + Copy, number: &Number) -> Result<Decimal> {
        self.decimal(field, number.as_str())
    }

    /// A currency code, checked.
    pub(crate) fn currency(&self, field: impl Display + Copy, code: &str) -> Result<Currency> {
        Currency::new(code).map_err(|detail| self.error(field, detail))
    }

    /// An optional JSON number amount in `currency`.
    pub(crate) fn amount(
        &self,
        field: impl Display + Copy,
        number: Option<&Number>,
        currency: Option<&Currency>,
    ) -> Result<Option<Amount>> {
        number
            .map(|number| Ok(Amount::new(self.number(field, number)?, currency.cloned())))
            .transpose()
    }

    /// A decimal-string amount with its currency code, as Sendcloud v3 and
    /// Coinbase send them (`{"value": "1240.5000", "currency": "EUR"}`).
    pub(crate) fn money(
        &self,
        field: impl Display + Copy,
        value: &str,
        currency: &str,
    ) -> Result<Amount> {
        Ok(Amount::new(
            self.decimal(format_args!("{field}.value"), value)?,
            Some(self.currency(format_args!("{field}.currency"), currency)?),
        ))
    }

    /// The exact sum of `amounts`, marked derived; `field` says what was
    /// added, e.g. `price_taxable + tax`.
    ///
    /// # Errors
    /// When the amounts are in different currencies (adding them would be
    /// meaningless) or the sum does not fit a decimal.
    pub(crate) fn sum<'b>(
        &self,
        field: impl Display + Copy,
        amounts: impl IntoIterator<Item = &'b Amount>,
    ) -> Result<Amount> {
        let mut amounts = amounts.into_iter();
        let first = amounts
            .next()
            .ok_or_else(|| self.error(field, "nothing to add"))?;
        let mut total = Amount::derived(first.value, first.currency.clone());
        for amount in amounts {
            self.same_currency(field, &total, amount)?;
            total.value = exact_add(total.value, amount.value)
                .ok_or_else(|| self.error(field, "the exact sum does not fit a decimal"))?;
        }
        Ok(total)
    }

    /// The exact `minuend - subtrahend`, marked derived.
    pub(crate) fn difference(
        &self,
        field: impl Display + Copy,
        minuend: &Amount,
        subtrahend: &Amount,
    ) -> Result<Amount> {
        self.same_currency(field, minuend, subtrahend)?;
        let value = exact_sub(minuend.value, subtrahend.value)
            .ok_or_else(|| self.error(field, "the exact difference does not fit a decimal"))?;
        Ok(Amount::derived(value, minuend.currency.clone()))
    }

    /// The exact `quantity × unit`, marked derived.
    pub(crate) fn product(
        &self,
        field: impl Display + Copy,
        quantity: Decimal,
        unit: &Amount,
    ) -> Result<Amount> {
        let value = exact_mul(quantity, unit.value)
            .ok_or_else(|| self.error(field, "the exact product does not fit a decimal"))?;
        Ok(Amount::derived(value, unit.currency.clone()))
    }

    fn same_currency(&self, field: impl Display + Copy, a: &Amount, b: &Amount) -> Result<()> {
        if a.currency == b.currency {
            return Ok(());
        }
        let name = |amount: &Amount| {
            amount
                .currency
                .as_ref()
                .map_or_else(|| "no currency".to_owned(), Currency::to_string)
        };
        Err(self.error(
            field,
            format!(
                "cannot add amounts in different currencies ({} and {})",
                name(a),
                name(b)
            ),
        ))
    }
}
