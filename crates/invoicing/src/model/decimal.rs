//! Exact decimal values from vendor text.
//!
//! Vendors send money as JSON numbers (kept as exact text by
//! [`invoicing_runtime::Number`]) or as decimal strings. Both are read here
//! into [`Decimal`] without passing through `f64` and without rounding: a
//! value with more digits than `Decimal` holds (28 to 29 significant
//! digits, at most 28 after the point) is an error, never a nearby value.
//!
//! Amounts this crate derives (sums, differences, products) are exact too:
//! the result has the larger scale of its operands (`12.50 + 0.0000` is
//! `12.5000`, `1.5 × 0.00` is `0.00`), more where a product needs it, and
//! fewer only by trailing zeros a `Decimal` has no room for. A result whose
//! value does not fit is `None`, never rounded. Zero is never `-0`.

use rust_decimal::Decimal;

/// Reads a decimal number written as a JSON number or a plain decimal
/// string: an optional `-`, digits, an optional fraction, and (JSON numbers
/// only, but accepted in both) an exponent `e`/`E` with optional sign.
///
/// The scale the vendor wrote is kept (`1240.5000` has four places) unless
/// it exceeds 28 places only by trailing zeros, which are then dropped; the
/// value is always the one written.
pub(crate) fn parse_exact(text: &str) -> Result<Decimal, String> {
    // The common case, a plain decimal that fits, needs no rewriting and
    // no allocation: its form is checked in one go (which rejects what
    // `from_str_exact` would accept beyond JSON's grammar, `+` and `_`).
    if is_plain(text)
        && let Ok(value) = Decimal::from_str_exact(text)
    {
        return Ok(positive_zero(value));
    }
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
        Ok(value) => Ok(positive_zero(value)),
        // Trailing zeros beyond 28 places do not change the value.
        Err(_) if frac.ends_with('0') => {
            Decimal::from_str_exact(&plain(frac.trim_end_matches('0'))).map(positive_zero)
        }
        Err(err) => Err(err),
    }
    .map_err(|err| {
        format!("{text:?} does not fit an exact decimal (at most 28-29 significant digits, 28 after the point): {err}")
    })
}

/// Whether `text` is `-?[0-9]+(\.[0-9]+)?`.
fn is_plain(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text).as_bytes();
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    match unsigned.iter().position(|&b| b == b'.') {
        Some(point) => digits(&unsigned[..point]) && digits(&unsigned[point + 1..]),
        None => digits(unsigned),
    }
}

/// `-0.00` as `0.00`: the same value, without a sign that prints as `-0`.
fn positive_zero(mut value: Decimal) -> Decimal {
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    value
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

/// `a + b`, exactly, at the larger scale of the two (`12.50 + 0.0000` is
/// `12.5000`); `None` when the exact sum does not fit a `Decimal`.
pub(crate) fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let preferred = a.scale().max(b.scale());
    // The common case, a sum that fits at the larger scale as it is: the
    // same result as below, without its 128-bit divisions.
    let at_preferred = |d: Decimal| {
        10i128
            .checked_pow(preferred - d.scale())?
            .checked_mul(d.mantissa())
    };
    if let (Some(x), Some(y)) = (at_preferred(a), at_preferred(b))
        && let Some(sum) = x.checked_add(y)
        && let Ok(sum) = Decimal::try_from_i128_with_scale(sum, preferred)
    {
        return Some(sum);
    }
    let (a, b) = (Exact::of(a), Exact::of(b));
    let scale = a.scale.max(b.scale);
    let sum = a.at_scale(scale)?.checked_add(b.at_scale(scale)?)?;
    Exact::new(sum, scale).to_decimal(preferred)
}

/// `a - b`, exactly, at the larger scale of the two; `None` when the exact
/// difference does not fit.
pub(crate) fn exact_sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    exact_add(a, -b)
}

