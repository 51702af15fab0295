//! JSON Schemas of the estate, pricebook and quote formats (`hypercost schema`).
//!
//! The quote schema is derived from the result types in [`mod@crate::quote`]. Estates and
//! pricebooks are read by a hand-written validating reader (`read`, `estate/parse.rs`,
//! `pricebook/parse.rs`), not by serde, so this module mirrors those formats field by field in
//! schema-only types whose doc comments become the descriptions an editor shows (Taplo, Even
//! Better TOML). They are never built: they exist to be described. When a reader gains a field,
//! add it here too; a test checks that every key of the bundled books, the example and the
//! golden cases is declared, and the committed copies in `core/schema/` are checked against
//! [`json`].
//!
//! TOML has no null, so the estate and pricebook schemas never allow one: optional fields are
//! simply not `required`. TOML dates are strings with `"format": "date"` to a JSON Schema
//! validator, and exact decimals may be written as strings or numbers.

#![allow(
    dead_code,
    reason = "the format mirrors are never built: they exist only to be described"
)]

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

/// Which format a schema describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// Estate files (TOML, format 1).
    Estate,
    /// Pricebook files (TOML, format 1).
    Pricebook,
    /// The quote JSON (`hypercost quote --format json`, format 1).
    Quote,
    /// Hardware catalogue files (TOML, format 1), for `reshape`.
    Hardware,
}

impl SchemaKind {
    /// Every kind, in the order they are documented.
    pub const ALL: [SchemaKind; 4] = [
        SchemaKind::Estate,
        SchemaKind::Pricebook,
        SchemaKind::Quote,
        SchemaKind::Hardware,
    ];

    /// The kind's name on the command line and in file names: `estate`, `pricebook`, `quote`.
    pub const fn name(self) -> &'static str {
        match self {
            SchemaKind::Estate => "estate",
            SchemaKind::Pricebook => "pricebook",
            SchemaKind::Quote => "quote",
            SchemaKind::Hardware => "hardware",
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<SchemaKind> {
        SchemaKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The JSON Schema (draft 2020-12) of a format: pretty JSON with a final newline, byte-identical
/// from run to run (keys sorted).
pub fn json(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Estate => settings()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<estate::Estate>(),
        SchemaKind::Pricebook => settings()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<pricebook::Pricebook>(),
        SchemaKind::Quote => settings()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<crate::quote::Quote>(),
        SchemaKind::Hardware => settings()
            .for_deserialize()
            .into_generator()
            .into_root_schema_for::<hardware::Catalogue>(),
    };
    // A schema is a tree of strings, numbers and maps: serialising it cannot fail.
    let mut out = serde_json::to_string_pretty(&schema).unwrap_or_default();
    out.push('\n');
    out
}

/// Draft 2020-12, without nulls, with descriptions as paragraphs.
fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(strip_null))
        .with_transform(RecursiveTransform(unwrap_description))
}

/// Removes `null` from a schema. TOML has no null, and the quote JSON leaves an absent value
/// out rather than writing null: an optional key is simply not `required`.
fn strip_null(schema: &mut Schema) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            obj.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    if let Some(Value::Array(options)) = obj.get_mut("anyOf") {
        options.retain(|o| o.get("type").and_then(Value::as_str) != Some("null"));
        if let [only] = options.as_slice()
            && let Some(only) = only.as_object().cloned()
        {
            obj.remove("anyOf");
            for (k, v) in only {
                obj.entry(k).or_insert(v);
            }
        }
    }
}

/// Joins the lines of a doc comment's paragraphs: editors wrap descriptions themselves.
fn unwrap_description(schema: &mut Schema) {
    if let Some(Value::String(text)) = schema.get_mut("description") {
        *text = text
            .split("\n\n")
            .map(|paragraph| paragraph.replace('\n', " "))
            .collect::<Vec<_>>()
            .join("\n\n");
    }
}

/// A schema-only scalar: a unit struct with a hand-written, inlined schema.
macro_rules! scalar {
    ($(#[$doc:meta])* $name:ident => $schema:tt) => {
        $(#[$doc])*
        struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

/// An exact decimal written as text: optional sign, digits, `_` separators, a fraction and an
/// exponent (`"7097.00"`, `"0.1"`, `"1_000"`, `"2.5e3"`).
const DECIMAL_PATTERN: &str = r"^[+-]?[0-9][0-9_]*(\.[0-9][0-9_]*)?([eE][+-]?[0-9]+)?$";

/// Lowercase kebab-case with dots: `vmware-vsphere-4.0`, `enterprise-plus`.
const ID_PATTERN: &str = r"^[a-z0-9][a-z0-9.-]*$";

/// `pricebook-id/item-id`.
const REF_PATTERN: &str = r"^[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*$";

scalar!(
    /// A whole number (TOML integer).
    Int => { "type": "integer" }
);
scalar!(
    /// A TOML local date (`2009-11-02`) or the same as a string.
    DateText => { "type": "string", "format": "date" }
);
scalar!(
    /// An exact decimal: a string (`"795.00"`, the recommended form) or a TOML number.
    DecimalText => { "type": ["string", "number"], "pattern": DECIMAL_PATTERN }
);
scalar!(
    /// An id: lowercase kebab-case with dots.
    Id => { "type": "string", "pattern": ID_PATTERN }
);
scalar!(
    /// `pricebook-id/item-id`.
    ItemRefText => { "type": "string", "pattern": REF_PATTERN }
);
scalar!(
    /// An ISO 4217 currency code.
    CurrencyCode => { "type": "string", "pattern": "^[A-Z]{3}$", "examples": ["USD", "EUR"] }
);
scalar!(
    /// Text that is not blank.
    NonBlank => { "type": "string", "pattern": r"\S" }
);
scalar!(
    /// A starter's short name: lowercase words of letters and digits joined by hyphens.
    ShortName => { "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$" }
);

/// A feature tag of the vocabulary, or an alias a pricebook defines for one.
struct FeatureWord;

impl JsonSchema for FeatureWord {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "FeatureWord".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "examples": crate::feature::tags() })
    }
}

/// A vendor-neutral feature tag: one of the vocabulary, never an alias.
struct FeatureTag;

impl JsonSchema for FeatureTag {
    fn schema_name() -> Cow<'static, str> {
        "FeatureTag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let options: Vec<Value> = crate::feature::VOCABULARY
            .iter()
            .map(|(tag, what)| serde_json::json!({ "const": tag, "description": what }))
            .collect();
        json_schema!({
            "description": "A vendor-neutral feature tag.",
            "type": "string",
            "oneOf": options,
        })
    }
}

