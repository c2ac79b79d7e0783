//! Exact decimal values from vendor text.
//!
//! Vendors send money as JSON numbers (kept as exact text by
//! [`invoicing_runtime::Number`]) or as decimal strings. Both are read here
//! into [`Decimal`] without passing through `f64` and without rounding: a
//! value with more digits than `Decimal` holds (28 to 29 significant
//! digits, at most 28 after the point) is an error, never a nearby value.

use rust_decimal::Decimal;

/// Reads a decimal number written as a JSON number or a plain decimal
/// string: an optional `-`, digits, an optional fraction, and (JSON numbers
/// only, but accepted in both) an exponent `e`/`E` with optional sign.
///
/// The scale the vendor wrote is kept (`1240.5000` has four places) unless
/// it exceeds 28 places only by trailing zeros, which are then dropped; the
/// value is always the one written.
pub(crate) fn parse_exact(text: &str) -> Result<Decimal, String> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (negative, unsigned) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || !digits_only(int)
        || !digits_only(frac)
        || (unsigned.contains('.') && frac.is_empty())
    {
        return Err(format!("{text:?} is not a decimal number"));
    }
    // The common case, a plain decimal that fits, needs no rewriting (and
    // no allocation): the checks above already rejected what
    // `from_str_exact` would accept beyond JSON's grammar (`+`, `_`).
    if exponent.is_none()
        && let Ok(value) = Decimal::from_str_exact(text)
    {
        return Ok(value);
    }
    let (int, frac) = match exponent {
        None => (int.to_owned(), frac.to_owned()),
        Some(exponent) => shift(int, frac, exponent)
            .ok_or_else(|| format!("{text:?} has an exponent out of range"))?,
    };
    let sign = if negative { "-" } else { "" };
    let plain = |frac: &str| {
        if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    };
    match Decimal::from_str_exact(&plain(&frac)) {
        Ok(value) => Ok(value),
        // Trailing zeros beyond 28 places do not change the value.
        Err(_) if frac.ends_with('0') => Decimal::from_str_exact(&plain(frac.trim_end_matches('0'))),
        Err(err) => Err(err),
    }
    .map_err(|err| {
        format!("{text:?} does not fit an exact decimal (at most 28-29 significant digits, 28 after the point): {err}")
    })
}

/// Moves the decimal point of `int.frac` by `exponent` places, giving the
/// plain digits before and after the point; `None` for an exponent that is
/// not a number or is so large no decimal could hold the result anyway.
fn shift(int: &str, frac: &str, exponent: &str) -> Option<(String, String)> {
    let unsigned = exponent.strip_prefix('+').unwrap_or(exponent);
    if unsigned.is_empty()
        || !unsigned
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let exponent: i64 = unsigned.parse().ok()?;
    let digits: String = [int, frac].concat();
    if digits.bytes().all(|b| b == b'0') {
        return Some(("0".to_owned(), String::new()));
    }
    // Past this, even the shortest digits overflow or underflow Decimal;
    // the cap keeps a hostile `1e999999999` from allocating gigabytes.
    if exponent.unsigned_abs() > 64 + digits.len() as u64 {
        return None;
    }
    let point = int.len() as i64 + exponent;
    let (int, frac) = if point <= 0 {
        (
            "0".to_owned(),
            "0".repeat(point.unsigned_abs() as usize) + &digits,
        )
    } else if point as usize >= digits.len() {
        (
            digits.clone() + &"0".repeat(point as usize - digits.len()),
            String::new(),
        )
    } else {
        let (int, frac) = digits.split_at(point as usize);
        (int.to_owned(), frac.to_owned())
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some((int.to_owned(), frac))
}

/// `a + b`, or `None` when the exact sum does not fit (never rounded).
pub(crate) fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    // On overflow rust_decimal may give up fraction digits instead of
    // failing; the exact sum always has the larger of the two scales.
    (sum.scale() == a.scale().max(b.scale())).then_some(sum)
}

/// `a - b`, or `None` when the exact difference does not fit.
pub(crate) fn exact_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    exact_add(a, -b)
}

