//! Money: exact decimal amounts, the one rounding rule, and how money is written.
//!
//! Every amount is a [`Decimal`]; no float ever touches money. A line item is rounded once,
//! by [`round_line`], to cents, half away from zero; totals are sums of rounded lines, so any
//! spreadsheet that adds the lines reconciles to the cent.

use rust_decimal::{Decimal, RoundingStrategy};

/// The largest amount a declared money input or a pricebook price may state: a billion of
/// the currency, well beyond any real price, so that the engine's intermediate products of
/// inputs (price × exchange rate × escalation, watts × PUE × price per kWh × hours) stay far
/// inside `Decimal`'s 7.9 × 10^28.
pub const AMOUNT_MAX: u32 = 1_000_000_000;

/// The largest amount one line may come to (10^20). A quote has far fewer than 10^8 lines
/// (each is hundreds of bytes), so no sum of lines, years or scenarios can overflow.
pub const LINE_MAX: Decimal = Decimal::from_parts(1_661_992_960, 1_808_227_885, 5, false, 0);

/// A line's amount, quantity × unit price × factor rounded once, or `None` when it would
/// exceed [`LINE_MAX`] (or a `Decimal`): the engine reports that line as out of range rather
/// than pricing a wrapped or clamped number.
pub fn line_amount(quantity: Decimal, unit_price: Decimal, factor: Decimal) -> Option<Decimal> {
    quantity
        .checked_mul(unit_price)
        .and_then(|a| factored_amount(a, factor))
}

/// [`line_amount`] from quantity × unit price already multiplied (the compiled evaluator
/// keeps it for lines whose quantity and price do not change).
pub fn factored_amount(quantity_times_unit: Decimal, factor: Decimal) -> Option<Decimal> {
    // The common case in integers: both mantissas within 64 bits and their exact product
    // within a decimal's 96 bits and 28 places, where `Decimal`'s own product is exact too.
    let (a, b) = (quantity_times_unit, factor);
    if let (Ok(x), Ok(y)) = (
        u64::try_from(a.mantissa().unsigned_abs()),
        u64::try_from(b.mantissa().unsigned_abs()),
    ) {
        let product = u128::from(x) * u128::from(y);
        let scale = a.scale() + b.scale();
        if scale <= MAX_SCALE && product < 1 << 96 {
            let (cents, within) = whole_cents(product, scale);
            let negative = a.is_sign_negative() != b.is_sign_negative();
            return within.then(|| cents_amount(cents, negative));
        }
    }
    let amount = a.checked_mul(b)?;
    if amount.scale() <= 2 {
        return (amount.abs() <= LINE_MAX).then(|| round_line(amount));
    }
    let (cents, within) = whole_cents(amount.mantissa().unsigned_abs(), amount.scale());
    within.then(|| cents_amount(cents, amount.is_sign_negative()))
}

/// The most decimal places a `Decimal` holds.
const MAX_SCALE: u32 = 28;

/// The largest line in whole cents (`LINE_MAX` × 100).
const LINE_MAX_CENTS: u128 = 10_000_000_000_000_000_000_000;

