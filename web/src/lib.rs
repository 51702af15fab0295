//! hypercost in the browser: `hypercost-core` compiled to WebAssembly.
//!
//! A thin shell, like the CLI: [`api`] holds the calls as plain Rust (tested natively against
//! the CLI), and this file only exports them to JavaScript. Values cross the boundary as
//! strings (JSON) and bytes, so the page needs no generated types and the JSON is the CLI's.

pub mod api;

use wasm_bindgen::prelude::wasm_bindgen;

/// The embedded example estate (TOML text).
#[wasm_bindgen]
pub fn example() -> String {
    api::example()
}

/// The engine's name and version.
#[wasm_bindgen]
pub fn engine() -> String {
    api::engine()
}

/// The declaration of every estate number the form edits (key, label, unit, bounds, …).
#[wasm_bindgen]
pub fn fields() -> String {
    api::fields()
}

/// Quotes estate text: the page's JSON envelope (see [`api::evaluate`]).
#[wasm_bindgen]
pub fn evaluate(text: &str, baseline: &str) -> String {
    api::evaluate(text, baseline)
}

/// The estate in one of the CLI's formats, as bytes; an error message otherwise. (`export`
/// is a JavaScript keyword, so the page calls it `render`.)
#[wasm_bindgen(js_name = render)]
pub fn export(text: &str, format: &str) -> Result<Vec<u8>, String> {
    api::export(text, format)
}

/// `hypercost cheapest --format json` of the estate.
#[wasm_bindgen]
pub fn cheapest(text: &str) -> String {
    api::cheapest(text)
}

/// `hypercost explain --scenario NAME` as text or JSON.
#[wasm_bindgen]
pub fn explain(text: &str, scenario: &str, format: &str) -> Result<String, String> {
    api::explain(text, scenario, format)
}

/// The editions, support plans and add-ons on sale at a date, and the needs vocabulary.
#[wasm_bindgen]
pub fn catalogue(date: &str) -> String {
    api::catalogue(date)
}

/// A structural change of the estate text (see [`api::restructure`]).
#[wasm_bindgen]
pub fn restructure(text: &str, change: &str) -> String {
    api::restructure(text, change)
}

/// Applies the form's edits (a JSON array) to the estate text, keeping comments and layout.
#[wasm_bindgen]
pub fn edit(text: &str, edits: &str) -> String {
    api::edit(text, edits)
}

/// Imports an inventory (RVTools workbook or tab CSVs, per-host CSV, cluster CSV) into estate
/// text; `files` names the consecutive parts of `bytes` (see [`api::import_inventory`]).
#[wasm_bindgen]
pub fn import_inventory(kind: &str, files: &str, bytes: &[u8], date: &str, fx: &str) -> String {
    api::import_inventory(kind, files, bytes, date, fx)
}

/// `hypercost quote --ranges` of the estate text: the report's ranking and charts with each
/// total's P10–P90, and the uncertainty JSON (see [`api::ranges`]). In the full module only:
/// the page fetches it when asked to show ranges.
#[cfg(feature = "ranges")]
#[wasm_bindgen]
pub fn ranges(text: &str) -> String {
    api::ranges(text)
}

/// `hypercost sweep --vary SPEC --format json` of the estate text, or what is valid.
#[wasm_bindgen]
pub fn sweep(text: &str, spec: &str) -> String {
    api::sweep(text, spec)
}

/// `hypercost schedule --scenario NAME --format json` of the estate text, with the Gantt and
/// the text with the chosen starts (see [`api::schedule`]). In the full module only: the page
/// fetches it when asked to schedule.
#[cfg(feature = "schedule")]
#[wasm_bindgen]
pub fn schedule(text: &str, scenario: &str, options: &str) -> String {
    api::schedule(text, scenario, options)
}

/// `hypercost reshape --format json` of the estate text on the bundled hardware catalogue (see
/// [`api::reshape`]). In the full module only: the page fetches it when asked to reshape.
#[cfg(feature = "reshape")]
#[wasm_bindgen]
pub fn reshape(text: &str, options: &str) -> String {
    api::reshape(text, options)
}
