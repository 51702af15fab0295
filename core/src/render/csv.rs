//! CSV: one row per line item with every column, for procurement to filter, pivot and audit.
//!
//! Numbers are raw (no currency symbols, no thousands separators; units in the header), so a
//! spreadsheet reads them as numbers. Text cells that a spreadsheet would run as a formula —
//! starting with `=`, `+`, `-`, `@`, tab or carriage return — are neutralised with a leading
//! apostrophe (OWASP "CSV injection"); numbers are never touched.

use crate::money::{money_text, plain_text, unit_text};
use crate::quote::{ALL_CLUSTERS, Quote};

/// The header: one column per field of a line, money in the quote's currency.
pub(crate) const HEADER: &[&str] = &[
    "scenario",
    "compliant",
    "purchase_date",
    "cluster",
    "year",
    "due",
    "kind",
    "item",
    "name",
    "quantity",
    "unit_price",
    "discounts_percent",
    "amount",
    "currency",
    "rule",
    "source",
    "confidence",
    "fx_currency",
    "fx_unit_price",
    "fx_rate",
];

/// Neutralises a text cell a spreadsheet would otherwise evaluate.
pub fn safe_text(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A number stays as it is (a negative amount is data, not a formula); anything else is text.
fn numeric_or_safe(text: &str) -> String {
    if crate::money::parse_decimal(text).is_some() {
        text.to_owned()
    } else {
        safe_text(text)
    }
}

/// Renders every line of every scenario.
pub(super) fn render(q: &Quote) -> Vec<u8> {
    let mut w = super::sheet::csv_writer();
    let _ = w.write_record(HEADER.iter().map(|h| match *h {
        "unit_price" | "amount" | "fx_unit_price" => format!(
            "{h} ({})",
            if *h == "fx_unit_price" {
                "source currency"
            } else {
                q.currency.as_str()
            }
        ),
        other => other.to_owned(),
    }));
    for s in &q.scenarios {
        for l in &s.lines {
            let discounts: Vec<String> =
                l.discounts.iter().map(|d| plain_text(d.percent)).collect();
            let cluster = if l.cluster == ALL_CLUSTERS {
                "*"
            } else {
                l.cluster.as_str()
            };
            let (fx_cur, fx_unit, fx_rate) = match &l.fx {
                Some(fx) => (
                    fx.currency.clone(),
                    unit_text(fx.unit_price),
                    plain_text(fx.rate),
                ),
                None => (String::new(), String::new(), String::new()),
            };
            let record = [
                safe_text(&s.name),
                s.compliant.to_string(),
                s.purchase_date.to_string(),
                safe_text(cluster),
                l.year.to_string(),
                l.due.map(|d| d.to_string()).unwrap_or_default(),
                l.kind.word().to_owned(),
                safe_text(&l.item),
                safe_text(&l.name),
                plain_text(l.quantity),
                unit_text(l.unit_price),
                numeric_or_safe(&discounts.join(";")),
                money_text(l.amount),
                q.currency.clone(),
                safe_text(&l.rule.0),
                safe_text(&l.source.source),
                l.source.confidence.mark().to_owned(),
                fx_cur,
                fx_unit,
                fx_rate,
            ];
            let _ = w.write_record(&record);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::safe_text;

    #[test]
    fn every_dangerous_first_character_is_neutralised() {
        for bad in ["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx"] {
            assert_eq!(safe_text(bad), format!("'{bad}"));
        }
        assert_eq!(safe_text("prod"), "prod");
        assert_eq!(
            super::numeric_or_safe("-20"),
            "-20",
            "a negative number is data"
        );
        assert_eq!(
            super::numeric_or_safe("-20;50"),
            "'-20;50",
            "a list starting with - is text"
        );
        assert_eq!(safe_text(""), "");
    }
}