/// 10^0 ..= 10^28.
const POW10: [u128; 29] = {
    let mut t = [1u128; 29];
    let mut i = 1;
    while i < t.len() {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// The magnitude `abs` × 10^−`scale` (`abs` < 2^96, `scale` ≤ 28) in whole cents, rounded
/// half away from zero as [`round_line`] rounds, and whether it is within [`LINE_MAX`]
/// before rounding. Integer arithmetic on the mantissa: the same answer as `Decimal`'s own
/// rounding and comparison (tested against them) at a fraction of their cost, because every
/// line of every what-if point passes here.
fn whole_cents(abs: u128, scale: u32) -> (u128, bool) {
    let Some(down) = scale.checked_sub(2) else {
        // Up to 2 places: exact cents (< 2^96 × 100, no overflow).
        let cents = abs * POW10[(2 - scale) as usize];
        return (cents, cents <= LINE_MAX_CENTS);
    };
    let divisor = POW10[down as usize];
    let (q, r) = match (u64::try_from(abs), u64::try_from(divisor)) {
        (Ok(a), Ok(d)) => (u128::from(a / d), u128::from(a % d)),
        _ => (abs / divisor, abs % divisor),
    };
    // abs × 10^−scale = (q + r / divisor) / 100 ≤ 10^20 exactly when q < 10^22, or q = 10^22
    // and r = 0.
    let within = q < LINE_MAX_CENTS || (q == LINE_MAX_CENTS && r == 0);
    (q + u128::from(r >= divisor - r), within)
}

/// A decimal of `cents` hundredths, `cents` < 2^96 (scale 2; zero is never negative).
fn cents_amount(cents: u128, negative: bool) -> Decimal {
    let cents = cents as i128;
    Decimal::from_i128_with_scale(if negative { -cents } else { cents }, 2)
}

/// One discount step's factor, `1 − percent / 100`.
pub fn step_factor(percent: Decimal) -> Decimal {
    Decimal::ONE - percent / Decimal::ONE_HUNDRED
}

/// Rounds a line amount to cents, half away from zero. The only rounding in the engine.
pub fn round_line(amount: Decimal) -> Decimal {
    if amount.scale() > 2 {
        let (cents, _) = whole_cents(amount.mantissa().unsigned_abs(), amount.scale());
        return cents_amount(cents, amount.is_sign_negative());
    }
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        rounded = Decimal::ZERO; // no "-0.00"
    }
    rounded.rescale(2);
    rounded
}

/// Money as text with exactly two decimals and no grouping: `"69900.00"` (the JSON form).
pub fn money_text(amount: Decimal) -> String {
    let mut a = round_line(amount);
    a.rescale(2);
    a.to_string()
}

/// A unit price as text: at least two decimals, more only when the price has them
/// (`"873.75"`, `"601.125"`), so a reader can redo `quantity × unit price` exactly.
pub fn unit_text(amount: Decimal) -> String {
    let mut a = amount.normalize();
    if a.scale() < 2 {
        a.rescale(2);
    }
    if a.is_zero() {
        return "0.00".to_owned();
    }
    a.to_string()
}

/// A plain decimal as short text (`"16"`, `"2.5"`): quantities and percentages.
pub fn plain_text(value: Decimal) -> String {
    let v = value.normalize();
    if v.is_zero() {
        "0".to_owned()
    } else {
        v.to_string()
    }
}

/// Money for people: thousands separators and two decimals (`"69,900.00"`).
pub fn grouped(amount: Decimal) -> String {
    group_digits(&money_text(amount))
}

/// A whole count for people: thousands separators, no decimals (`"100,000,000"`).
pub fn grouped_int(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A unit price for people: grouped, at least two decimals.
pub fn grouped_unit(amount: Decimal) -> String {
    group_digits(&unit_text(amount))
}

fn group_digits(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// Reads a decimal exactly from its text: `"7097.00"`, `"0.1"`, `"1_000"`, `"2.5e3"`.
/// A TOML float is passed here as its source text, so `0.1` is exactly 0.1.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
    let cleaned = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.contains(['e', 'E']) {
        return Decimal::from_scientific(cleaned).ok();
    }
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    cleaned.parse::<Decimal>().ok()
}

/// `Π (1 − percent/100)` over the discounts: the factor a line's list amount is multiplied by.
pub fn discount_factor<'a>(percents: impl IntoIterator<Item = &'a Decimal>) -> Decimal {
    percents
        .into_iter()
        .fold(Decimal::ONE, |f, p| f * step_factor(*p))
}

/// Serde forms of decimals in every JSON output: money always as a string with two decimals,
/// unit prices with the decimals they have, plain decimals short. One place, so every
/// result writes numbers the same way.
pub(crate) mod ser {
    use rust_decimal::Decimal;

    use super::{money_text, plain_text, unit_text};

    /// Money as a string with two decimals.
    pub(crate) fn money<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money_text(*d))
    }

    /// A list of money amounts, each a string with two decimals.
    pub(crate) fn money_list<S: serde::Serializer>(d: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(|d| money_text(*d)))
    }

    /// Optional money.
    pub(crate) fn opt_money<S: serde::Serializer>(
        d: &Option<Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&money_text(*d)),
            None => s.serialize_none(),
        }
    }

    /// A unit price: at least two decimals, more when it has them.
    pub(crate) fn unit<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&unit_text(*d))
    }

    /// A plain decimal as short text.
    pub(crate) fn plain<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&plain_text(*d))
    }

    /// An optional plain decimal.
    pub(crate) fn opt_plain<S: serde::Serializer>(
        d: &Option<Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&plain_text(*d)),
            None => s.serialize_none(),
        }
    }

    /// Plain decimals.
    pub(crate) fn plains<S: serde::Serializer>(d: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(|x| plain_text(*x)))
    }
}