/// `a × b`, exactly, with at least the larger scale of the two
/// (`1.5 × 0.00` is `0.00`, `2.50 × 3` is `7.50`, `1.5 × 0.1` is `0.15`);
/// `None` when the exact product does not fit.
pub(crate) fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let preferred = a.scale().max(b.scale());
    let (
        Exact {
            mantissa: mut x,
            scale: sx,
        },
        Exact {
            mantissa: mut y,
            scale: sy,
        },
    ) = (Exact::of(a), Exact::of(b));
    let mut scale = sx + sy;
    loop {
        if let Some(product) = x.checked_mul(y) {
            return Exact::new(product, scale).to_decimal(preferred);
        }
        // Over 38 digits: the product can fit a Decimal (29 digits) only if
        // it ends in zeros, so take a ten out of the factors while there is
        // scale to give: one factor's own (an integer ending in zeros), or
        // a 2 of one factor times a 5 of the other.
        if scale == 0 {
            return None;
        }
        (x, y) = match (x % 10, y % 10, x % 2, y % 2, x % 5, y % 5) {
            (0, ..) => (x / 10, y),
            (_, 0, ..) => (x, y / 10),
            (.., 0, _, _, 0) => (x / 2, y / 5),
            (_, _, _, 0, 0, _) => (x / 5, y / 2),
            _ => return None,
        };
        scale -= 1;
    }
}

/// A decimal as `mantissa / 10^scale` with a wider mantissa than
/// `Decimal`'s 96 bits, for arithmetic that is exact or fails.
///
/// Hand-written because `Decimal`'s own operators round when a result
/// needs more digits (and keep a zero operand's scale, and can give `-0`),
/// and a big-number crate would allocate for every sum; 128 bits hold any
/// sum of two rescaled mantissas that can still fit a `Decimal` (see
/// [`exact_add`]) and products are reduced first (see [`exact_mul`]).
#[derive(Clone, Copy)]
struct Exact {
    mantissa: i128,
    scale: u32,
}

impl Exact {
    /// `mantissa / 10^scale` in lowest terms: no trailing zeros, and zero
    /// (of any sign or scale) as `0 / 10^0`.
    fn new(mut mantissa: i128, mut scale: u32) -> Self {
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Self { mantissa, scale }
    }

    fn of(value: Decimal) -> Self {
        Self::new(value.mantissa(), value.scale())
    }

    /// The mantissa at a scale at least this one's, if it fits 128 bits.
    ///
    /// When it does not, the exact result cannot fit a `Decimal` either:
    /// the other operand is at `scale` in 96 bits, so the sum keeps more
    /// than 38 significant digits with a non-zero last one.
    fn at_scale(self, scale: u32) -> Option<i128> {
        10i128
            .checked_pow(scale - self.scale)?
            .checked_mul(self.mantissa)
    }