/// How far a figure can be trusted (the marks of the project's pricing-facts reference).
#[derive(JsonSchema)]
#[schemars(rename = "Confidence")]
enum ConfidenceMark {
    /// Primary source: the vendor's own document, licence guide or blog, or several independent
    /// sources that agree. Use as is.
    P,
    /// A single reputable secondary source (news, an analyst, a well-known blogger, a
    /// competitor's published comparison), or an arithmetic derivation from such figures.
    S,
    /// Weak source: reseller or consultancy marketing, a generated aggregator, an anonymous
    /// repository. A default you are expected to override.
    W,
    /// Sources conflict; the note says both values and the amount is the one chosen.
    C,
    /// Commonly quoted but not found in any source searched; an amount, if any, is a
    /// placeholder.
    #[schemars(rename = "UNVERIFIED")]
    Unverified,
}

/// How far a quote line's figure can be trusted: the pricebook marks, plus `ESTATE` for the
/// estate's own figures (hardware, power, facilities, admin).
#[derive(JsonSchema)]
#[schemars(rename = "QuoteConfidence")]
enum QuoteConfidenceMark {
    /// Primary source.
    P,
    /// A single reputable secondary source, or a derivation from such figures.
    S,
    /// Weak source: a default you are expected to override.
    W,
    /// Sources conflict.
    C,
    /// Commonly quoted but not found in any source searched.
    #[schemars(rename = "UNVERIFIED")]
    Unverified,
    /// The estate's own figure: its `[costs]` (hardware, power, facilities, admin).
    #[schemars(rename = "ESTATE")]
    Estate,
}

impl JsonSchema for crate::pricebook::Confidence {
    fn schema_name() -> Cow<'static, str> {
        QuoteConfidenceMark::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        QuoteConfidenceMark::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        QuoteConfidenceMark::json_schema(generator)
    }
}

impl JsonSchema for crate::date::Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