/// `a × b`, or `None` when the exact product does not fit.
pub(crate) fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    // Trailing zeros add scale without value; dropping them first lets
    // more exact products fit in 28 places.
    let (a, b) = (a.normalize(), b.normalize());
    let scale = a.scale() + b.scale();
    if scale > 28 {
        return None;
    }
    let product = a.checked_mul(b)?;
    (product.scale() == scale).then_some(product)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn exact(text: &str) -> String {
        parse_exact(text).unwrap().to_string()
    }

    #[test]
    fn keeps_every_digit_and_the_vendor_scale() {
        assert_eq!(exact("675.65"), "675.65");
        assert_eq!(exact("0.1"), "0.1");
        assert_eq!(exact("1240.5000"), "1240.5000");
        assert_eq!(exact("-0.01"), "-0.01");
        assert_eq!(exact("0"), "0");
        assert_eq!(
            exact("123456789012345678901234.5678"),
            "123456789012345678901234.5678"
        );
        assert_eq!(
            exact("79228162514264337593543950335"),
            "79228162514264337593543950335"
        );
    }

    #[test]
    fn reads_exponents_exactly() {
        assert_eq!(exact("1e-7"), "0.0000001");
        assert_eq!(exact("1E+2"), "100");
        assert_eq!(exact("-1.25e1"), "-12.5");
        assert_eq!(exact("12.5e-1"), "1.25");
        assert_eq!(exact("1000e-30"), "0.000000000000000000000000001");
        assert_eq!(exact("0e999999"), "0");
        let err = parse_exact("1.2345678901234567890123456789012e5").unwrap_err();
        assert!(err.contains("does not fit"), "{err}");
    }

    #[test]
    fn refuses_to_round() {
        for text in [
            "79228162514264337593543950336",
            "123456789012345678901234567890.5",
            "0.00000000000000000000000000001",
            "1e29",
            "1e-29",
            "1e999999999",
        ] {
            let err = parse_exact(text).unwrap_err();
            assert!(
                err.contains("does not fit") || err.contains("out of range"),
                "{text}: {err}"
            );
        }
        // Zeros past 28 places are not precision.
        assert_eq!(
            parse_exact("0.10000000000000000000000000000000").unwrap(),
            Decimal::from_str("0.1").unwrap()
        );
    }

    #[test]
    fn arithmetic_is_exact_or_nothing() {
        let d = |text: &str| Decimal::from_str(text).unwrap();
        assert_eq!(exact_add(d("0.1"), d("0.2")), Some(d("0.3")));
        assert_eq!(
            exact_add(d("1240.5000"), d("0.25")).unwrap().to_string(),
            "1240.7500"
        );
        assert_eq!(
            exact_sub(d("121.00"), d("100.00")).unwrap().to_string(),
            "21.00"
        );
        assert_eq!(exact_mul(d("2.50"), d("3")).unwrap(), d("7.5"));
        assert_eq!(exact_mul(d("1.5"), d("-0.1")), Some(d("-0.15")));
        // The exact results below need more digits than Decimal has.
        assert_eq!(exact_add(Decimal::MAX, d("0.5")), None);
        assert_eq!(
            exact_add(d("79228162514264337593543950.335"), d("0.0001")),
            None
        );
        assert_eq!(exact_mul(Decimal::MAX, d("2")), None);
        assert_eq!(
            exact_mul(d("0.00000000000000000000000001"), d("0.001")),
            None
        );
        assert_eq!(
            exact_mul(d("1.0000000000001"), d("1.0000000000001"))
                .unwrap()
                .to_string(),
            "1.00000000000020000000000001"
        );
        assert_eq!(
            exact_mul(
                d("11111111111111.11111111111111"),
                d("11111111111111.11111111111111")
            ),
            None
        );
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for text in [
            "", "-", "1.", ".5", "1,5", "1_000", " 1", "+1", "NaN", "1e", "1e+", "0x10",
        ] {
            assert!(parse_exact(text).is_err(), "{text:?}");
        }
    }
}
