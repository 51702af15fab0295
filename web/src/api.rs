//! The calculator's API as plain Rust: text in, JSON text or bytes out.
//!
//! Everything the page shows is computed here by `hypercost-core`, with the CLI's own
//! functions and renderers, so the browser's numbers are the CLI's byte for byte. This module
//! holds no pricing logic: it parses, calls the core, and shapes the answer for the page. It
//! compiles natively too, so its tests run with `cargo test` and compare against the CLI.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hypercost_core::analysis::cheapest::{Search, cheapest as search_cheapest};
use hypercost_core::analysis::compare::compare as compare_quote;
use hypercost_core::analysis::explain::explain as explain_quote;
use hypercost_core::analysis::sweep::{self, SweepPlan};
use hypercost_core::estate::{
    Change, Cluster, Costs, Edit, FieldSpec, InputTable, RuleSwitch, Sizing, change_edits,
    edit_text,
};
use hypercost_core::feature;
use hypercost_core::import::{ImportKind, ImportOptions, import_files, parse_fx};
use hypercost_core::pricebook::{ItemRole, Term};
use hypercost_core::region::Region;
use hypercost_core::render::html;
use hypercost_core::{
    Date, Diagnostic, Diagnostics, Estate, Format, PricebookSet, Report, Severity, SourceFile,
    example_estate, parse_estate, quote, render,
};
use serde::Serialize;
use serde_json::value::RawValue;
#[cfg(test)]
use serde_json::{Value, json};

/// The name diagnostics give the page's estate text.
pub const ESTATE_FILE: &str = "estate.toml";

/// The bundled pricebooks, parsed once per page load. A bundled book that fails to load is a
/// build defect the test suite catches; the page then shows that error instead of results.
fn books() -> Result<&'static PricebookSet, String> {
    static BOOKS: OnceLock<Result<PricebookSet, String>> = OnceLock::new();
    BOOKS
        .get_or_init(|| PricebookSet::bundled().map_err(|d| d.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

/// The embedded example estate's TOML text (the page opens on it).
pub fn example() -> String {
    example_estate().text
}

/// The engine's name and version, as every JSON output states it (the core's, not this
/// crate's).
pub fn engine() -> String {
    hypercost_core::ENGINE.to_owned()
}

/// Every JSON answer the page gets, in one shape: `ok`, and beside it either the payload's
/// keys or what refused the request — `diagnostics` (input problems with line and field, as
/// the page lists them), `error` (one input problem in a line, where the page has one line to
/// show: a sweep, an edit) or `fatal` (the engine cannot start).
#[derive(Serialize)]
struct Envelope<T> {
    ok: bool,
    #[serde(flatten)]
    payload: Option<T>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    diagnostics: Vec<Problem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fatal: Option<String>,
}

/// A refusal has no payload.
type Refusal = Envelope<()>;

impl<T: Serialize> Envelope<T> {
    fn answer(ok: bool, payload: Option<T>) -> Envelope<T> {
        Envelope {
            ok,
            payload,
            diagnostics: Vec::new(),
            error: None,
            fatal: None,
        }
    }

    /// The envelope's JSON text. Every payload is strings, numbers, booleans, lists and
    /// string-keyed maps, so serialising cannot fail; if it ever did, the page is told so.
    fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                "{{\"ok\":false,\"fatal\":{}}}",
                serde_json::Value::from(format!("answer not serialisable: {e}"))
            )
        })
    }
}

/// `{"ok": true, …payload}`.
fn ok<T: Serialize>(payload: T) -> String {
    Envelope::answer(true, Some(payload)).json()
}

/// `{"ok": false, "diagnostics": [...]}`: input problems, every one.
fn refused(d: Diagnostics) -> String {
    Refusal {
        diagnostics: d.0.into_iter().map(Problem::from).collect(),
        ..Envelope::answer(false, None)
    }
    .json()
}

/// `{"ok": false, "error": "..."}`: input problems as one line.
fn error(d: &Diagnostics) -> String {
    Refusal {
        error: Some(d.summary()),
        ..Envelope::answer(false, None)
    }
    .json()
}

/// `{"ok": false, "fatal": "..."}`: the engine cannot answer at all.
fn fatal(message: String) -> String {
    Refusal {
        fatal: Some(message),
        ..Envelope::answer(false, None)
    }
    .json()
}

/// A diagnostic as the page needs it: where (line, column, field) and what is valid.
#[derive(Serialize)]
struct Problem {
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    field: String,
    message: String,
    help: Option<String>,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Problem {
        Problem {
            severity: d.severity,
            file: d.file,
            line: d.line,
            column: d.column,
            field: d.field,
            message: d.message,
            help: d.help,
        }
    }
}

/// JSON a renderer wrote, carried into an answer as written (not re-serialised), so the page
/// receives the CLI's bytes.
fn raw(bytes: Vec<u8>) -> Result<Box<RawValue>, String> {
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    RawValue::from_string(text).map_err(|e| e.to_string())
}

/// Parses the page's estate text against the bundled books; the refusal is the answer.
fn parse(text: &str) -> Result<(Estate, &'static PricebookSet), String> {
    let set = books().map_err(fatal)?;
    let file = SourceFile::new(ESTATE_FILE, text);
    parse_estate(&file, set).map(|e| (e, set)).map_err(refused)
}

/// The estate as the form edits it: names instead of indices, every optional field present.
#[derive(Serialize)]
struct FormEstate<'a> {
    name: &'a str,
    currency: &'a str,
    purchase_date: String,
    years: u32,
    /// The region the estate buys in (`region`), or null when it states none.
    region: Option<&'static str>,
    /// The estate's own rule switches (`[[rule]]`), in file order.
    rules: Vec<FormSwitch<'a>>,
    /// The contracts in force (`[[contract]]`), in file order.
    contracts: Vec<FormContract<'a>>,
    clusters: Vec<FormCluster<'a>>,
    scenarios: Vec<FormScenario<'a>>,
    /// `[costs]` as the estate states it (decimal text; absent fields are null): the form
    /// shows what was typed, and the quote's assumptions show the defaults in use.
    costs: BTreeMap<&'static str, Option<String>>,
    /// `[sizing]` (how reshape sizes hosts) as the estate states it, like `costs`.
    sizing: BTreeMap<&'static str, Option<String>>,
}

#[derive(Serialize)]
struct FormCluster<'a> {
    name: &'a str,
    /// Every declared cluster number, as the estate states it (see [`form_numbers`]).
    numbers: BTreeMap<&'static str, Option<String>>,
    needs: &'a [String],
}

#[derive(Serialize)]
struct FormScenario<'a> {
    name: &'a str,
    /// The date the scenario is priced on: its own, or the estate's.
    purchase_date: String,
    /// Whether the scenario states its own `purchase_date`.
    own_date: bool,
    plans: Vec<FormPlan<'a>>,
    /// The scenario's rule switches (`[[scenario.rule]]`), in file order: the page edits
    /// `scenario[i].rule[k]` by this index.
    rules: Vec<FormSwitch<'a>>,
}

/// A contract as written, its clusters by name.
#[derive(Serialize)]
struct FormContract<'a> {
    name: &'a str,
    item: String,
    clusters: Vec<&'a str>,
    ends: String,
    price_per_unit_year: Option<String>,
}

/// A rule switch as written: `pricebook/rule`, on or off, and why.
#[derive(Serialize)]
struct FormSwitch<'a> {
    rule: String,
    enabled: bool,
    reason: &'a str,
}

fn form_switches(switches: &[RuleSwitch]) -> Vec<FormSwitch<'_>> {
    switches
        .iter()
        .map(|s| FormSwitch {
            rule: s.rule.to_string(),
            enabled: s.enabled,
            reason: &s.reason,
        })
        .collect()
}

#[derive(Serialize)]
struct FormPlan<'a> {
    cluster: &'a str,
    edition: String,
    support: Option<&'a str>,
    addons: Vec<String>,
    /// The plan's `term_years`, or null for the edition's default term.
    term_years: Option<u32>,
    /// The move's `start`, or null (the scenario's purchase date).
    start: Option<String>,
    /// The move's `migration_months` (0 when not given).
    migration_months: u32,
    /// Whether the plan moves its cluster (a start, or leaving an item under contract).
    moves: bool,
}

/// Every declared number of a table as the estate states it: exact decimal text, or null
/// when absent. The page draws its fields from [`fields`], so it holds no list of its own.
fn form_numbers<T: InputTable>(table: Option<&T>) -> BTreeMap<&'static str, Option<String>> {
    T::FIELDS
        .iter()
        .map(|f| {
            let value = table.and_then(|t| t.get(*f)).map(|d| d.to_string());
            (T::spec(*f).key, value)
        })
        .collect()
}