/// A number's schema from its bounds: an integer, or an exact decimal as text or number.
fn number(integer: bool, b: &crate::estate::Bounds) -> Schema {
    use serde_json::Map;
    let mut m = Map::new();
    if integer {
        m.insert("type".into(), "integer".into());
    } else {
        m.insert("type".into(), serde_json::json!(["string", "number"]));
        m.insert("pattern".into(), DECIMAL_PATTERN.into());
    }
    let low = if b.low_open {
        "exclusiveMinimum"
    } else {
        "minimum"
    };
    m.insert(low.into(), decimal_value(b.low));
    if let Some(h) = b.high {
        let high = if b.high_open {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        m.insert(high.into(), decimal_value(h));
    }
    Schema::from(m)
}

/// A bound or default as a JSON number when whole, else as decimal text (0.2).
fn decimal_value(d: rust_decimal::Decimal) -> Value {
    use rust_decimal::prelude::ToPrimitive;
    d.fract()
        .is_zero()
        .then(|| d.to_i64())
        .flatten()
        .map_or_else(|| Value::from(d.to_string()), Value::from)
}

/// `rest` (an object schema) with every declared number of table `T` as a property: its
/// description, type, bounds and default from the one declaration; required ones required.
fn with_numbers<T: crate::estate::InputTable>(rest: Schema) -> Schema {
    with_specs(rest, T::specs().map(|s| (s, s.required)))
}

/// `rest` with these declared numbers as properties, each required or not as paired.
fn with_specs(
    mut rest: Schema,
    specs: impl Iterator<Item = (&'static crate::estate::FieldSpec, bool)>,
) -> Schema {
    let mut props = serde_json::Map::new();
    let mut required = Vec::new();
    for (spec, needed) in specs {
        let mut p = number(spec.bounds.integer, &spec.bounds);
        let default = spec
            .default
            .map_or(String::new(), |d| format!(" Default {d}."));
        let what = spec.description();
        let what = what.trim_end_matches('.');
        let range = spec.bounds.describe();
        p.insert(
            "description".into(),
            format!("{what}: {range}.{default}").into(),
        );
        if let Some(d) = spec.default {
            p.insert("default".into(), decimal_value(d));
        }
        props.insert(spec.key.into(), p.to_value());
        if needed {
            required.push(Value::from(spec.key));
        }
    }
    if let Some(obj) = rest.as_object_mut() {
        if let Some(Value::Object(existing)) = obj.get_mut("properties") {
            props.extend(std::mem::take(existing));
        }
        obj.insert("properties".into(), Value::Object(props));
        if !required.is_empty() {
            if let Some(Value::Array(r)) = obj.get("required") {
                required.splice(0..0, r.iter().cloned());
            }
            obj.insert("required".into(), Value::Array(required));
        }
    }
    rest
}

/// The quote's cluster inputs: the name and every declared cluster number the estate states.
impl JsonSchema for crate::quote::ClusterInputs {
    fn schema_name() -> Cow<'static, str> {
        "ClusterInputs".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        use crate::estate::InputTable;
        let mut props = serde_json::Map::new();
        props.insert(
            "name".into(),
            serde_json::json!({ "description": "Cluster name.", "type": "string" }),
        );
        for spec in crate::estate::Cluster::specs() {
            let mut p = if spec.bounds.integer {
                Schema::from(serde_json::Map::from_iter([(
                    "type".to_owned(),
                    Value::from("integer"),
                )]))
            } else {
                crate::money::text_schema::Plain::json_schema(&mut SchemaGenerator::default())
            };
            p.insert("description".into(), spec.description().into());
            props.insert(spec.key.into(), p.to_value());
        }
        let required: Vec<Value> = std::iter::once("name")
            .chain(
                crate::estate::Cluster::specs()
                    .filter(|s| s.required)
                    .map(|s| s.key),
            )
            .map(Value::from)
            .collect();
        json_schema!({
            "description": "One estate cluster's numbers, as given (before growth).",
            "type": "object",
            "properties": props,
            "required": required,
        })
    }
}

/// Estate format 1, as `estate/parse.rs` reads it.
mod estate {
    use super::*;

    /// An estate for hypercost (format 1): clusters of identical hosts, licences already
    /// owned, what-if scenarios with a plan per cluster, and cost assumptions. Unknown keys are
    /// errors.
    #[derive(JsonSchema)]
    #[schemars(title = "hypercost estate (format 1)", deny_unknown_fields)]
    pub(super) struct Estate {
        /// Estate format version: always 1.
        #[schemars(extend("const" = 1))]
        format: Int,
        /// Name shown on quotes.
        name: String,
        /// ISO 4217 currency of the estate (USD, EUR). A pricebook in another currency needs a
        /// rate in `[costs] fx`.
        currency: CurrencyCode,
        /// The purchase date (1990 to 2100): decides promotions, end of sale, dated rules and
        /// which pricebooks are on sale. Year 1 starts here.
        purchase_date: DateText,
        /// Horizon in years, 1 to 30.
        years: Years,
        /// Where the estate buys: pricebook rules that hold in some regions only (VMware's
        /// 72-core minimum order) are judged for it; without it, every regional rule applies.
        region: Option<crate::region::Region>,
        /// Clusters of identical hosts (`[[cluster]]`), at least one; names are unique.
        #[schemars(length(min = 1))]
        cluster: Vec<Cluster>,
        /// Licences already owned (`[[owned]]`), usable through upgrade paths.
        owned: Option<Vec<Owned>>,
        /// Agreements in force on the purchase date (`[[contract]]`): each licenses one
        /// subscription item on some clusters until it ends, and is renewed from the day after
        /// where still needed.
        contract: Option<Vec<Contract>>,
        /// What-if scenarios (`[[scenario]]`), at least one; names are unique.
        #[schemars(length(min = 1))]
        scenario: Vec<Scenario>,
        /// Costs beyond licences, and exchange rates (`[costs]`).
        costs: Option<Costs>,
        /// How `hypercost reshape` sizes hosts for each cluster's workload (`[sizing]`).
        sizing: Option<Sizing>,
        /// How `hypercost uncertainty` draws prices and inputs (`[uncertainty]`).
        uncertainty: Option<Uncertainty>,
        /// Pricebook rules the estate switches on or off (`[[rule]]`), each with its reason.
        rule: Option<Vec<RuleSwitch>>,
    }

    /// Identical hosts priced together: the declared numbers (`estate.rs`) and these.
    struct Cluster;

    impl JsonSchema for Cluster {
        fn schema_name() -> Cow<'static, str> {
            "Cluster".into()
        }

        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            with_numbers::<crate::estate::Cluster>(ClusterRest::json_schema(g))
        }
    }

    /// Identical hosts priced together.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct ClusterRest {
        /// Unique, non-empty name; plans refer to it.
        name: NonBlank,
        /// Features the cluster needs: vendor-neutral tags or any pricebook's alias for one. A
        /// plan whose edition lacks one is non-compliant.
        needs: Option<Vec<FeatureWord>>,
        /// Estate clusters with the same group are one real cluster: a pricebook with
        /// `uniform_edition` requires one edition across it.
        group: Option<String>,
    }

    /// Licences already owned.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Owned {
        /// The licence, `pricebook-id/item-id` (e.g. `vmware-vi3/enterprise`).
        licence: ItemRefText,
        /// How many, in that pricebook's unit (one VI3 licence covers 2 CPUs), 1 to 100,000,000.
        #[schemars(range(min = 1, max = 100_000_000))]
        quantity: Int,
        /// Support (SnS) is current; upgrade paths may require it. Default false.
        #[schemars(extend("default" = false))]
        support_active: Option<bool>,
    }

    /// An agreement in force on the purchase date.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Contract {
        /// Shown on its renewal lines.
        name: String,
        /// The subscription edition or add-on it licenses, `pricebook-id/item-id`.
        item: ItemRefText,
        /// The clusters it covers, by name; one contract per item and cluster.
        clusters: Vec<String>,
        /// The last day it covers; renewals start the day after.
        ends: DateText,
        /// What it really costs per unit and year (renewals are priced at it, as the
        /// estate's own figure); the pricebook's list for the term when left out.
        price_per_unit_year: Option<DecimalText>,
    }

    /// One what-if: a plan for every cluster.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Scenario {
        /// Unique name, shown on quotes.
        name: String,
        /// Prices this scenario as bought on this date instead of the estate's (era
        /// comparisons).
        purchase_date: Option<DateText>,
        /// Pricebook rules this scenario switches on or off (`[[scenario.rule]]`), over the
        /// estate's `[[rule]]` switches.
        rule: Option<Vec<RuleSwitch>>,
        /// One `[[scenario.plan]]` per cluster.
        #[schemars(length(min = 1))]
        plan: Vec<Plan>,
    }

    /// What one cluster runs in one scenario.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Plan {
        /// The cluster's name.
        cluster: String,
        /// The edition, `pricebook-id/edition-id` (e.g. `vmware-vsphere-4.0/enterprise-plus`).
        edition: ItemRefText,
        /// A support plan id of the edition's pricebook (e.g. `production`).
        support: Option<Id>,
        /// Add-ons, each `pricebook-id/addon-id`.
        addons: Option<Vec<ItemRefText>>,
        /// Convert owned licences through upgrade paths instead of buying new. Default false.
        #[schemars(extend("default" = false))]
        use_owned: Option<bool>,
        /// Guest OS licensing for the cluster's Windows VMs: an edition with VM rights,
        /// `pricebook-id/edition-id` (e.g. `microsoft-windows-server-2022/datacenter`).
        guest_os: Option<ItemRefText>,
        /// A support plan id of the guest OS pricebook; only with `guest_os`.
        guest_os_support: Option<Id>,
        /// The subscription term in years (1 to 10) the edition is bought on, one its
        /// pricebook sells; the pricebook's default term when left out.
        #[schemars(range(min = 1, max = 10))]
        term_years: Option<Int>,
        /// The day the cluster starts moving to this edition (default: the purchase date):
        /// its licences are bought, and subscriptions paid, from then.
        start: Option<DateText>,
        /// Months (0 to 120) the old and the new platform both run, and are both paid, from
        /// `start`. Default 0.
        #[schemars(range(min = 0, max = 120), extend("default" = 0))]
        migration_months: Option<Int>,
        /// Other hosts this scenario runs the cluster on (a hardware refresh with the move,
        /// as `hypercost reshape` writes it).
        shape: Option<Shape>,
    }

    /// Other hosts for one cluster in one scenario: any of the cluster's shape fields and
    /// `[costs]`' hardware price and power, each as declared there (`estate.rs`).
    struct Shape;

    impl JsonSchema for Shape {
        fn schema_name() -> Cow<'static, str> {
            "Shape".into()
        }

        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            with_specs(
                ShapeRest::json_schema(g),
                crate::estate::ShapeField::ALL
                    .iter()
                    .map(|f| (f.spec(), false)),
            )
        }
    }

    /// Other hosts for one cluster in one scenario.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct ShapeRest {
        /// What the hosts are, in words (e.g. the catalogue's server, CPU and RAM).
        hardware: Option<String>,
    }

    /// Horizon in years.
    struct Years;

    impl JsonSchema for Years {
        fn inline_schema() -> bool {
            true
        }

        fn schema_name() -> Cow<'static, str> {
            "Years".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            number(true, &crate::estate::YEARS)
        }
    }

    /// How `reshape` sizes hosts: the declared numbers (`estate.rs`) only.
    struct Sizing;

    impl JsonSchema for Sizing {
        fn schema_name() -> Cow<'static, str> {
            "Sizing".into()
        }

        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            with_numbers::<crate::estate::Sizing>(SizingRest::json_schema(g))
        }
    }

    /// How `reshape` sizes hosts.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct SizingRest {}

    /// How `uncertainty` draws: the declared widths per confidence mark (`estate.rs`) and
    /// the inputs' ranges.
    struct Uncertainty;

    impl JsonSchema for Uncertainty {
        fn schema_name() -> Cow<'static, str> {
            "Uncertainty".into()
        }

        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            with_numbers::<crate::estate::Uncertainty>(UncertaintyRest::json_schema(g))
        }
    }

    /// How `uncertainty` draws prices and inputs.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct UncertaintyRest {
        /// Estate inputs drawn uniformly from `low` to `high`, keyed by the field as the
        /// what-if commands name it (`"prod.vms"`, `pue`, `"discount.vmware"`); each end
        /// within the field's own range.
        inputs: Option<BTreeMap<String, InputRange>>,
    }

    /// An input's range.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct InputRange {
        /// Lowest value drawn.
        low: DecimalText,
        /// Highest value drawn (not below `low`).
        high: DecimalText,
    }

    /// Cost assumptions beyond licences: the declared numbers (`estate.rs`) and these.
    struct Costs;

    impl JsonSchema for Costs {
        fn schema_name() -> Cow<'static, str> {
            "Costs".into()
        }

        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            with_numbers::<crate::estate::Costs>(CostsRest::json_schema(g))
        }
    }

    /// Cost assumptions beyond licences, and exchange rates.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, extend("dependentRequired" = { "fx": ["fx_date"] }))]
    struct CostsRest {
        /// Negotiated discount off list per vendor key, as a fraction from 0 up to (not
        /// including) 1: `{ vmware = "0.15" }` is 15 % off every book whose vendor is `vmware`.
        vendor_discount: Option<BTreeMap<String, Fraction>>,
        /// Exchange rates: units of the estate currency per 1 unit of the keyed currency
        /// (`{ EUR = "1.08" }`), more than 0 and at most 1,000,000. Requires `fx_date`. A
        /// pricebook in another currency without a rate here is an input error.
        #[schemars(extend("propertyNames" = { "pattern": "^[A-Z]{3}$" }))]
        fx: Option<BTreeMap<String, FxRate>>,
        /// The date of the exchange rates (required with `fx`).
        fx_date: Option<DateText>,
        /// Where the exchange rates come from.
        fx_source: Option<String>,
    }

    /// A fraction from 0 up to, not including, 1.
    struct Fraction;

    impl JsonSchema for Fraction {
        fn inline_schema() -> bool {
            true
        }

        fn schema_name() -> Cow<'static, str> {
            "Fraction".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            number(false, &crate::estate::VENDOR_DISCOUNT)
        }
    }

    /// An exchange rate: estate currency per 1 unit of another.
    struct FxRate;

    impl JsonSchema for FxRate {
        fn inline_schema() -> bool {
            true
        }

        fn schema_name() -> Cow<'static, str> {
            "FxRate".into()
        }

        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            number(false, &crate::estate::FX_RATE)
        }
    }

    /// Switches a pricebook rule on or off for this estate; quotes show the reason.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct RuleSwitch {
        /// The rule, `pricebook-id/rule-id` (e.g. `vmware-vcf-2024/min-order-72`).
        rule: ItemRefText,
        /// true switches the rule on, false switches it off.
        enabled: bool,
        /// Why, e.g. "our reseller confirmed it was withdrawn": shown in every quote it affects.
        reason: NonBlank,
    }
}