/// The JSON Schemas of the decimal texts above (`ser`): how each kind of decimal is written
/// in the quote JSON. They live beside the writers so the quote needs no `schema` import.
#[cfg(feature = "schema")]
pub(crate) mod text_schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    /// An amount of money in the quote's currency, as a string with exactly two decimals and no
    /// grouping (`"69900.00"`, `"-992.00"`): rounded once per line, to cents, half away from zero.
    pub(crate) struct Money;

    impl JsonSchema for Money {
        fn schema_name() -> Cow<'static, str> {
            "Money".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "An amount of money in the quote's currency, as a string with exactly two decimals and no grouping (\"69900.00\"): lines are rounded once, to cents, half away from zero, and totals are sums of lines.",
                "type": "string",
                "pattern": r"^-?[0-9]+\.[0-9]{2}$",
            })
        }
    }

    /// A unit price as a string with at least two decimals, more only when the price has them.
    pub(crate) struct UnitPrice;

    impl JsonSchema for UnitPrice {
        fn schema_name() -> Cow<'static, str> {
            "UnitPrice".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A price per unit as a string with at least two decimals, more only when the price has them (\"873.75\", \"601.125\"), so quantity × unit price can be redone exactly.",
                "type": "string",
                "pattern": r"^-?[0-9]+\.[0-9]{2,}$",
            })
        }
    }

    /// A plain decimal as short text: quantities, percentages, exchange rates.
    pub(crate) struct Plain;

    impl JsonSchema for Plain {
        fn schema_name() -> Cow<'static, str> {
            "PlainDecimal".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "An exact decimal as short text without trailing zeros (\"16\", \"2.5\"): quantities, percentages, exchange rates.",
                "type": "string",
                "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero_once() {
        assert_eq!(money_text(d("601.125")), "601.13");
        assert_eq!(money_text(d("-601.125")), "-601.13");
        assert_eq!(money_text(d("0.004")), "0.00");
        assert_eq!(money_text(d("-0.004")), "0.00", "never -0.00");
        assert_eq!(money_text(d("69900")), "69900.00");
    }

    #[test]
    fn unit_prices_keep_their_precision() {
        assert_eq!(unit_text(d("873.75")), "873.75");
        assert_eq!(unit_text(d("601.1250")), "601.125");
        assert_eq!(unit_text(d("695")), "695.00");
        assert_eq!(grouped_unit(d("2404.5")), "2,404.50");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(d("1234567.5")), "1,234,567.50");
        assert_eq!(grouped(d("-999.99")), "-999.99");
        assert_eq!(grouped(d("100000")), "100,000.00");
    }

    #[test]
    fn parses_exactly_from_text() {
        assert_eq!(d("0.1") + d("0.2"), d("0.3"));
        assert_eq!(d("1_000"), d("1000"));
        assert_eq!(d("2.5e3"), d("2500"));
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("nan"), None);
        assert_eq!(parse_decimal("inf"), None);
    }

    #[test]
    fn two_ten_percent_discounts_give_nineteen() {
        let f = discount_factor(&[d("10"), d("10")]);
        assert_eq!(f, d("0.81"));
    }

    /// What [`round_line`] and [`factored_amount`] computed before their integer path: the
    /// reference they are checked against.
    fn reference(amount: Decimal) -> (Decimal, bool) {
        let mut r = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        if r.is_zero() {
            r = Decimal::ZERO;
        }
        r.rescale(2);
        (r, amount.abs() <= LINE_MAX)
    }

    fn same(amount: Decimal) {
        let (r, within) = reference(amount);
        let got = round_line(amount);
        assert_eq!(got, r, "{amount}");
        assert_eq!(got.serialize(), r.serialize(), "{amount}");
        assert_eq!(
            factored_amount(amount, Decimal::ONE),
            within.then_some(r),
            "{amount}"
        );
    }

    #[test]
    fn integer_rounding_matches_decimal_rounding_at_the_edges() {
        for s in [
            "0.005",
            "-0.005",
            "0.0049999",
            "-0.0049999",
            "0.015",
            "2.675",
            "-2.675",
            "0.001",
            "-0.001",
            "100000000000000000000",
            "100000000000000000000.001",
            "-100000000000000000000.004",
            "99999999999999999999.995",
            "100000000000000000000.00",
            "0.0000000000000000000000000005",
            "79228162514264337593543950335",
            "-7922816251426433759354395.0335",
            "7.9228162514264337593543950335",
        ] {
            same(d(s));
        }
    }

    /// Some decimals: a mantissa of 0 to 96 bits (`bits` wide), a sign and a scale.
    fn decimal(bits: u32, m: u128, negative: bool, scale: u32) -> Decimal {
        let m = if bits >= 96 {
            m & ((1 << 96) - 1)
        } else {
            m & ((1 << bits) - 1)
        };
        let m = if negative { -(m as i128) } else { m as i128 };
        Decimal::from_i128_with_scale(m, scale)
    }

    proptest::proptest! {
        #[test]
        fn integer_products_match_decimal_products(
            (b1, m1, n1, s1) in (0u32..=96, proptest::num::u128::ANY, proptest::bool::ANY, 0u32..=28),
            (b2, m2, n2, s2) in (0u32..=96, proptest::num::u128::ANY, proptest::bool::ANY, 0u32..=28),
        ) {
            let (a, b) = (decimal(b1, m1, n1, s1), decimal(b2, m2, n2, s2));
            let want = a.checked_mul(b).and_then(|p| {
                let (r, within) = reference(p);
                within.then_some(r)
            });
            let got = factored_amount(a, b);
            proptest::prop_assert_eq!(got, want, "{} × {}", a, b);
            if let (Some(g), Some(w)) = (got, want) {
                proptest::prop_assert_eq!(g.serialize(), w.serialize(), "{} × {}", a, b);
            }
        }

        #[test]
        fn integer_rounding_matches_decimal_rounding(
            lo: u32, mid: u32, hi in 0u32..=u32::MAX, negative: bool, scale in 0u32..=28,
            small: bool,
        ) {
            let (mid, hi) = if small { (mid % 4, 0) } else { (mid, hi) };
            same(Decimal::from_parts(lo, mid, hi, negative, scale));
        }
    }
}
