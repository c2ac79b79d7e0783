//! A vendor field that could not be put into the model.

use std::fmt;

/// One field of a vendor's invoice that this crate could not map, and why.
///
/// The invoice still comes through, with the model field that would have
/// held the value left empty (`None`), never filled with a guess; its
/// [`Invoice::problems`](crate::Invoice::problems) lists one of these per
/// field, and [`Invoice::raw`](crate::Invoice::raw) still has the vendor's
/// JSON. See the crate docs for the kinds of problem.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FieldProblem {
    /// The vendor's field as a path in its invoice JSON
    /// (`created_at`, `items[2].quantity`, `tax.currency`), or for an
    /// amount this crate derives, the vendor fields it is derived from,
    /// joined by the operation (`price_incl - price_excl`,
    /// `tax_items[0].amount + tax_items[1].amount`).
    pub field: String,
    /// The vendor's value: the field's JSON as received (cut after
    /// about 1 KiB), or for a derived amount its operands. `None` when the
    /// vendor sent no value for a field its spec requires.
    pub value: Option<String>,
    /// Why the value could not be used.
    pub reason: String,
}

impl fmt::Display for FieldProblem {
    /// `` `created_at` = "13/03/2024": input contains invalid characters ``
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "`{}` = {value}: {}", self.field, self.reason),
            None => write!(f, "`{}`: {}", self.field, self.reason),
        }
    }
}