/// Pricebook format 1, as `pricebook/parse.rs` reads it.
/// Hardware catalogue format 1, as `hardware/parse.rs` reads it (`hardware/README.md`).
mod hardware {
    use super::*;
    use crate::hardware::parse::{
        MAX_CORES, MAX_CPU_WATTS, MAX_RAM_GB, MAX_SERVER_WATTS, MAX_SOCKETS,
    };

    /// A hypercost hardware catalogue (format 1): server CPUs, servers and RAM, each priced
    /// with its source and confidence, from which `hypercost reshape` builds every host shape
    /// (a server × a CPU × a RAM size). Unknown keys are errors.
    #[derive(JsonSchema)]
    #[schemars(title = "hypercost hardware catalogue (format 1)", deny_unknown_fields)]
    pub(super) struct Catalogue {
        /// Catalogue format version: always 1.
        #[schemars(extend("const" = 1))]
        format: Int,
        /// The catalogue's id (e.g. `servers-2026`); the bundled one's equals its file stem.
        id: Id,
        /// Human name, shown in listings.
        #[schemars(length(min = 1))]
        name: String,
        /// ISO 4217 code of every price; `reshape` refuses a catalogue in another currency
        /// than the estate's.
        currency: CurrencyCode,
        /// One entry per CPU model (at least one).
        #[schemars(length(min = 1))]
        cpu: Vec<Cpu>,
        /// One entry per server model (at least one).
        #[schemars(length(min = 1))]
        server: Vec<Server>,
        /// Memory.
        ram: Ram,
    }

    /// One CPU model.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Cpu {
        /// Unique among the CPUs (e.g. `32c`).
        id: Id,
        /// Human name (e.g. "AMD EPYC 9355 (32 cores)").
        #[schemars(length(min = 1))]
        name: String,
        /// Physical cores.
        #[schemars(range(min = 1, max = MAX_CORES))]
        cores: Int,
        /// Power draw counted per CPU (TDP), in watts.
        #[schemars(range(min = 0, max = MAX_CPU_WATTS))]
        watts: Int,
        /// Price of one CPU: more than 0.
        price: DecimalText,
        /// Where the price comes from.
        #[schemars(length(min = 1))]
        source: String,
        /// How far the price can be trusted.
        confidence: ConfidenceMark,
    }

    /// One server model: all but CPUs and RAM.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Server {
        /// Unique among the servers (e.g. `2s-2u`).
        id: Id,
        /// Human name.
        #[schemars(length(min = 1))]
        name: String,
        /// CPUs per host.
        #[schemars(range(min = 1, max = MAX_SOCKETS))]
        sockets: Int,
        /// Chassis, board, power supplies, boot disks, network: all but CPUs and RAM; more
        /// than 0.
        base_price: DecimalText,
        /// Host power draw without CPUs, in watts.
        #[schemars(range(min = 0, max = MAX_SERVER_WATTS))]
        watts: Int,
        /// RAM the server holds at most, in GB: larger RAM sizes are not built on it.
        #[schemars(range(min = 1, max = MAX_RAM_GB))]
        max_ram_gb: Int,
        /// Where the price comes from.
        #[schemars(length(min = 1))]
        source: String,
        /// How far the price can be trusted.
        confidence: ConfidenceMark,
    }

    /// Memory.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Ram {
        /// Price per GB: more than 0.
        price_per_gb: DecimalText,
        /// The RAM sizes per host a shape may have, in GB, strictly ascending.
        #[schemars(length(min = 1), inner(range(min = 1, max = MAX_RAM_GB)))]
        sizes_gb: Vec<Int>,
        /// Where the price comes from.
        #[schemars(length(min = 1))]
        source: String,
        /// How far the price can be trusted.
        confidence: ConfidenceMark,
    }
}

