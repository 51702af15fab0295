//! The JSON contract: money as strings with two decimals, fields in a fixed order.

use crate::quote::Quote;

/// Pretty JSON with a final newline; byte-identical for the same quote.
pub(super) fn render(quote: &Quote) -> Vec<u8> {
    // Serialising plain structs of strings, numbers and vectors cannot fail.
    let mut out = serde_json::to_vec_pretty(quote).unwrap_or_default();
    out.push(b'\n');
    out
}