/// The declaration of every estate number the form edits: `{"cluster": [spec…], "costs":
/// [spec…], "sizing": [spec…]}`, each with key, label, unit, kind, bounds (decimal text),
/// default and doc.
pub fn fields() -> String {
    #[derive(Serialize)]
    struct Fields {
        cluster: Vec<&'static FieldSpec>,
        costs: Vec<&'static FieldSpec>,
        sizing: Vec<&'static FieldSpec>,
    }
    let f = Fields {
        cluster: Cluster::specs().collect(),
        costs: Costs::specs().collect(),
        sizing: Sizing::specs().collect(),
    };
    // Plain strings, numbers and booleans: serialising cannot fail.
    serde_json::to_string(&f).unwrap_or_default()
}

fn form(e: &Estate) -> FormEstate<'_> {
    FormEstate {
        costs: form_numbers(e.costs.as_ref()),
        sizing: form_numbers(e.sizing.as_ref()),
        name: &e.name,
        currency: &e.currency,
        purchase_date: e.purchase_date.to_string(),
        years: e.years,
        region: e.region.map(Region::key),
        rules: form_switches(&e.rule_switches),
        contracts: e
            .contracts
            .iter()
            .map(|c| FormContract {
                name: &c.name,
                item: c.item.to_string(),
                clusters: c
                    .clusters
                    .iter()
                    .filter_map(|i| e.clusters.get(*i).map(|cl| cl.name.as_str()))
                    .collect(),
                ends: c.ends.to_string(),
                price_per_unit_year: c.price_per_unit_year.map(|p| p.to_string()),
            })
            .collect(),
        clusters: e
            .clusters
            .iter()
            .map(|c| FormCluster {
                name: &c.name,
                numbers: form_numbers(Some(c)),
                needs: &c.needs,
            })
            .collect(),
        scenarios: e
            .scenarios
            .iter()
            .map(|s| FormScenario {
                name: &s.name,
                purchase_date: e.purchase_date_of(s).to_string(),
                own_date: s.purchase_date.is_some(),
                plans: s
                    .plans
                    .iter()
                    .map(|p| FormPlan {
                        cluster: e.clusters.get(p.cluster).map_or("", |c| c.name.as_str()),
                        edition: p.edition.to_string(),
                        support: p.support.as_deref(),
                        addons: p.addons.iter().map(ToString::to_string).collect(),
                        term_years: p.term_years,
                        start: p.start.map(|d| d.to_string()),
                        migration_months: p.migration_months,
                        moves: e.moves(p),
                    })
                    .collect(),
                rules: form_switches(&s.rule_switches),
            })
            .collect(),
    }
}

/// What [`evaluate`] answers besides `ok`.
#[derive(Serialize)]
struct Evaluated<'a> {
    /// The form model.
    estate: FormEstate<'a>,
    /// The HTML report's fragments.
    parts: html::Parts,
    /// The CLI's quote JSON, as written.
    quote: Box<RawValue>,
    /// The comparison JSON, or null with one scenario.
    compare: Option<Box<RawValue>>,
}

/// Quotes the estate text: `{"ok": true, "quote": <the CLI's JSON>, "estate": <form model>,
/// "parts": <the HTML report's fragments>, "compare": <compare JSON against `baseline`, or the
/// first scenario when it is empty or no longer exists; null with one scenario>}`, or
/// `{"ok": false, "diagnostics": [...]}`.
pub fn evaluate(text: &str, baseline: &str) -> String {
    let (estate, set) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let q = quote(&estate, set);
    let named = q.scenarios.iter().any(|s| s.name == baseline);
    let compared = compare_quote(&q, named.then_some(baseline))
        .ok()
        .filter(|_| q.scenarios.len() > 1)
        .map(|c| raw(json_of(&c)))
        .transpose();
    let quote_json = raw(json_of(&q));
    match (quote_json, compared) {
        (Ok(quote), Ok(compare)) => ok(Evaluated {
            estate: form(&estate),
            parts: html::parts(&q),
            quote,
            compare,
        }),
        (Err(e), _) | (_, Err(e)) => fatal(format!("a renderer wrote JSON that is not: {e}")),
    }
}

#[cfg(feature = "ranges")]
/// The draws the page makes for its ranges (fewer than the CLI's default): enough for
/// P10–P90 to the euro on the bundled estates, few enough to redraw soon after typing stops.
pub const PAGE_DRAWS: u32 = 2_000;

/// What [`ranges`] answers besides `ok`.
#[cfg(feature = "ranges")]
#[derive(Serialize)]
struct Ranged {
    /// The HTML report's fragments with the ranges drawn: error bars in the ranking, fans on
    /// the cumulative chart.
    parts: html::Parts,
    /// `hypercost uncertainty --format json` with the same draws and seed.
    ranges: Box<RawValue>,
}

/// `hypercost quote --ranges` of the estate text with [`PAGE_DRAWS`] draws, for the page
/// to draw after typing stops: `{"ok": true, "parts": <the report's fragments with ranges>,
/// "ranges": <uncertainty JSON>}`, or `{"ok": false, ...}` as [`evaluate`]. The seed is the
/// CLI's default, so the page's figures are the CLI's. In the full module only: the page
/// fetches it when asked to show ranges.
#[cfg(feature = "ranges")]
pub fn ranges(text: &str) -> String {
    use hypercost_core::analysis::uncertainty::{self, DEFAULT_SEED, Options};
    let (estate, set) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let options = Options {
        draws: PAGE_DRAWS,
        seed: DEFAULT_SEED,
    };
    let r = match uncertainty::uncertainty(&estate, set, options) {
        Ok(r) => r,
        Err(d) => return refused(d),
    };
    let mut q = quote(&estate, set);
    uncertainty::attach(&mut q, &r);
    match raw(json_of(&r)) {
        Ok(ranges) => ok(Ranged {
            parts: html::parts(&q),
            ranges,
        }),
        Err(e) => fatal(format!("the ranges' JSON is not: {e}")),
    }
}

/// The estate rendered in one of the CLI's formats (`json`, `csv`, `md`, `html`, `xlsx`,
/// `table`), byte for byte what `hypercost quote --format F` writes.
pub fn export(text: &str, format: &str) -> Result<Vec<u8>, String> {
    let format = Format::from_name(format).ok_or_else(|| {
        format!(
            "unknown format `{format}`; valid formats: {} (this build)",
            Format::names(Format::ALL)
        )
    })?;
    let (estate, set) = parse(text).map_err(|_| invalid())?;
    render(&quote(&estate, set), format).map_err(|e| e.to_string())
}

/// A result's JSON, as its `Report` renders it, without linking its other formats.
fn json_of<T: Serialize>(value: &T) -> Vec<u8> {
    hypercost_core::render::json(value)
}

fn invalid() -> String {
    "the estate has errors: fix them before downloading".to_owned()
}

/// `hypercost cheapest --format json` of the estate (the top 3 per cluster), or the page's
/// problem JSON.
pub fn cheapest(text: &str) -> String {
    let (estate, set) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let search = Search {
        vendors: Vec::new(),
        top: 3,
    };
    match search_cheapest(&estate, set, &search) {
        Ok(c) => ok(c),
        Err(d) => refused(d),
    }
}