mod pricebook {
    use super::*;

    /// A hypercost pricebook (format 1): one vendor product at one point in time — what can be
    /// bought, how units are counted, what each item costs with its source and confidence,
    /// support plans, upgrade paths, promotions and dated rules. Documented field by field in
    /// `pricebooks/README.md`. Unknown keys are errors. Editions, add-ons, support plans,
    /// upgrade paths, promotions and rules share one id namespace per book.
    #[derive(JsonSchema)]
    #[schemars(title = "hypercost pricebook (format 1)", deny_unknown_fields)]
    pub(super) struct Pricebook {
        /// Pricebook format version: always 1.
        #[schemars(extend("const" = 1))]
        format: Int,
        /// The book's id (e.g. `vmware-vsphere-4.0`); a bundled book's id equals its file stem,
        /// and a user file with a bundled id replaces that book.
        id: Id,
        /// Human name, shown in listings and quotes.
        name: String,
        /// Vendor key (`vmware`, `microsoft`, …): an estate's `vendor_discount` applies to every
        /// book with this key.
        vendor: String,
        /// ISO 4217 code of every amount in the book.
        currency: CurrencyCode,
        /// First day the product could be bought; buying earlier is non-compliant.
        on_sale_from: Option<DateText>,
        /// Last day (inclusive) it could be bought new; buying later is non-compliant.
        on_sale_until: Option<DateText>,
        /// Modelling decisions, shown with the book and in quotes that use it.
        notes: Option<Vec<String>>,
        /// The vendor's words for features, mapped to vendor-neutral tags (`vmotion =
        /// "live-migration"`).
        aliases: Option<BTreeMap<String, FeatureTag>>,
        /// What a cluster can be licensed with: editions and kits (`[[edition]]`).
        edition: Option<Vec<Edition>>,
        /// What can be bought on top of an edition, possibly from another vendor (`[[addon]]`).
        addon: Option<Vec<AddOn>>,
        /// Support plans for the perpetual items of this book (`[[support]]`).
        support: Option<Vec<Support>>,
        /// Paths from an owned licence (of any book) to an edition of this book (`[[upgrade]]`).
        upgrade: Option<Vec<Upgrade>>,
        /// Discounts valid in a date window (`[[promotion]]`).
        promotion: Option<Vec<Promotion>>,
        /// Licensing rules that hold in a date window or only when an estate switches them on
        /// (`[[rule]]`).
        rule: Option<Vec<Rule>>,
        /// Every estate cluster of one `group` must run the same edition of this book (every
        /// node of a cluster at one subscription level). Default false.
        #[schemars(extend("default" = false))]
        uniform_edition: Option<bool>,
    }

