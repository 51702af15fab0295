//! JSON: pretty, with a final newline, fields in declaration order, money as strings (see
//! `money::ser`). One writer for the quote contract and every command's result.

use serde::Serialize;

use crate::quote::Quote;

/// Pretty JSON with a final newline; byte-identical for the same value.
pub(crate) fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain structs of strings, numbers and vectors cannot fail.
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The quote contract.
pub(super) fn render(quote: &Quote) -> Vec<u8> {
    pretty(quote)
}