    /// As a `Decimal`, with trailing zeros up to `preferred` places where
    /// they fit (only zeros: the value is never changed), or `None` when
    /// the value itself needs more than a `Decimal` holds.
    fn to_decimal(self, preferred: u32) -> Option<Decimal> {
        let Self {
            mut mantissa,
            mut scale,
        } = self;
        while scale < preferred {
            match mantissa.checked_mul(10) {
                Some(next) if Decimal::try_from_i128_with_scale(next, scale + 1).is_ok() => {
                    mantissa = next;
                    scale += 1;
                }
                _ => break,
            }
        }
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()
    }
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
        assert_eq!(exact_mul(d("2.50"), d("3")).unwrap().to_string(), "7.50");
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
    fn zero_operands_keep_the_larger_scale_and_never_give_minus_zero() {
        let d = |text: &str| Decimal::from_str(text).unwrap();
        let text = |value: Option<Decimal>| value.unwrap().to_string();
        assert_eq!(text(exact_add(d("12.50"), d("0.0000"))), "12.5000");
        assert_eq!(text(exact_add(d("0.00"), d("46.3"))), "46.30");
        assert_eq!(text(exact_sub(d("1.5"), d("0.00"))), "1.50");
        assert_eq!(text(exact_mul(d("1.5"), d("0.00"))), "0.00");
        assert_eq!(text(exact_sub(d("0"), d("0"))), "0");
        assert_eq!(text(exact_sub(d("0.00"), d("0.0"))), "0.00");
        assert_eq!(text(exact_mul(d("-1.5"), d("0"))), "0.0");
        assert_eq!(text(exact_add(d("-1.25"), d("1.25"))), "0.00");
        assert_eq!(exact(r#"-0.00"#), "0.00");
        assert_eq!(exact("-0e5"), "0");
        // A value that fits, but not with every place the operands had.
        assert_eq!(exact_add(Decimal::MAX, d("0.0000")), Some(Decimal::MAX));
        // Tens taken out of factors whose 128-bit product would overflow.
        assert_eq!(
            text(exact_mul(
                d("3800000000000000"),
                d("-11602210086055.181223959600840")
            )),
            "-44088398327009688651046483192"
        );
        assert_eq!(
            text(exact_mul(
                d("1.152921504606846976"),
                d("9.31322574615478515625")
            )),
            "10.73741824000000000000"
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

    /// Exact arithmetic against an independent big-decimal computation.
    mod property {
        use std::str::FromStr;

        use bigdecimal::BigDecimal;
        use bigdecimal::num_bigint::BigInt;
        use proptest::prelude::*;
        use rust_decimal::Decimal;

        use super::super::{exact_add, exact_mul, exact_sub};

        /// The largest mantissa a `Decimal` holds, 2^96 - 1.
        const MAX_MANTISSA: i128 = (1 << 96) - 1;

        /// Decimals of every scale: zeros (both signs), small values,
        /// values ending in zeros, any 96-bit mantissa, and the largest.
        fn decimal() -> impl Strategy<Value = Decimal> {
            let mantissa = prop_oneof![
                Just(0i128),
                -10_000i128..10_000,
                (1i128..1000, 0u32..26).prop_map(|(m, zeros)| m * 10i128.pow(zeros)),
                -MAX_MANTISSA..=MAX_MANTISSA,
                (0i128..1000).prop_map(|below| MAX_MANTISSA - below),
            ];
            (mantissa, 0u32..=28, any::<bool>()).prop_map(|(mantissa, scale, negate)| {
                let value = Decimal::from_i128_with_scale(mantissa, scale);
                if negate { -value } else { value }
            })
        }

        fn big(value: Decimal) -> BigDecimal {
            BigDecimal::from_str(&value.to_string()).unwrap()
        }

        /// What an exact result must be: `exact` at the larger operand
        /// scale `preferred` (or more places where the value needs them),
        /// with fewer only by trailing zeros that do not fit; `None` when
        /// the value itself does not fit a `Decimal`.
        fn expected(exact: &BigDecimal, preferred: u32) -> Option<(BigDecimal, u32)> {
            let minimal = exact.normalized().fractional_digit_count().max(0) as u32;
            let limit = BigInt::from(MAX_MANTISSA);
            (minimal..=minimal.max(preferred).min(28))
                .rev()
                .find(|&scale| {
                    let (digits, _) = exact
                        .with_scale(i64::from(scale))
                        .into_bigint_and_exponent();
                    digits <= limit && -digits <= limit
                })
                .map(|scale| (exact.clone(), scale))
        }

        fn check(
            result: Option<Decimal>,
            exact: BigDecimal,
            preferred: u32,
        ) -> Result<(), TestCaseError> {
            let want = expected(&exact, preferred);
            let got = result.map(|value| {
                prop_assert!(
                    !(value.is_zero() && value.is_sign_negative()),
                    "-0 from exact {exact}"
                );
                Ok((big(value), value.scale()))
            });
            let got = got.transpose()?;
            prop_assert_eq!(got, want, "exact value {}", exact);
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn sums_are_exact_or_none(a in decimal(), b in decimal()) {
                check(exact_add(a, b), big(a) + big(b), a.scale().max(b.scale()))?;
            }

            #[test]
            fn differences_are_exact_or_none(a in decimal(), b in decimal()) {
                check(exact_sub(a, b), big(a) - big(b), a.scale().max(b.scale()))?;
            }

            #[test]
            fn products_are_exact_or_none(a in decimal(), b in decimal()) {
                check(exact_mul(a, b), big(a) * big(b), a.scale().max(b.scale()))?;
            }
        }
    }
}