    /// Something a cluster's hosts are licensed with: an edition, or a kit.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Edition {
        /// Unique in the book.
        id: Id,
        /// Human name.
        name: String,
        /// Feature tags (or this book's aliases) the item provides, according to its sources.
        features: Option<Vec<FeatureWord>>,
        /// Features treated as provided by choice though no source confirms them; quotes that
        /// rely on one say so.
        features_unverified: Option<Vec<FeatureWord>>,
        /// Ids of this book's add-ons bought with the edition because it cannot be used
        /// without them (vCenter Server for the per-CPU vSphere editions).
        requires_items: Option<Vec<Id>>,
        /// How units are counted.
        metric: Metric,
        /// `perpetual` (paid once per unit; support plans apply) or `subscription` (per unit
        /// per year).
        term: Term,
        /// Price per unit; a free item has amount "0.00".
        price: Price,
        /// First day the item can be bought, when later than its book's `on_sale_from`.
        on_sale_from: Option<DateText>,
        /// First day the item can no longer be bought new.
        end_of_sale: Option<DateText>,
        /// The vendor withdrew the announced end of sale: on sale on every date from `on`.
        end_of_sale_withdrawn: Option<Withdrawal>,
        /// The subscription term, in years, that `price` is for: a plan's default. Only with
        /// `term_price`.
        #[schemars(range(min = 1, max = 10))]
        default_term_years: Option<Int>,
        /// Prices per year on the other subscription terms (`[[…term_price]]`), each term once.
        term_price: Option<Vec<TermPrice>>,
        /// Hard limits of the item.
        limits: Option<Limits>,
        /// Guest OS licences the item includes.
        vm_rights: Option<VmRights>,
        /// Pooled memory entitlement.
        pool: Option<Pool>,
        /// Shown with the item.
        notes: Option<Vec<String>>,
        /// Offered as a starter scenario when an inventory is imported.
        starter: Option<Starter>,
    }

    /// An edition's place among the starter scenarios of an imported estate.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Starter {
        /// Order among the starters of every loaded book, lowest first (ties by book and
        /// edition id).
        #[schemars(range(min = 1, max = 1000))]
        rank: Int,
        /// The scenario's name; default the edition's name.
        scenario: Option<NonBlank>,
        /// The short name `hypercost init --compare` takes (lowercase words joined by
        /// hyphens); starters of several eras may share one, and the one on sale is chosen.
        short: Option<ShortName>,
    }

    /// Something bought on top of an edition (the Nexus 1000V on vSphere Enterprise Plus).
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct AddOn {
        /// Unique in the book.
        id: Id,
        /// Human name.
        name: String,
        /// Feature tags (or this book's aliases) the item provides, according to its sources.
        features: Option<Vec<FeatureWord>>,
        /// Features treated as provided by choice though no source confirms them.
        features_unverified: Option<Vec<FeatureWord>>,
        /// Features the plan's edition must provide for the add-on to be usable.
        requires: Option<Vec<FeatureWord>>,
        /// How units are counted.
        metric: Metric,
        /// `perpetual` or `subscription`.
        term: Term,
        /// Price per unit.
        price: Price,
        /// First day the item can be bought, when later than its book's `on_sale_from`.
        on_sale_from: Option<DateText>,
        /// First day the item can no longer be bought new.
        end_of_sale: Option<DateText>,
        /// The vendor withdrew the announced end of sale: on sale on every date from `on`.
        end_of_sale_withdrawn: Option<Withdrawal>,
        /// The subscription term, in years, that `price` is for: a plan's default. Only with
        /// `term_price`.
        #[schemars(range(min = 1, max = 10))]
        default_term_years: Option<Int>,
        /// Prices per year on the other subscription terms (`[[…term_price]]`), each term once.
        term_price: Option<Vec<TermPrice>>,
        /// Hard limits of the item.
        limits: Option<Limits>,
        /// Guest OS licences the item includes.
        vm_rights: Option<VmRights>,
        /// Pooled memory entitlement.
        pool: Option<Pool>,
        /// Shown with the item.
        notes: Option<Vec<String>>,
    }

    /// How an item is paid for.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum Term {
        /// Paid once per unit; the book's support plans apply on top.
        Perpetual,
        /// Paid per unit per year; nothing is owned at the end.
        Subscription,
    }

    /// How many units of an item a cluster needs. `kind` decides which other keys apply.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, transform = metric_conditions)]
    struct Metric {
        /// The counting rule.
        kind: MetricKind,
        /// per-socket, kit: cores one licence covers per CPU, 1 to 1,000,000 (requires
        /// `above_cap`).
        #[schemars(range(min = 1, max = 1_000_000))]
        core_cap: Option<Int>,
        /// per-socket, kit: above `core_cap`, `stack` licences (⌈cores ÷ cap⌉ per CPU) or
        /// `forbidden` (non-compliant).
        above_cap: Option<AboveCap>,
        /// per-core: minimum cores counted per CPU.
        #[schemars(range(min = 1, max = 1_000_000))]
        min_per_cpu: Option<Int>,
        /// per-core: minimum cores counted per host.
        #[schemars(range(min = 1, max = 1_000_000))]
        min_per_host: Option<Int>,
        /// per-core: cores are sold in packs of this size (per host).
        #[schemars(range(min = 1, max = 1_000_000))]
        pack: Option<Int>,
        /// per-core, per-vm-cores: the scenario's total for the item is topped up to this
        /// many cores.
        #[schemars(range(min = 1, max = 1_000_000))]
        min_order: Option<Int>,
        /// per-vm-cores (required): cores counted per VM at least, 1 to 1024.
        #[schemars(range(min = 1, max = 1024))]
        min_per_vm: Option<Int>,
        /// per-server: a host with more sockets cannot be licensed with this item.
        #[schemars(range(min = 1, max = 1_000_000))]
        max_sockets: Option<Int>,
        /// per-processors (required): one licence covers this many CPUs of one host, 1 to 1024.
        #[schemars(range(min = 1, max = 1024))]
        processors: Option<Int>,
        /// per-processors: one licence covers at most this many cores of one host; licences
        /// stack above it (⌈sockets × cores ÷ max_cores⌉ per host when that is more).
        #[schemars(range(min = 1, max = 1_000_000))]
        max_cores: Option<Int>,
        /// kit (required): hosts one kit covers.
        #[schemars(range(min = 1, max = 1_000_000))]
        max_hosts: Option<Int>,
        /// kit (required): sockets per host one kit covers, 1 to 1024.
        #[schemars(range(min = 1, max = 1024))]
        max_sockets_per_host: Option<Int>,
    }

    /// The metric kinds.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum MetricKind {
        /// One licence per CPU socket; with `core_cap`, a socket above the cap takes
        /// ⌈cores ÷ cap⌉ licences (`stack`) or cannot be licensed (`forbidden`).
        PerSocket,
        /// Physical cores: per host max(sockets × max(cores, min_per_cpu), min_per_host),
        /// rounded up to `pack`; the scenario total topped up to `min_order`.
        PerCore,
        /// One licence per host, up to `max_sockets`.
        PerServer,
        /// One licence covers `processors` CPUs of one host: ⌈sockets ÷ processors⌉ per host,
        /// or ⌈sockets × cores ÷ max_cores⌉ when that is more.
        PerProcessors,
        /// One licence per virtual machine (the cluster's `vms`).
        PerVm,
        /// One per scenario, whatever its clusters (a management server such as vCenter),
        /// bought once for every plan that lists or requires it.
        PerInstance,
        /// One per user of the estate's servers (`[costs] users`), once per scenario (client
        /// access licences).
        PerUser,
        /// One per device using the estate's servers (`[costs] devices`), once per scenario.
        PerDevice,
        /// Per TiB of the cluster's vSAN capacity (`vsan_tib`, rounded up).
        PerTib,
        /// Core licences per VM: max(`min_per_vm`, its vCPUs) each, the total topped up to
        /// `min_order` (Windows Server licensed by VM).
        PerVmCores,
        /// One price for a small cluster of at most `max_hosts` × `max_sockets_per_host`; one
        /// kit per cluster, not combinable.
        Kit,
        /// No licence fee: units are hosts at price 0; bounds go in `limits`.
        Free,
    }

    /// What happens on a CPU with more cores than a licence's cap.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum AboveCap {
        /// Licences stack: ⌈cores ÷ cap⌉ per CPU.
        Stack,
        /// Not allowed: the plan is non-compliant.
        Forbidden,
    }

    /// Which metric keys each kind requires and allows.
    fn metric_conditions(schema: &mut Schema) {
        let all = [
            "core_cap",
            "above_cap",
            "min_per_cpu",
            "min_per_host",
            "pack",
            "min_order",
            "max_sockets",
            "processors",
            "max_cores",
            "max_hosts",
            "max_sockets_per_host",
            "min_per_vm",
        ];
        let kinds: [(&str, &[&str], &[&str]); 12] = [
            ("per-socket", &[], &["core_cap", "above_cap"]),
            (
                "per-core",
                &[],
                &["min_per_cpu", "min_per_host", "pack", "min_order"],
            ),
            ("per-server", &[], &["max_sockets"]),
            (
                "per-processors",
                &["processors"],
                &["processors", "max_cores"],
            ),
            ("per-vm", &[], &[]),
            ("per-instance", &[], &[]),
            ("per-user", &[], &[]),
            ("per-device", &[], &[]),
            ("per-tib", &[], &[]),
            (
                "per-vm-cores",
                &["min_per_vm"],
                &["min_per_vm", "min_order"],
            ),
            (
                "kit",
                &["max_hosts", "max_sockets_per_host"],
                &["max_hosts", "max_sockets_per_host", "core_cap", "above_cap"],
            ),
            ("free", &[], &[]),
        ];
        let mut conditions = Vec::new();
        for (kind, required, allowed) in kinds {
            conditions.push(when_kind(kind, required, allowed, &all));
        }
        schema.insert("allOf".into(), Value::Array(conditions));
        schema.insert(
            "dependentRequired".into(),
            serde_json::json!({ "core_cap": ["above_cap"] }),
        );
    }

    /// `if kind = K then these keys are required and the other kind-specific keys are absent`.
    fn when_kind(kind: &str, required: &[&str], allowed: &[&str], all: &[&str]) -> Value {
        let forbidden: serde_json::Map<String, Value> = all
            .iter()
            .filter(|k| !allowed.contains(k))
            .map(|k| ((*k).to_owned(), Value::Bool(false)))
            .collect();
        let mut then = serde_json::Map::new();
        if !required.is_empty() {
            then.insert("required".into(), serde_json::json!(required));
        }
        if !forbidden.is_empty() {
            then.insert("properties".into(), Value::Object(forbidden));
        }
        serde_json::json!({
            "if": { "properties": { "kind": { "const": kind } }, "required": ["kind"] },
            "then": then,
        })
    }

    /// A price with its citation. `amount` may be left out only when confidence is UNVERIFIED.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, transform = amount_unless_unverified)]
    struct Price {
        /// Money per unit, 0 or more: one-time for a perpetual item, per year for a
        /// subscription or a support plan. Write it as a string ("795.00"); numbers are read
        /// exactly from their text.
        #[schemars(range(min = 0))]
        amount: Option<DecimalText>,
        /// Where the figure comes from: a URL or a precise citation; say `derived: …` for a
        /// figure you worked out. Not blank.
        source: NonBlank,
        /// How far the figure can be trusted.
        confidence: ConfidenceMark,
        /// The unit, a derivation, a caveat.
        note: Option<String>,
        /// The lowest value the sources allow (with `high`; low ≤ amount ≤ high): a
        /// conflict's stated values, a quote's band. `hypercost uncertainty` draws the price
        /// from low to high instead of the confidence mark's default width.
        #[schemars(range(min = 0))]
        low: Option<DecimalText>,
        /// The highest value the sources allow (with `low`).
        #[schemars(range(min = 0))]
        high: Option<DecimalText>,
    }

    fn amount_unless_unverified(schema: &mut Schema) {
        schema.insert(
            "if".into(),
            serde_json::json!({
                "properties": { "confidence": { "const": "UNVERIFIED" } },
                "required": ["confidence"],
            }),
        );
        schema.insert("else".into(), serde_json::json!({ "required": ["amount"] }));
    }

    /// A subscription's price per unit per year on a term of `years`.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, transform = amount_unless_unverified)]
    struct TermPrice {
        /// Term length in years, 1 to 10.
        #[schemars(range(min = 1, max = 10))]
        years: Int,
        /// Money per unit per year on that term, as a string ("190.00").
        #[schemars(range(min = 0))]
        amount: Option<DecimalText>,
        /// Where the figure comes from. Not blank.
        source: NonBlank,
        /// How far the figure can be trusted.
        confidence: ConfidenceMark,
        /// The unit, a derivation, a caveat.
        note: Option<String>,
    }

    /// An announced end of sale the vendor took back, with its citation.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Withdrawal {
        /// The day the withdrawal is known; before the item's `end_of_sale`.
        on: DateText,
        /// Where it is reported. Not blank.
        source: NonBlank,
        /// How far the report can be trusted.
        confidence: ConfidenceMark,
        /// Caveat, e.g. that the day is approximate.
        note: Option<String>,
    }

    /// A percentage with its citation (support rates, promotion discounts).
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Rate {
        /// Percent, 0 to 100 ("25" for 25 %).
        #[schemars(range(min = 0, max = 100))]
        percent: DecimalText,
        /// Where the figure comes from. Not blank.
        source: NonBlank,
        /// How far the figure can be trusted.
        confidence: ConfidenceMark,
        /// Derivation or caveat.
        note: Option<String>,
    }

    /// Hard limits of an item; a cluster beyond any of them makes the plan non-compliant.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Limits {
        /// Most hosts per cluster.
        #[schemars(range(min = 1, max = 1_000_000))]
        max_hosts: Option<Int>,
        /// Most CPU sockets per host.
        #[schemars(range(min = 1, max = 1_000_000))]
        max_sockets_per_host: Option<Int>,
        /// Most cores per CPU (a hard limit, unlike a `core_cap` that stacks).
        #[schemars(range(min = 1, max = 1_000_000))]
        max_cores_per_socket: Option<Int>,
        /// Most physical RAM per host, GB.
        #[schemars(range(min = 1, max = 1_000_000))]
        max_ram_gb_per_host: Option<Int>,
        /// How long the item may be used (trials), days.
        #[schemars(range(min = 1, max = 1_000_000))]
        days: Option<Int>,
        /// Citation; required whenever `limits` is given.
        source: NonBlank,
    }

    /// Guest OS licences an item includes: exactly one of `per_licence` or `unlimited = true`.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, extend("oneOf" = [
        { "required": ["per_licence"], "properties": { "unlimited": { "const": false } } },
        { "required": ["unlimited"], "properties": { "unlimited": { "const": true } }, "not": { "required": ["per_licence"] } },
    ]))]
    struct VmRights {
        /// VMs per full licensing of a host; licences stack for more VMs.
        #[schemars(range(min = 1, max = 1_000_000))]
        per_licence: Option<Int>,
        /// true: unlimited VMs on a licensed host.
        unlimited: Option<bool>,
        /// Citation.
        source: NonBlank,
    }

    /// A memory entitlement pooled across a scenario's clusters (vSphere 5.0 vRAM).
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Pool {
        /// GB of configured VM memory each licence adds to the pool.
        #[schemars(range(min = 1, max = 1_000_000))]
        gb_per_licence: Int,
        /// The most one VM counts against the pool, GB.
        #[schemars(range(min = 1, max = 1_000_000))]
        vm_cap_gb: Option<Int>,
        /// A total no number of licences raises (kits), GB.
        #[schemars(range(min = 1, max = 1_000_000_000))]
        hard_cap_gb: Option<Int>,
        /// Citation.
        source: NonBlank,
    }

    /// An annual support plan: exactly one of `rate` or `price`.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, extend("oneOf" = [
        { "required": ["rate"], "not": { "required": ["price"] } },
        { "required": ["price"], "not": { "required": ["rate"] } },
    ]))]
    struct Support {
        /// Unique in the book; estates choose it as a plan's `support`.
        id: Id,
        /// Human name.
        name: String,
        /// `mandatory`: buying a perpetual item of this book without support is non-compliant;
        /// `optional`: support may be left out.
        first_year: FirstYear,
        /// Per unit per year = percent × the item's list price.
        rate: Option<Rate>,
        /// A fixed price per unit per year.
        price: Option<Price>,
        /// Item ids this plan supports; default every priced perpetual edition and add-on of
        /// this book.
        covers: Option<Vec<Id>>,
    }

    /// Whether support is required with a purchase.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum FirstYear {
        /// Buying without support is non-compliant.
        Mandatory,
        /// Support may be left out.
        Optional,
    }

    /// A path from an owned licence to an edition of this book.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Upgrade {
        /// Unique in the book.
        id: Id,
        /// Human name.
        name: String,
        /// `pricebook-id/item-id` of the owned licence; may be in another book.
        from: ItemRefText,
        /// An edition id of this book.
        to: Id,
        /// Units of `to` per owned unit of `from`, 1 to 1024. Default 1.
        #[schemars(range(min = 1, max = 1024), extend("default" = 1))]
        units_per_licence: Option<Int>,
        /// The owned licence must have active support. Default false.
        #[schemars(extend("default" = false))]
        requires_active_support: Option<bool>,
        /// Per unit of `to`; "0.00" for a free entitlement upgrade.
        price: Price,
    }

    /// A discount valid in a date window, judged on the estate's purchase date.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields)]
    struct Promotion {
        /// Unique in the book.
        id: Id,
        /// Human name.
        name: String,
        /// Id of an edition, add-on or upgrade path of this book.
        applies_to: Id,
        /// Percent off that item's unit price.
        discount: Rate,
        /// First day, inclusive; open when left out.
        valid_from: Option<DateText>,
        /// Last day, inclusive; open when left out.
        valid_until: Option<DateText>,
    }

    /// A licensing rule in force in a date window, or only when an estate switches it on.
    /// `kind` decides which of `units`, `cores`/`above_cap` and `percent` applies.
    #[derive(JsonSchema)]
    #[schemars(deny_unknown_fields, transform = rule_conditions)]
    struct Rule {
        /// Unique in the book; estates switch it as `pricebook-id/rule-id`.
        id: Id,
        /// Human name.
        name: String,
        /// What the rule does.
        kind: RuleKind,
        /// Ids of the editions or add-ons it applies to.
        applies_to: Vec<Id>,
        /// min-order (required): at least this many units per order of each item,
        /// scenario-wide.
        #[schemars(range(min = 1, max = 1_000_000))]
        units: Option<Int>,
        /// core-cap (required): a per-socket licence covers at most this many cores per CPU,
        /// 1 to 4096.
        #[schemars(range(min = 1, max = 4096))]
        cores: Option<Int>,
        /// core-cap: above the cap, `stack` (default) or `forbidden`.
        above_cap: Option<AboveCap>,
        /// surcharge and discount (required): percent added to (surcharge) or taken off
        /// (discount) the item's licence or subscription lines, 0 to 100.
        #[schemars(range(min = 0, max = 100))]
        percent: Option<DecimalText>,
        /// capacity (required): TiB of storage each licensed unit entitles, more than 0.
        tib_per_unit: Option<DecimalText>,
        /// capacity (required): the add-on of this book that sells capacity per TiB.
        addon: Option<Id>,
        /// capacity: beyond the entitlement, buy the `excess` (default) or the `whole`
        /// capacity.
        beyond: Option<Beyond>,
        /// First day it applies (inclusive), judged on the purchase date.
        from: Option<DateText>,
        /// Last day it applies (inclusive).
        until: Option<DateText>,
        /// Only the first N years of the horizon, 1 to 30 (a late-renewal surcharge on year 1);
        /// every year when left out.
        #[schemars(range(min = 1, max = 30))]
        years: Option<Int>,
        /// Only in these sales regions (at least one); everywhere when left out. An estate
        /// without a `region` gets the rule, and its quote says so.
        #[schemars(length(min = 1))]
        regions: Option<Vec<crate::region::Region>>,
        /// `on`: in force unless an estate switches it off (the default); `off`: optional, off
        /// unless an estate switches it on; `late-renewal`: on for a renewal made after its
        /// `[[contract]]` ended, off otherwise.
        #[schemars(extend("default" = "on"))]
        default: Option<OnOff>,
        /// Citation. Not blank.
        source: NonBlank,
        /// How far the rule can be trusted.
        confidence: ConfidenceMark,
        /// Caveat, e.g. why it is disputed.
        note: Option<String>,
    }

    /// What a rule does.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum RuleKind {
        /// At least `units` units per order of each item, scenario-wide.
        MinOrder,
        /// A per-socket licence covers at most `cores` cores per CPU.
        CoreCap,
        /// `percent` added to the item's licence or subscription lines.
        Surcharge,
        /// `percent` off the item's licence or subscription lines (usually `default = "off"`,
        /// switched on by an estate that qualifies: Azure Hybrid Benefit).
        Discount,
        /// `tib_per_unit` of storage per licensed unit, pooled over the scenario's clusters of
        /// the edition; beyond it `addon` is bought per TiB (vSAN).
        Capacity,
    }

    /// What a capacity rule buys beyond its entitlement.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum Beyond {
        /// Only the capacity beyond the entitlement.
        Excess,
        /// The whole capacity, once the entitlement is exceeded.
        Whole,
    }

    /// A rule's default state.
    #[derive(JsonSchema)]
    #[schemars(rename_all = "kebab-case")]
    enum OnOff {
        /// In force unless an estate switches it off.
        On,
        /// Off unless an estate switches it on.
        Off,
        /// On for a renewal made after its contract ended (a gap), off otherwise.
        LateRenewal,
    }

    /// Which rule keys each kind requires and allows.
    fn rule_conditions(schema: &mut Schema) {
        let all = [
            "units",
            "cores",
            "above_cap",
            "percent",
            "tib_per_unit",
            "addon",
            "beyond",
        ];
        let kinds: [(&str, &[&str], &[&str]); 5] = [
            ("min-order", &["units"], &["units"]),
            ("core-cap", &["cores"], &["cores", "above_cap"]),
            ("surcharge", &["percent"], &["percent"]),
            ("discount", &["percent"], &["percent"]),
            (
                "capacity",
                &["tib_per_unit", "addon"],
                &["tib_per_unit", "addon", "beyond"],
            ),
        ];
        let conditions = kinds
            .into_iter()
            .map(|(kind, required, allowed)| when_kind(kind, required, allowed, &all))
            .collect();
        schema.insert("allOf".into(), Value::Array(conditions));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(kind: SchemaKind) -> Value {
        serde_json::from_str(&json(kind)).unwrap()
    }

    #[test]
    fn every_schema_is_draft_2020_12_and_ends_with_a_newline() {
        for kind in SchemaKind::ALL {
            let text = json(kind);
            assert!(text.ends_with("}\n"), "{}", kind.name());
            assert_eq!(
                parsed(kind)["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            assert_eq!(SchemaKind::from_name(kind.name()), Some(kind));
        }
    }

    #[test]
    fn no_schema_allows_null() {
        for kind in SchemaKind::ALL {
            assert!(!json(kind).contains("\"null\""), "{}", kind.name());
        }
    }

    #[test]
    fn money_in_quotes_is_described_as_two_decimals() {
        let q = parsed(SchemaKind::Quote);
        let money = &q["$defs"]["Money"];
        assert!(
            money["description"]
                .as_str()
                .unwrap()
                .contains("two decimals")
        );
        assert_eq!(
            q["$defs"]["ScenarioQuote"]["properties"]["total"]["$ref"],
            "#/$defs/Money"
        );
    }
}