/// `hypercost explain --scenario NAME --format F` as text: `table` for the page's "how was
/// this computed" panel, or `json`, `csv`, `md`; another format is refused with the list.
pub fn explain(text: &str, scenario: &str, format: &str) -> Result<String, String> {
    let (estate, set) = parse(text).map_err(|_| invalid())?;
    let q = quote(&estate, set);
    let e = explain_quote(&q, Some(scenario), None).map_err(|d| d.summary())?;
    // The page asks for `table` or `json`; any other name is refused, not shown as a table.
    let bytes = Format::from_name(format)
        .ok_or_else(|| format!("unknown format `{format}`"))
        .and_then(|f| e.render(f).map_err(|err| err.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Applies the form's edits (JSON array of [`Edit`]) to the estate text, keeping the user's
/// comments and layout: `{"ok": true, "toml": ...}` or `{"ok": false, "error": ...}`.
pub fn edit(text: &str, edits: &str) -> String {
    let edits: Vec<Edit> = match serde_json::from_str(edits) {
        Ok(e) => e,
        Err(e) => {
            return error(&Diagnostics::input(
                "edits",
                format!("bad edit list: {e}"),
                None,
            ));
        }
    };
    match edit_text(text, &edits) {
        Ok(toml) => ok(Edited { toml }),
        Err(e) => error(&Diagnostic::from(e).into()),
    }
}

/// Estate text after an edit: `{"ok": true, "toml": …}`.
#[derive(Serialize)]
struct Edited {
    toml: String,
}

/// A structural change of the estate text (`{"add_cluster": null}`, `{"remove_cluster": 1}`,
/// `{"rename_cluster": [1, "prod"]}`, `{"add_scenario": null}`; see
/// [`hypercost_core::estate::Change`]) as `{"ok": true, "toml": …}`: the core decides which
/// edits keep the estate whole, and the user's comments survive them.
pub fn restructure(text: &str, change: &str) -> String {
    let change: Change = match serde_json::from_str(change) {
        Ok(c) => c,
        Err(e) => {
            return error(&Diagnostics::input(
                "change",
                // serde names the valid changes: they are declared once, in `Change`.
                format!("bad change: {e}"),
                None,
            ));
        }
    };
    let (estate, _) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let applied = change_edits(&estate, &change)
        .and_then(|edits| edit_text(text, &edits).map_err(|e| Diagnostic::from(e).into()));
    match applied {
        Ok(toml) => ok(Edited { toml }),
        Err(d) => error(&d),
    }
}

/// `hypercost schedule --scenario NAME [--deadline D] [--max-vms-per-month N] [--objective
/// O] --format json` of the estate text, with the Gantt chart as an HTML fragment and the
/// estate text with the chosen starts spliced in (comments kept): `{"ok": true, "schedule":
/// <the CLI's JSON>, "gantt": "<section…>", "toml": …}`. `options` is a JSON object
/// `{"deadline": "YYYY-MM-DD"?, "max_vms_per_month": N?, "objective": "total"|"npv"?}`.
#[cfg(feature = "schedule")]
pub fn schedule(text: &str, scenario: &str, options: &str) -> String {
    use hypercost_core::analysis::schedule::{Objective, Options, schedule as search};
    #[derive(serde::Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Asked {
        deadline: Option<String>,
        max_vms_per_month: Option<u64>,
        objective: Option<String>,
    }
    #[derive(Serialize)]
    struct Scheduled {
        schedule: Box<RawValue>,
        gantt: String,
        toml: String,
    }
    let asked: Asked = match serde_json::from_str(options) {
        Ok(a) => a,
        Err(e) => {
            return error(&Diagnostics::input(
                "options",
                format!("bad schedule options: {e}"),
                None,
            ));
        }
    };
    let deadline = match asked.deadline.as_deref().map(Date::parse).transpose() {
        Ok(d) => d,
        Err(e) => return error(&Diagnostics::input("deadline", e, None)),
    };
    let objective = match asked.objective.as_deref() {
        None => Objective::Total,
        Some(w) => match Objective::ALL.iter().find(|o| o.word() == w) {
            Some(o) => *o,
            None => {
                return error(&Diagnostics::input(
                    "objective",
                    format!("unknown objective `{w}`"),
                    Some("total or npv".into()),
                ));
            }
        },
    };
    let (estate, set) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let options = Options {
        scenario: scenario.to_owned(),
        deadline,
        max_vms_per_month: asked.max_vms_per_month,
        objective,
        node_limit: None,
    };
    let result = match search(&estate, set, &options) {
        Ok(r) => r,
        Err(d) => return error(&d),
    };
    // The chosen starts, spliced into the text as `hypercost schedule -o FILE.toml` does.
    let edits = result.start_edits(&estate);
    let toml = match edit_text(text, &edits) {
        Ok(t) => t,
        Err(e) => return error(&Diagnostic::from(e).into()),
    };
    match raw(json_of(&result)) {
        Ok(schedule) => ok(Scheduled {
            schedule,
            gantt: html::gantt(&result),
            toml,
        }),
        Err(e) => fatal(format!("the schedule's JSON is not: {e}")),
    }
}

/// `hypercost reshape [--edition ID]… [--top N] --format json` of the estate text, on the
/// bundled hardware catalogue: `{"ok": true, "reshape": <the CLI's JSON>, "charts": ["<each
/// cluster's crossover as the report draws it>", …]}`, or `{"ok": false,
/// "diagnostics": [...]}` for the estate's problems and what reshaping needs of it (a cluster's
/// `vms`, `vcpus`, `vm_ram_gb`), or `{"ok": false, "error": ...}` for bad options. `options` is
/// a JSON object `{"editions": ["pricebook/edition", …]?, "top": N?}` (the CLI's defaults:
/// none, 3). In the full module only: the page fetches it when asked to reshape.
#[cfg(feature = "reshape")]
pub fn reshape(text: &str, options: &str) -> String {
    use hypercost_core::ItemRef;
    use hypercost_core::analysis::reshape::{DEFAULT_TOP, Options, reshape as search};
    #[derive(serde::Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Asked {
        #[serde(default)]
        editions: Vec<String>,
        /// As the CLI's `--top`: a `u16` from 1.
        top: Option<std::num::NonZeroU16>,
    }
    #[derive(Serialize)]
    struct Reshaped {
        /// The CLI's reshape JSON, as written.
        reshape: Box<RawValue>,
        /// Each cluster's crossover chart, legend and figures, as the HTML report draws them.
        charts: Vec<String>,
    }
    let asked: Asked = match serde_json::from_str(options) {
        Ok(a) => a,
        Err(e) => {
            return error(&Diagnostics::input(
                "options",
                format!("bad reshape options: {e}"),
                None,
            ));
        }
    };
    let top = asked
        .top
        .map_or(usize::from(DEFAULT_TOP), |n| usize::from(n.get()));
    let editions = match asked
        .editions
        .iter()
        .map(|e| ItemRef::parse(e).map_err(|why| Diagnostics::input("edition", why, None)))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(e) => e,
        Err(d) => return error(&d),
    };
    let (estate, set) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let catalogue = match hypercost_core::hardware::bundled() {
        Ok(c) => c,
        Err(d) => return fatal(format!("the bundled hardware catalogue: {}", d.summary())),
    };
    match search(&estate, set, &catalogue, &Options { editions, top }) {
        Ok(result) => match raw(json_of(&result)) {
            Ok(reshape) => ok(Reshaped {
                reshape,
                charts: html::crossover(&result),
            }),
            Err(e) => fatal(format!("the reshape's JSON is not: {e}")),
        },
        Err(d) => refused(d),
    }
}

/// The most points the page sweeps (the CLI goes to [`sweep::MAX_POINTS`]): enough for any
/// line a person reads, few enough to stay interactive.
pub const PAGE_MAX_POINTS: usize = 500;

/// `hypercost sweep --vary SPEC --format json` of the estate text (`SPEC` is
/// `FIELD=A..B[:STEP]`, e.g. `prod.hosts=2..12:2`): `{"ok": true, "sweep": <the CLI's JSON>}`
/// or `{"ok": false, "error": ...}` saying what is valid.
pub fn sweep(text: &str, spec: &str) -> String {
    #[derive(Serialize)]
    struct Swept {
        /// The CLI's sweep JSON, as written.
        sweep: Box<RawValue>,
    }
    let (estate, set) = match parse(text) {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let plan = match SweepPlan::new(&estate, set, &[spec]) {
        Ok(p) => p,
        Err(d) => return error(&d),
    };
    if plan.len() > PAGE_MAX_POINTS {
        return error(&Diagnostics::input(
            spec,
            format!(
                "{} points: the page sweeps at most {PAGE_MAX_POINTS}; take a larger step, or use `hypercost sweep` (up to {})",
                plan.len(),
                sweep::MAX_POINTS
            ),
            None,
        ));
    }
    match raw(json_of(&plan.run(set))) {
        Ok(sweep) => ok(Swept { sweep }),
        Err(e) => fatal(format!("the sweep's JSON is not: {e}")),
    }
}

/// One file handed over for an import: its name and its length in the byte buffer.
#[derive(serde::Deserialize)]
struct ImportFile {
    name: String,
    len: usize,
}

/// Imports an inventory (see `hypercost import`) into estate text, through the core's
/// [`import_files`] as the CLI does. `files` is a JSON list of `{name, len}` naming the
/// consecutive parts of `bytes` (one buffer, so any number of files crosses the boundary
/// without JS types); `kind` is an [`ImportKind`] name (`auto` tells the files apart); `date`
/// is the import date; `fx` is empty or rates like `EUR=1.09`, separated by spaces or commas
/// (`hypercost import --fx`). Answers `{"ok": true, "kind" (the kind read), "toml",
/// "summary", "warnings"}` or `{"ok": false, "diagnostics"}`.
pub fn import_inventory(kind: &str, files: &str, bytes: &[u8], date: &str, fx: &str) -> String {
    /// What the page shows of an import.
    #[derive(Serialize)]
    struct ImportAnswer<'a> {
        kind: &'static str,
        toml: &'a str,
        summary: Summary<'a>,
        warnings: Vec<String>,
    }
    /// The counts the page states (`hypercost import --summary`'s), and the estate's clusters.
    #[derive(Serialize)]
    struct Summary<'a> {
        hosts: u64,
        sockets: u64,
        cores: u64,
        licensed_cores_16: u64,
        vms: Option<u64>,
        powered_on_vms: Option<u64>,
        maintenance_hosts: &'a [String],
        standalone_hosts: &'a [String],
        placeholder_hosts: &'a [String],
        clusters: usize,
    }
    // A request the page made wrongly is a problem of the import as a whole.
    let fail = |message: String| refused(Diagnostics::input("import", message, None));
    let set = match books() {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let Ok(date) = Date::parse(date) else {
        return fail(format!(
            "import date `{date}` is not a date like 2026-11-25"
        ));
    };
    let list: Vec<ImportFile> = match serde_json::from_str(files) {
        Ok(l) => l,
        Err(e) => return fail(format!("bad file list: {e}")),
    };
    let mut parts = Vec::new();
    let mut at = 0usize;
    for f in &list {
        let Some(part) = at.checked_add(f.len).and_then(|end| bytes.get(at..end)) else {
            return fail(format!("file `{}` is cut short", f.name));
        };
        parts.push((f.name.as_str(), part));
        at += f.len;
    }
    let kind = match ImportKind::parse(kind) {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    let mut rates = Vec::new();
    for r in fx.split([' ', ',']).filter(|r| !r.is_empty()) {
        match parse_fx(r) {
            Ok(rate) => rates.push(rate),
            Err(e) => return fail(format!("exchange rate: {e}")),
        }
    }
    let mut options = ImportOptions::new(date);
    options.fx = &rates;
    match import_files(kind, "RVTools CSV export", &parts, options, set) {
        Ok((kind, i)) => {
            let s = &i.summary;
            ok(ImportAnswer {
                kind: kind.name(),
                toml: &i.toml,
                summary: Summary {
                    hosts: s.hosts,
                    sockets: s.sockets,
                    cores: s.cores,
                    licensed_cores_16: s.licensed_cores_16,
                    vms: s.vms,
                    powered_on_vms: s.powered_on_vms,
                    maintenance_hosts: &s.maintenance_hosts,
                    standalone_hosts: &s.standalone_hosts,
                    placeholder_hosts: &s.placeholder_hosts,
                    clusters: i.estate.clusters.len(),
                },
                warnings: i.warnings.iter().map(ToString::to_string).collect(),
            })
        }
        Err(d) => refused(d),
    }
}

/// What the form offers: the feature words a cluster can need, the regions an estate can buy
/// in, and per pricebook on sale at `date` (`YYYY-MM-DD`) its editions (with the terms each
/// sells), support plans and add-ons.
pub fn catalogue(date: &str) -> String {
    /// What the form offers.
    #[derive(Serialize)]
    struct Catalogue {
        engine: String,
        books: Vec<Book>,
        needs: Vec<Need>,
        /// The keys of `region`, from [`Region::ALL`]: the page holds no list of its own.
        regions: Vec<&'static str>,
    }
    /// One pricebook: whether it is on sale that day, and what of it is.
    #[derive(Serialize)]
    struct Book {
        id: String,
        name: String,
        vendor: String,
        currency: String,
        on_sale: bool,
        editions: Vec<Offer>,
        addons: Vec<Offer>,
        support: Vec<Offer>,
        /// The book's rules in force on the date (dated windows judged; regions and switches
        /// are the estate's), so the form can switch each per scenario.
        rules: Vec<RuleOffer>,
    }
    /// A rule (`book/rule`): what it does, whether it is on unless switched, where it holds.
    #[derive(Serialize)]
    struct RuleOffer {
        id: String,
        name: String,
        what: String,
        default_on: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        regions: Option<Vec<&'static str>>,
        confidence: &'static str,
    }
    /// An item (`book/item`) or support plan, by id and name; an item sold on terms says
    /// which (years, shortest first) and its default, so the form offers `term_years`.
    #[derive(Serialize)]
    struct Offer {
        id: String,
        name: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        terms: Vec<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        default_term: Option<u32>,
        /// A subscription (a `[[contract]]` can license it).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        subscription: bool,
    }
    /// A feature word a cluster can need, and what it means.
    #[derive(Serialize)]
    struct Need {
        tag: &'static str,
        what: &'static str,
    }
    let set = match books() {
        Ok(s) => s,
        Err(e) => return fatal(e),
    };
    let date: Option<Date> = Date::parse(date).ok();
    let books = set
        .books()
        .iter()
        .map(|b| {
            let items = |role: ItemRole| -> Vec<Offer> {
                b.items
                    .iter()
                    .filter(|i| i.role == role)
                    .filter(|i| date.is_none_or(|d| i.on_sale(d)))
                    .map(|i| Offer {
                        id: format!("{}/{}", b.id, i.id),
                        name: i.name.clone(),
                        terms: i.terms(),
                        default_term: i.default_term_years,
                        subscription: i.term == Term::Subscription,
                    })
                    .collect()
            };
            Book {
                id: b.id.to_string(),
                name: b.name.clone(),
                vendor: b.vendor.clone(),
                currency: b.currency.clone(),
                on_sale: date.is_none_or(|d| b.on_sale(d)),
                editions: items(ItemRole::Edition),
                addons: items(ItemRole::AddOn),
                support: b
                    .support
                    .iter()
                    .map(|s| Offer {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        terms: Vec::new(),
                        default_term: None,
                        subscription: false,
                    })
                    .collect(),
                rules: b
                    .rules
                    .iter()
                    .filter(|r| date.is_none_or(|d| r.in_window(d)))
                    .map(|r| RuleOffer {
                        id: format!("{}/{}", b.id, r.id),
                        name: r.name.clone(),
                        what: r.kind.describe(),
                        default_on: r.default_on,
                        regions: r
                            .regions
                            .as_ref()
                            .map(|rs| rs.iter().map(|r| r.key()).collect()),
                        confidence: r.confidence.mark(),
                    })
                    .collect(),
            }
        })
        .collect();
    let needs = feature::VOCABULARY
        .iter()
        .map(|&(tag, what)| Need { tag, what })
        .collect();
    ok(Catalogue {
        engine: engine(),
        books,
        needs,
        regions: Region::keys(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("the API returns JSON")
    }

    #[test]
    fn evaluate_carries_the_quote_json_byte_for_byte() {
        let text = example();
        let env = parsed(&evaluate(&text, ""));
        assert_eq!(env["ok"], true);
        let set = books().expect("bundled books");
        let estate = parse_estate(&example_estate(), set).expect("example parses");
        let cli: Value =
            serde_json::from_slice(&json_of(&quote(&estate, set))).expect("quote JSON");
        assert_eq!(env["quote"], cli);
        // Carried as the renderer wrote it, byte for byte, not re-serialised.
        let written = String::from_utf8(json_of(&quote(&estate, set))).expect("UTF-8");
        assert!(evaluate(&text, "").contains(written.trim_end()));
        assert_eq!(
            export(&text, "json").expect("json"),
            json_of(&quote(&estate, set))
        );
        // The form model names the plan's cluster; the comparison defaults to scenario 1.
        assert_eq!(env["estate"]["scenarios"][0]["plans"][0]["cluster"], "prod");
        assert_eq!(
            env["compare"]["baseline"],
            env["estate"]["scenarios"][0]["name"]
        );
        // A named baseline is honoured; an unknown one falls back instead of failing.
        let named = parsed(&evaluate(&text, "XenServer 5.5 free"));
        assert_eq!(named["compare"]["baseline"], "XenServer 5.5 free");
        let gone = parsed(&evaluate(&text, "renamed since"));
        assert_eq!(gone["compare"]["baseline"], env["compare"]["baseline"]);
    }

    #[test]
    fn problems_come_back_as_data_with_line_and_field() {
        let text = example().replacen("hosts = 8", "hosts = 0", 1);
        let line = text
            .lines()
            .position(|l| l == "hosts = 0")
            .expect("the hosts line")
            + 1;
        let env = parsed(&evaluate(&text, ""));
        assert_eq!(env["ok"], false);
        let d = &env["diagnostics"][0];
        assert_eq!(d["line"], line);
        assert_eq!(d["field"], "cluster[0].hosts");
        assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()), "{d}");
        assert!(
            export(&text, "csv").is_err(),
            "no download of a broken estate"
        );
    }

    #[test]
    fn exports_are_the_cli_renderers() {
        let text = example();
        assert!(export(&text, "xlsx").expect("xlsx").starts_with(b"PK"));
        assert!(
            String::from_utf8(export(&text, "html").expect("html"))
                .expect("utf-8")
                .starts_with("<!DOCTYPE html>")
        );
        let err = export(&text, "pdf").expect_err("pdf is not a format");
        assert!(err.contains("valid formats"), "{err}");
    }

    #[test]
    fn edit_keeps_comments_and_reports_bad_edits() {
        let text = example();
        let r = parsed(&edit(
            &text,
            r#"[{"set": "cluster[0].hosts", "value": {"integer": 6}}]"#,
        ));
        assert_eq!(r["ok"], true);
        let new = r["toml"].as_str().expect("toml");
        assert_eq!(new, text.replacen("hosts = 8\n", "hosts = 6\n", 1));
        let bad = parsed(&edit(
            &text,
            r#"[{"set": "cluster[9].hosts", "value": {"integer": 6}}]"#,
        ));
        assert_eq!(bad["ok"], false);
        assert!(
            bad["error"].as_str().is_some_and(|e| e.contains("cluster")),
            "{bad}"
        );
        assert_eq!(parsed(&edit(&text, "not json"))["ok"], false);
    }

    #[test]
    fn the_catalogue_offers_what_was_on_sale_that_day() {
        let c = parsed(&catalogue("2009-11-02"));
        let on_sale: Vec<&str> = c["books"]
            .as_array()
            .expect("books")
            .iter()
            .filter(|b| b["on_sale"] == true)
            .filter_map(|b| b["id"].as_str())
            .collect();
        assert!(on_sale.contains(&"vmware-vsphere-4.0"), "{on_sale:?}");
        assert!(!on_sale.contains(&"vmware-vcf-2024"), "{on_sale:?}");
        assert!(
            c["needs"]
                .as_array()
                .is_some_and(|n| n.iter().any(|x| x["tag"] == "ha"))
        );
    }

    /// The catalogue's regions are the engine's list, and every edition states the terms its
    /// pricebook sells (VVF: 1 and 3 years, 3 by default), so the form holds no list of either.
    #[test]
    fn the_catalogue_gives_the_regions_and_each_editions_terms() {
        let c = parsed(&catalogue("2026-01-15"));
        assert_eq!(c["regions"], json!(["americas", "emea", "apj"]));
        assert_eq!(c["regions"], json!(Region::keys()));
        let set = books().expect("bundled books");
        let mut with_terms = 0;
        for b in c["books"].as_array().expect("books") {
            for ed in b["editions"].as_array().expect("editions") {
                let id = ed["id"].as_str().expect("id");
                let (book, item) = id.split_once('/').expect("book/item");
                let it = set
                    .books()
                    .iter()
                    .find(|x| x.id.to_string() == book)
                    .and_then(|x| x.items.iter().find(|i| i.id == item))
                    .expect("the offer is a bundled item");
                let terms = it.terms();
                with_terms += usize::from(!terms.is_empty());
                // No terms: no key (the page's `if (!offer.terms)`), not an empty list.
                let shown = if terms.is_empty() {
                    Value::Null
                } else {
                    json!(terms)
                };
                assert_eq!(ed["terms"], shown, "{id}");
                assert_eq!(
                    ed["default_term"].as_u64(),
                    it.default_term_years.map(u64::from),
                    "{id}"
                );
            }
        }
        assert!(with_terms >= 1, "some edition sells terms");
        let vvf = c["books"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|b| b["editions"].as_array().cloned().unwrap_or_default())
            .find(|e| e["id"] == "vmware-vcf-2024/vvf")
            .expect("VVF on sale in 2026");
        assert_eq!(vvf["terms"], json!([1, 3]));
        assert_eq!(vvf["default_term"], 3);
    }

    /// The catalogue lists each book's rules in force on the date, with what each does, its
    /// default and its regions: the 72-core minimum order from 2025-04-10 (Americas and APJ),
    /// absent the day before; the form model carries the scenario's and estate's switches.
    #[test]
    fn the_catalogue_gives_the_rules_in_force_and_the_form_their_switches() {
        let rule = |date: &str| {
            parsed(&catalogue(date))["books"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|b| b["id"] == "vmware-vcf-2024")
                .flat_map(|b| b["rules"].as_array().cloned().unwrap_or_default())
                .find(|r| r["id"] == "vmware-vcf-2024/min-order-72")
        };
        let r = rule("2025-04-10").expect("in force from 2025-04-10");
        assert_eq!(r["default_on"], true);
        assert_eq!(r["regions"], json!(["americas", "apj"]));
        assert_eq!(r["what"], "minimum order of 72 units");
        assert!(rule("2025-04-09").is_none(), "not in force the day before");
        let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2026-01-15\nyears = 1\n\
                    [[rule]]\nrule = \"vmware-vcf-2024/late-renewal-20\"\nenabled = true\nreason = \"we lapsed\"\n\
                    [[cluster]]\nname = \"c\"\nhosts = 1\nsockets_per_host = 1\ncores_per_socket = 16\n\
                    [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"vmware-vcf-2024/vvf\"\n\
                    [[scenario.rule]]\nrule = \"vmware-vcf-2024/min-order-72\"\nenabled = false\nreason = \"EMEA deal\"\n";
        let env = parsed(&evaluate(text, ""));
        assert_eq!(env["ok"], true, "{env}");
        assert_eq!(
            env["estate"]["rules"],
            json!([{"rule": "vmware-vcf-2024/late-renewal-20", "enabled": true, "reason": "we lapsed"}])
        );
        assert_eq!(
            env["estate"]["scenarios"][0]["rules"],
            json!([{"rule": "vmware-vcf-2024/min-order-72", "enabled": false, "reason": "EMEA deal"}])
        );
    }

    /// The form draws `vsan_tib` like every declared cluster number: from `fields()`, with its
    /// label, unit and decimal bounds (a capacity may be 12.5 TiB).
    #[test]
    fn fields_declare_the_vsan_capacity() {
        let f = parsed(&fields());
        let vsan = f["cluster"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|x| x["key"] == "vsan_tib")
            .expect("vsan_tib is a declared cluster number");
        assert_eq!(vsan["label"], "vSAN capacity");
        assert_eq!(vsan["unit"], "TiB");
        assert_eq!(vsan["bounds"]["integer"], false);
        assert_eq!(vsan["required"], false);
    }

    /// The editions of the 2026 shortlist are on the form's list for a 2026 purchase.
    #[test]
    fn the_2026_market_is_offered_for_a_2026_purchase() {
        let on_2026 = offered(Date::new(2026, 1, 15).expect("a date"));
        for id in [
            "vmware-vcf-2024/vvf",
            "vmware-vcf-2024/vcf",
            "vmware-vcf-2024/vvs",
            "vmware-vcf-2024/esxi-free",
            "vmware-vcf-2024/vvep",
            "vmware-vcf-2024/vsep",
            "nutanix-nci-2025/pro",
            "suse-harvester-2025/community",
            "opennebula-2025/community",
            "oracle-olvm-2025/free",
            "proxmox-ve-2025/basic",
            "hpe-vm-essentials-2025/vm-essentials",
            "microsoft-windows-server-2025/standard",
            "microsoft-windows-server-2025/datacenter",
            "microsoft-windows-server-2025/payg",
            "microsoft-azure-local-2025/azure-local",
            "redhat-openshift-virt-2025/ove",
            "xenserver-8/premium",
        ] {
            assert!(on_2026.contains(&id.to_owned()), "{id}: {on_2026:?}");
        }
        assert!(
            !on_2026
                .iter()
                .any(|id| id.starts_with("vmware-vsphere-4.0/")),
            "{on_2026:?}"
        );
    }

    /// A 2026 VVF estate as the page edits it: the region and the plan's term are written into
    /// the text (its comment kept), read back into the form model, and priced as the engine
    /// says: 2 hosts × 16 cores is 32 cores, billed at the 72-core minimum on the 3-year price
    /// ($135) when no region is stated, and as 32 cores at the 1-year price ($190) in EMEA.
    #[test]
    fn region_and_term_go_into_the_text_and_the_quote() {
        let text = "format = 1\n# a 2026 exit estate\nname = \"exit\"\ncurrency = \"USD\"\n\
                    purchase_date = 2026-01-15\nyears = 1\n\n[[cluster]]\nname = \"c\"\nhosts = 2\n\
                    sockets_per_host = 1\ncores_per_socket = 16\n\n[[scenario]]\nname = \"VVF\"\n\
                    [[scenario.plan]]\ncluster = \"c\"\nedition = \"vmware-vcf-2024/vvf\"\n";
        let before = parsed(&evaluate(text, ""));
        assert_eq!(before["ok"], true, "{before}");
        assert_eq!(before["estate"]["region"], Value::Null);
        assert_eq!(
            before["estate"]["scenarios"][0]["plans"][0]["term_years"],
            Value::Null
        );
        assert_eq!(
            before["quote"]["scenarios"][0]["total"], "9720.00",
            "72 × 135"
        );
        let edits = r#"[{"set": "region", "value": {"text": "emea"}},
                        {"set": "scenario[0].plan[0].term_years", "value": {"integer": 1}}]"#;
        let edited = parsed(&edit(text, edits));
        let new = edited["toml"].as_str().expect("toml");
        assert!(new.contains("# a 2026 exit estate\n"), "{new}");
        assert!(new.contains("\nregion = \"emea\"\n"), "{new}");
        assert!(
            new.ends_with("edition = \"vmware-vcf-2024/vvf\"\nterm_years = 1\n"),
            "{new}"
        );
        let after = parsed(&evaluate(new, ""));
        assert_eq!(after["ok"], true, "{after}");
        assert_eq!(after["estate"]["region"], "emea");
        assert_eq!(after["estate"]["scenarios"][0]["plans"][0]["term_years"], 1);
        assert_eq!(
            after["quote"]["scenarios"][0]["total"], "6080.00",
            "32 × 190"
        );
    }

    /// The day before `d`.
    fn day_before(d: Date) -> Date {
        if d.day > 1 {
            return Date::new(d.year, d.month, d.day - 1).expect("a day of the same month");
        }
        let (y, m) = if d.month == 1 {
            (d.year - 1, 12)
        } else {
            (d.year, d.month - 1)
        };
        (28..=31)
            .rev()
            .find_map(|day| Date::new(y, m, day).ok())
            .expect("a month's last day")
    }

    /// The ids the catalogue offers as editions on `date`.
    fn offered(date: Date) -> Vec<String> {
        let c = parsed(&catalogue(&date.to_string()));
        c["books"]
            .as_array()
            .expect("books")
            .iter()
            .filter(|b| b["on_sale"] == true)
            .flat_map(|b| b["editions"].as_array().cloned().unwrap_or_default())
            .filter_map(|e| e["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// Every edition with an end of sale or a book with a sale window, on the last day it
    /// sells and the first day it does not: the form offers it exactly when the engine prices
    /// it without an end-of-sale or not-on-sale problem.
    #[test]
    fn the_catalogue_and_the_engine_agree_on_sale_windows_at_the_boundary_days() {
        use hypercost_core::quote::ProblemCode;
        let set = books().expect("bundled books");
        let mut checked = 0;
        for b in set.books() {
            for item in b.items.iter().filter(|i| i.role == ItemRole::Edition) {
                let edges: Vec<Date> = [item.end_of_sale, item.on_sale_from, b.on_sale_from]
                    .into_iter()
                    .flatten()
                    .chain(b.on_sale_until.map(|u| {
                        // The first day after `until` is the boundary: the day itself sells.
                        (1..=31)
                            .find_map(|d| Date::new(u.year, u.month, d).ok().filter(|x| *x > u))
                            .unwrap_or_else(|| Date::new(u.year + 1, 1, 1).expect("1 January"))
                    }))
                    .collect();
                for edge in edges {
                    for date in [day_before(edge), edge] {
                        let id = format!("{}/{}", b.id, item.id);
                        let sells = b.on_sale(date) && item.on_sale(date);
                        assert_eq!(
                            offered(date).contains(&id),
                            sells,
                            "catalogue: {id} on {date}"
                        );
                        let text = format!(
                            "format = 1\nname = \"edge\"\ncurrency = \"{cur}\"\npurchase_date = {date}\nyears = 1\n\
                             [[cluster]]\nname = \"c\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 8\n\
                             ram_gb_per_host = 256\nvms = 10\nvm_ram_gb = \"4\"\n\
                             [[scenario]]\nname = \"s\"\n[[scenario.plan]]\ncluster = \"c\"\nedition = \"{id}\"\n",
                            cur = b.currency
                        );
                        let Ok(estate) = parse_estate(&SourceFile::new("edge.toml", &text), set)
                        else {
                            continue;
                        };
                        let q = quote(&estate, set);
                        let refused = q.scenarios[0].problems.iter().any(|p| {
                            matches!(p.code, ProblemCode::EndOfSale | ProblemCode::NotOnSale)
                        });
                        assert_eq!(refused, !sells, "engine: {id} on {date}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked >= 20, "only {checked} edition-days checked");
    }

    #[test]
    fn structural_changes_come_back_as_estate_text_that_reads() {
        let added = parsed(&restructure(&example(), r#"{"add_cluster": null}"#));
        assert_eq!(added["ok"], true, "{added}");
        let text = added["toml"].as_str().expect("toml");
        let e = parsed(&evaluate(text, ""));
        assert_eq!(
            e["estate"]["clusters"].as_array().map(Vec::len),
            Some(2),
            "{e}"
        );
        let removed = parsed(&restructure(text, r#"{"remove_cluster": 1}"#));
        assert_eq!(
            removed["toml"].as_str(),
            Some(example().as_str()),
            "back to the example"
        );
        let bad = parsed(&restructure(&example(), r#"{"remove_cluster": 0}"#));
        assert_eq!(bad["ok"], false);
        assert!(
            bad["error"]
                .as_str()
                .is_some_and(|e| e.contains("only cluster")),
            "{bad}"
        );
        let nonsense = parsed(&restructure(&example(), r#"{"drop_everything": 1}"#));
        assert!(
            nonsense["error"]
                .as_str()
                .is_some_and(|e| e.contains("add_cluster")),
            "{nonsense}"
        );
    }

    #[test]
    fn explain_and_cheapest_answer_for_the_example() {
        let text = example();
        let first = parsed(&evaluate(&text, ""))["estate"]["scenarios"][0]["name"]
            .as_str()
            .expect("name")
            .to_owned();
        assert!(
            explain(&text, &first, "table")
                .expect("explain")
                .contains("66,761.25")
        );
        assert!(explain(&text, "no such scenario", "table").is_err());
        let err = explain(&text, &first, "html").expect_err("no HTML explanation");
        assert!(err.contains("table, json, csv, md"), "{err}");
        let csv = explain(&text, &first, "csv").expect("a CSV explanation");
        assert!(csv.starts_with("scenario,line,cluster,year,"), "{csv}");
        let c = parsed(&cheapest(&text));
        assert_eq!(c["clusters"][0]["winners"][0]["total"], "55641.25");
    }
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn a_sweep_is_the_cli_sweep() {
        let text = example();
        let v: Value = serde_json::from_str(&sweep(&text, "prod.hosts=2..12:2")).expect("JSON");
        assert_eq!(v["ok"], true, "{v}");
        let set = books().expect("books");
        let estate = parse_estate(&example_estate(), set).expect("example");
        let plan = SweepPlan::new(&estate, set, &["prod.hosts=2..12:2"]).expect("plan");
        let cli: Value = serde_json::from_slice(&json_of(&plan.run(set))).expect("JSON");
        assert_eq!(v["sweep"], cli);
        // At 8 hosts the sweep's point is the quote's total (66,761.25, the example's figure).
        let at8 = &v["sweep"]["points"][3];
        assert_eq!(at8["values"][0], "8");
        assert_eq!(at8["totals"][0]["total"], "66761.25");
    }

    /// The page's ranges are the CLI's `uncertainty` with the same draws and seed, drawn into
    /// the ranking (error bars) and the cumulative chart (fans); a broken estate gets its
    /// diagnostics.
    #[cfg(feature = "ranges")]
    #[test]
    fn ranges_are_the_clis_uncertainty_drawn_into_the_report() {
        use hypercost_core::analysis::uncertainty::{DEFAULT_SEED, Options, uncertainty};
        let text = example();
        let v: Value = serde_json::from_str(&ranges(&text)).expect("JSON");
        assert_eq!(v["ok"], true, "{v}");
        let set = books().expect("books");
        let estate = parse_estate(&example_estate(), set).expect("example");
        let r = uncertainty(
            &estate,
            set,
            Options {
                draws: PAGE_DRAWS,
                seed: DEFAULT_SEED,
            },
        )
        .expect("drawn");
        let cli: Value = serde_json::from_slice(&json_of(&r)).expect("JSON");
        assert_eq!(v["ranges"], cli);
        let ranking = v["parts"]["ranking"].as_str().expect("ranking");
        assert_eq!(
            ranking.matches("hc-errorbar").count(),
            estate.scenarios.len()
        );
        assert!(
            v["parts"]["charts"]
                .as_str()
                .is_some_and(|c| c.contains("hc-fan"))
        );
        assert_eq!(v["ranges"]["draws"], PAGE_DRAWS);
        let broken: Value = serde_json::from_str(&ranges("format = 1\n")).expect("JSON");
        assert_eq!(broken["ok"], false);
        assert!(broken["diagnostics"].is_array(), "{broken}");
    }

    #[test]
    fn bad_sweeps_say_what_is_valid() {
        let text = example();
        let unknown: Value = serde_json::from_str(&sweep(&text, "prdo.hosts=1..4")).expect("JSON");
        assert_eq!(unknown["ok"], false);
        assert!(
            unknown["error"]
                .as_str()
                .is_some_and(|e| e.contains("prod")),
            "{unknown}"
        );
        let big: Value = serde_json::from_str(&sweep(&text, "prod.hosts=1..1000")).expect("JSON");
        assert!(
            big["error"]
                .as_str()
                .is_some_and(|e| e.contains("at most 500")),
            "{big}"
        );
        let broken: Value =
            serde_json::from_str(&sweep("years = =", "prod.hosts=1..4")).expect("JSON");
        assert_eq!(broken["ok"], false);
    }
}

#[cfg(all(test, feature = "reshape"))]
mod reshape_tests {
    use super::*;
    use hypercost_core::analysis::reshape::{Options, reshape as search};

    /// The estate the page's browser test reshapes: one cluster, VVF and Proxmox.
    const ESTATE: &str = include_str!("../../tests/fixtures/reshape/one-cluster.toml");

    #[test]
    fn a_reshape_is_the_cli_reshape_on_the_bundled_catalogue() {
        let v: Value = serde_json::from_str(&reshape(ESTATE, "{}")).expect("JSON");
        assert_eq!(v["ok"], true, "{v}");
        let set = books().expect("books");
        let estate = parse_estate(&SourceFile::new(ESTATE_FILE, ESTATE), set).expect("estate");
        let catalogue = hypercost_core::hardware::bundled().expect("the bundled catalogue");
        let options = Options {
            editions: Vec::new(),
            top: 3,
        };
        let cli = search(&estate, set, &catalogue, &options).expect("reshape");
        let cli: Value = serde_json::from_slice(&json_of(&cli)).expect("JSON");
        assert_eq!(v["reshape"], cli);
        let prod = &v["reshape"]["clusters"][0];
        assert_eq!(prod["cluster"], "prod");
        assert_eq!(
            (prod["vms"].as_u64(), prod["vcpus"].as_u64()),
            (Some(200), Some(800))
        );
        let options = prod["options"].as_array().expect("options");
        assert!(!options.is_empty(), "{prod}");
        // Both editions have shapes, a crossover line and the cluster as it is.
        for edition in ["vmware-vcf-2024/vvf", "proxmox-ve-2025/standard"] {
            assert!(options.iter().any(|o| o["edition"] == edition), "{edition}");
            assert!(
                prod["crossover"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|l| l["edition"] == edition
                        && l["points"].as_array().is_some_and(|p| !p.is_empty()))),
                "{edition}"
            );
        }
        assert!(prod["baseline"].as_array().is_some_and(|b| !b.is_empty()));
        // `top` and extra editions are the CLI's `--top` and `--edition`.
        let one: Value = serde_json::from_str(&reshape(ESTATE, r#"{"top": 1}"#)).expect("JSON");
        assert_eq!(
            one["reshape"]["clusters"][0]["options"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        let more: Value = serde_json::from_str(&reshape(
            ESTATE,
            r#"{"top": 1, "editions": ["vmware-vcf-2024/vcf"]}"#,
        ))
        .expect("JSON");
        assert_eq!(more["ok"], true, "{more}");
        assert!(
            more["reshape"]["clusters"][0]["crossover"]
                .as_array()
                .is_some_and(|c| c.iter().any(|l| l["edition"] == "vmware-vcf-2024/vcf")),
            "{more}"
        );
    }

    #[test]
    fn a_reshape_without_a_workload_names_the_missing_field() {
        let text = ESTATE.replacen("vcpus = 800\n", "", 1);
        assert_ne!(text, ESTATE);
        let v: Value = serde_json::from_str(&reshape(&text, "{}")).expect("JSON");
        assert_eq!(v["ok"], false, "{v}");
        let fields: Vec<&str> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["field"].as_str())
            .collect();
        assert!(fields.iter().any(|f| f.contains("prod.vcpus")), "{v}");
        // The estate's own problems come back the same way, with their line.
        let broken: Value = serde_json::from_str(&reshape("years = =", "{}")).expect("JSON");
        assert!(
            broken["diagnostics"][0]["line"].as_u64().is_some(),
            "{broken}"
        );
        // Bad options say what was wrong in one line.
        for bad in [
            r#"{"top": 0}"#,
            r#"{"tpo": 1}"#,
            "not json",
            r#"{"editions": ["vvf"]}"#,
        ] {
            let v: Value = serde_json::from_str(&reshape(ESTATE, bad)).expect("JSON");
            assert!(
                v["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{bad}: {v}"
            );
        }
        let unknown: Value = serde_json::from_str(&reshape(
            ESTATE,
            r#"{"editions": ["vmware-vcf-2024/nope"]}"#,
        ))
        .expect("JSON");
        assert_eq!(unknown["ok"], false, "{unknown}");
    }
}

#[cfg(test)]
mod import_tests {
    use super::*;

    /// A fixture of `tests/fixtures/import/`, compiled in (the API, like the core, reads no files).
    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tests/fixtures/import/",
                $name
            ))
            .as_slice()
        };
    }

    fn files(list: &[(&str, &[u8])]) -> (String, Vec<u8>) {
        let manifest: Vec<Value> = list
            .iter()
            .map(|(n, b)| json!({ "name": n, "len": b.len() }))
            .collect();
        (
            Value::from(manifest).to_string(),
            list.iter().flat_map(|(_, b)| b.to_vec()).collect(),
        )
    }

    fn run(kind: &str, list: &[(&str, &[u8])]) -> Value {
        let (manifest, bytes) = files(list);
        serde_json::from_str(&import_inventory(kind, &manifest, &bytes, "2026-11-20", ""))
            .expect("JSON")
    }

    #[test]
    fn a_workbook_and_its_csv_set_import_alike() {
        let w = run("auto", &[("rvtools-4x.xlsx", fixture!("rvtools-4x.xlsx"))]);
        assert_eq!(w["ok"], true, "{w}");
        assert_eq!(w["kind"], "rvtools");
        // The fixture's hand count (tests/e2e/import_rvtools.rs): 176 per-core licences under
        // the 16-core floor, over 6 hosts in 4 estate clusters.
        assert_eq!(w["summary"]["licensed_cores_16"], 176);
        assert_eq!(w["summary"]["hosts"], 6);
        assert_eq!(w["summary"]["clusters"], 4);
        let toml = w["toml"].as_str().expect("toml");
        assert!(parsed_ok(toml), "the imported estate prices");
        let list: [(&str, &[u8]); 3] = [
            (
                "RVTools_tabvHost.csv",
                fixture!("rvtools-4x/RVTools_tabvHost.csv"),
            ),
            (
                "RVTools_tabvInfo.csv",
                fixture!("rvtools-4x/RVTools_tabvInfo.csv"),
            ),
            (
                "RVTools_tabvMetaData.csv",
                fixture!("rvtools-4x/RVTools_tabvMetaData.csv"),
            ),
        ];
        let c = run("auto", &list);
        assert_eq!(c["ok"], true, "{c}");
        assert_eq!(
            c["summary"], w["summary"],
            "workbook and CSV set read the same"
        );
        // The whole folder, as a person selects it: tabs the importer does not read
        // (vCluster) are part of the export, not a per-host CSV beside it.
        let mut folder = list.to_vec();
        folder.push((
            "RVTools_tabvCluster.csv",
            fixture!("rvtools-4x/RVTools_tabvCluster.csv"),
        ));
        let f = run("auto", &folder);
        assert_eq!(f["ok"], true, "{f}");
        assert_eq!(
            f["summary"], w["summary"],
            "the whole folder reads as its three tabs"
        );
    }

    fn parsed_ok(toml: &str) -> bool {
        serde_json::from_str::<Value>(&evaluate(toml, "")).expect("JSON")["ok"] == true
    }

    #[test]
    fn rates_and_host_facts_work_as_on_the_command_line() {
        let xlsx = fixture!("rvtools-4x.xlsx");
        let (manifest, bytes) = files(&[("rvtools-4x.xlsx", xlsx)]);
        let with_rate: Value = serde_json::from_str(&import_inventory(
            "auto",
            &manifest,
            &bytes,
            "2026-11-20",
            "EUR=1.09",
        ))
        .expect("JSON");
        assert!(
            with_rate["toml"]
                .as_str()
                .is_some_and(|t| t.contains("EUR = \"1.09\"")),
            "{with_rate}"
        );
        let bad = import_inventory("auto", &manifest, &bytes, "2026-11-20", "EUR=abc");
        assert!(
            bad.contains("exchange rate") && bad.contains("`abc` is not a rate"),
            "{bad}"
        );
        // A workbook without vHost and a per-host CSV beside it (`import rvtools --hosts`):
        // the CLI's hand count for these fixtures is 160 per-core licences, no placeholders.
        let h = run(
            "auto",
            &[
                ("rvtools-no-vhost.xlsx", fixture!("rvtools-no-vhost.xlsx")),
                ("hosts.csv", fixture!("rvtools-no-vhost-hosts.csv")),
            ],
        );
        assert_eq!(h["ok"], true, "{h}");
        assert_eq!(h["summary"]["licensed_cores_16"], 160);
        assert_eq!(h["summary"]["placeholder_hosts"], json!([]));
        let without = run(
            "auto",
            &[("rvtools-no-vhost.xlsx", fixture!("rvtools-no-vhost.xlsx"))],
        );
        assert_ne!(
            without["summary"]["placeholder_hosts"],
            json!([]),
            "{without}"
        );
    }

    #[test]
    fn single_csvs_are_told_apart() {
        let hosts = fixture!("hosts-semicolon.csv");
        let h = run("auto", &[("hosts.csv", hosts)]);
        assert_eq!(h["ok"], true, "{h}");
        let c = run(
            "auto",
            &[("clusters.csv", fixture!("broadcom-clusters.csv"))],
        );
        assert_eq!(c["ok"], true, "{c}");
        assert_eq!(h["kind"], "hosts");
        // Not read as one host per cluster (its socket and core columns are per-host names).
        assert_eq!(c["kind"], "cluster-csv");
        assert!(parsed_ok(c["toml"].as_str().expect("toml")));
        assert_eq!(run("cluster-csv", &[("hosts.csv", hosts)])["ok"], false);
    }

    #[test]
    fn bad_imports_are_diagnostics() {
        let junk = run("auto", &[("junk.csv", b"a,b\n1,2\n")]);
        assert_eq!(junk["ok"], false);
        assert!(junk["diagnostics"][0]["message"].is_string(), "{junk}");
        assert_eq!(junk["diagnostics"][0]["file"], "junk.csv");
        let not_xlsx = run("auto", &[("x.xlsx", b"not a zip")]);
        assert_eq!(not_xlsx["ok"], false, "{not_xlsx}");
        let short = import_inventory(
            "auto",
            r#"[{"name": "a.csv", "len": 99}]"#,
            b"abc",
            "2026-11-20",
            "",
        );
        assert!(short.contains("cut short"), "{short}");
        assert!(import_inventory("auto", "[]", b"", "2026-11-20", "").contains("no file"));
        assert!(import_inventory("auto", "[]", b"", "yesterday", "").contains("not a date"));
        assert!(
            run("pdf", &[("a.csv", b"x")])["diagnostics"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("valid kinds"))
        );
    }
}

#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the text, every call answers with JSON or an error message, never a panic.
        #[test]
        fn any_text_gets_an_answer(text in "\\PC{0,400}", cut in 0usize..2000) {
            let example = super::example();
            let end = example.char_indices().map(|(i, _)| i).find(|&i| i >= cut).unwrap_or(example.len());
            for t in [text.as_str(), &example[..end]] {
                let v: serde_json::Value = serde_json::from_str(&super::evaluate(t, "")).expect("JSON");
                prop_assert!(v["ok"].is_boolean());
                let _ = super::export(t, "csv");
                let _ = serde_json::from_str::<serde_json::Value>(&super::cheapest(t)).expect("JSON");
                let _ = super::edit(t, r#"[{"set": "cluster[0].hosts", "value": {"integer": 3}}]"#);
            }
        }
    }
}

/// The shape of every answer the page reads, pinned: the top-level keys of each API call's
/// JSON for the example estate, on success and on each kind of refusal. The page (`app.js`)
/// and the browser tests read these keys, so a refactor of the envelope must keep them.
#[cfg(test)]
mod envelope_keys {
    use super::*;

    fn keys(json: &str) -> Vec<String> {
        let v: Value = serde_json::from_str(json).expect("the API answers JSON");
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    }

    #[test]
    fn every_call_keeps_its_envelope_keys() {
        let text = example();
        let broken = "years = =";
        let hosts = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/import/hosts-semicolon.csv"
        ));
        let manifest = json!([{ "name": "hosts.csv", "len": hosts.len() }]).to_string();
        let junk = json!([{ "name": "junk.csv", "len": 8 }]).to_string();
        let set_hosts = r#"[{"set": "cluster[0].hosts", "value": {"integer": 6}}]"#;
        let set_missing = r#"[{"set": "cluster[9].hosts", "value": {"integer": 6}}]"#;
        let cases: Vec<(&str, String, &[&str])> = vec![
            (
                "evaluate",
                evaluate(&text, ""),
                &["compare", "estate", "ok", "parts", "quote"],
            ),
            (
                "evaluate broken",
                evaluate(broken, ""),
                &["diagnostics", "ok"],
            ),
            (
                "cheapest",
                cheapest(&text),
                &[
                    "clusters",
                    "currency",
                    "engine",
                    "estate",
                    "format",
                    "method",
                    "notes",
                    // The one key the envelope adds: every answer says whether it is ok.
                    "ok",
                    "pricebooks",
                    "purchase_date",
                    "top",
                    "vendors",
                    "years",
                ],
            ),
            ("cheapest broken", cheapest(broken), &["diagnostics", "ok"]),
            ("sweep", sweep(&text, "prod.hosts=2..4"), &["ok", "sweep"]),
            (
                "sweep bad spec",
                sweep(&text, "prdo.hosts=2..4"),
                &["error", "ok"],
            ),
            (
                "sweep broken",
                sweep(broken, "hosts=2..4"),
                &["diagnostics", "ok"],
            ),
            ("edit", edit(&text, set_hosts), &["ok", "toml"]),
            ("edit bad path", edit(&text, set_missing), &["error", "ok"]),
            ("edit bad list", edit(&text, "not json"), &["error", "ok"]),
            (
                "import",
                import_inventory("auto", &manifest, hosts, "2026-11-20", ""),
                &["kind", "ok", "summary", "toml", "warnings"],
            ),
            (
                "import bad",
                import_inventory("auto", &junk, b"a,b\n1,2\n", "2026-11-20", ""),
                &["diagnostics", "ok"],
            ),
            (
                "import bad date",
                import_inventory("auto", "[]", b"", "yesterday", ""),
                &["diagnostics", "ok"],
            ),
            (
                "catalogue",
                catalogue("2009-11-02"),
                &["books", "engine", "needs", "ok", "regions"],
            ),
            ("fields", fields(), &["cluster", "costs", "sizing"]),
        ];
        for (what, json, expected) in cases {
            assert_eq!(keys(&json), expected.to_vec(), "{what}: {json}");
        }
        // Each problem of a refusal carries where and what, as the page lists it.
        let v: Value = serde_json::from_str(&evaluate(broken, "")).expect("JSON");
        let mut problem: Vec<&String> = v["diagnostics"][0]
            .as_object()
            .expect("a problem")
            .keys()
            .collect();
        problem.sort();
        assert_eq!(
            problem,
            [
                "column", "field", "file", "help", "line", "message", "severity"
            ]
        );
    }
}
