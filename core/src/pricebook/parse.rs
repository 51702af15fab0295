//! Pricebook TOML → [`Pricebook`], collecting every problem.
//!
//! The same code path serves bundled books, user `--pricebook` files and (later)
//! `hypercost pricebook check`: a price without `source` and `confidence` is an error here.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::date::Date;
use crate::diag::{Collector, Diagnostics, help_for};
use crate::feature;
use crate::ids::{ItemRef, PricebookId, is_valid_id};
use crate::money::AMOUNT_MAX;
use crate::pricebook::cite::expand_citations;
use crate::pricebook::{
    AboveCap, Confidence, Item, ItemRole, LicensingRule, Limits, Metric, Pool, Price, Pricebook,
    Promotion, Rate, RuleKind, Starter, SupportBasis, SupportPlan, Term, TermPrice, UpgradePath,
    VmRights, Withdrawal,
};
use crate::read::{Table, as_string, currency_code, format_version, parse_document};
use crate::source::{SourceFile, Spanned};

const MAX_COUNT: u64 = 1_000_000;

/// Parses and validates one pricebook. `origin` says where it came from (`<bundled>`, a path).
pub fn parse_pricebook(file: &SourceFile, origin: &str) -> Result<Pricebook, Diagnostics> {
    let mut c = Collector::new(file);
    let Some(doc) = parse_document(&mut c, &file.text) else {
        return Err(c.finish());
    };
    let mut root = Table::root(&doc);
    let book = read_book(&mut c, &mut root, file, origin);
    root.finish(&mut c);
    match book {
        Some(book) if !c.has_errors() => Ok(book),
        _ => Err(c.finish()),
    }
}

fn read_book(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    file: &SourceFile,
    origin: &str,
) -> Option<Pricebook> {
    format_version(c, t, "pricebook");
    let id = t.req_string(c, "id");
    if let Some(id) = &id {
        check_id(c, id, "id");
    }
    let name = req_name(c, t);
    let vendor = t.req_string(c, "vendor");
    let currency = currency_code(c, t);
    let on_sale_from = t.date(c, "on_sale_from").map(|d| d.value);
    let on_sale_until = t.date(c, "on_sale_until").map(|d| d.value);
    let notes = strings(t.strings(c, "notes"));

    let mut aliases = BTreeMap::new();
    for (word, value, path) in t.entries(c, "aliases") {
        if let Some(tag) = as_string(c, value, &path) {
            if feature::is_known(&tag.value) {
                aliases.insert(word.value, tag.value);
            } else {
                c.error(
                    tag.span,
                    &path,
                    format!("unknown feature tag `{}`", tag.value),
                    Some(help_for(&tag.value, &feature::tags(), "feature tags")),
                );
            }
        }
    }

    let mut ids = Ids::new();
    let mut items = Vec::new();
    let item_tables: Vec<_> = [("edition", ItemRole::Edition), ("addon", ItemRole::AddOn)]
        .into_iter()
        .flat_map(|(key, role)| t.tables(c, key).into_iter().map(move |it| (it, role)))
        .collect();
    let upgrade_tables = t.tables(c, "upgrade");
    // Ids as declared, valid or not, so that one bad price is not also reported as a
    // missing target wherever the item is referred to.
    let declared = Declared {
        items: item_tables
            .iter()
            .filter_map(|(it, role)| Some((it.peek_string("id")?, *role)))
            .collect(),
        upgrades: upgrade_tables
            .iter()
            .filter_map(|u| u.peek_string("id"))
            .collect(),
    };
    for (mut it, role) in item_tables {
        if let Some(item) = read_item(c, &mut it, role, &aliases, &mut ids, &declared) {
            items.push(item);
        }
        it.finish(c);
    }
    let mut support = Vec::new();
    for mut s in t.tables(c, "support") {
        if let Some(plan) = read_support(c, &mut s, &mut ids, &declared) {
            support.push(plan);
        }
        s.finish(c);
    }
    let mut upgrades = Vec::new();
    for mut u in upgrade_tables {
        if let Some(path) = read_upgrade(c, &mut u, &mut ids, &declared) {
            upgrades.push(path);
        }
        u.finish(c);
    }
    let mut promotions = Vec::new();
    for mut p in t.tables(c, "promotion") {
        if let Some(promo) = read_promotion(c, &mut p, &mut ids, &declared) {
            promotions.push(promo);
        }
        p.finish(c);
    }
    let mut rules = Vec::new();
    for mut r in t.tables(c, "rule") {
        if let Some(rule) = read_rule(c, &mut r, &mut ids, &declared) {
            rules.push(rule);
        }
        r.finish(c);
    }
    let uniform_edition = t.bool(c, "uniform_edition").is_some_and(|b| b.value);

    let book = Pricebook {
        id: PricebookId(id?.value),
        name: name?.value,
        vendor: vendor?.value,
        currency: currency?.value,
        on_sale_from,
        on_sale_until,
        notes,
        aliases,
        items,
        support,
        upgrades,
        promotions,
        rules,
        uniform_edition,
        origin: origin.to_owned(),
        hash: content_hash(&file.text),
    };
    Some(book)
}

/// The ids a book declares, whether or not their tables are valid.
struct Declared {
    items: Vec<(String, ItemRole)>,
    upgrades: Vec<String>,
}

impl Declared {
    fn item_ids(&self, role: Option<ItemRole>) -> Vec<&str> {
        self.items
            .iter()
            .filter(|(_, r)| role.is_none_or(|want| *r == want))
            .map(|(id, _)| id.as_str())
            .collect()
    }
}

fn read_item(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    role: ItemRole,
    aliases: &BTreeMap<String, String>,
    ids: &mut Ids,
    declared: &Declared,
) -> Option<Item> {
    let id = read_id(c, t, ids);
    let name = req_name(c, t);
    let features = read_features(c, t, "features", aliases);
    let features_unverified = read_features(c, t, "features_unverified", aliases);
    let requires = if role == ItemRole::AddOn {
        read_features(c, t, "requires", aliases)
    } else {
        Vec::new()
    };
    // Add-ons of this book an edition cannot be used without (vCenter Server for the per-CPU
    // vSphere editions): bought with it, so an option's price is complete.
    let requires_items = match role {
        ItemRole::Edition => {
            let addons = declared.item_ids(Some(ItemRole::AddOn));
            let field = t.field("requires_items");
            let listed = t.strings(c, "requires_items").unwrap_or_default();
            for r in listed
                .iter()
                .filter(|r| !addons.contains(&r.value.as_str()))
            {
                c.error(
                    r.span.clone(),
                    &field,
                    format!("`{}` is not an add-on of this pricebook", r.value),
                    Some(help_for(&r.value, &addons, "add-ons")),
                );
            }
            strings(Some(listed))
        }
        ItemRole::AddOn => Vec::new(),
    };
    let metric = match t.table(c, "metric") {
        Some(mut m) => {
            let metric = read_metric(c, &mut m, role);
            m.finish(c);
            metric
        }
        None => {
            t.missing(c, "metric", "a table like { kind = \"per-socket\" }");
            None
        }
    };
    let term = t.req_string(c, "term").and_then(|s| {
        let choices = [
            ("perpetual", Term::Perpetual),
            ("subscription", Term::Subscription),
        ];
        choice(c, s, &t.field("term"), &choices, ("term", "terms"))
    });
    let price = read_price(c, t, "price", true);
    let (default_term_years, term_prices) = read_terms(c, t, term);
    let item_from = t.date(c, "on_sale_from").map(|d| d.value);
    let end_of_sale = t.date(c, "end_of_sale").map(|d| d.value);
    let end_of_sale_withdrawn = read_withdrawal(c, t, end_of_sale);
    let limits = read_limits(c, t);
    let vm_rights = read_vm_rights(c, t);
    let pool = read_pool(c, t);
    let notes = strings(t.strings(c, "notes"));
    // Only editions are starters: on an add-on `starter` is an unknown field.
    let starter = match role {
        ItemRole::Edition => read_starter(c, t),
        ItemRole::AddOn => None,
    };
    let name = name?.value;
    Some(Item {
        id: id?,
        starter: starter.map(|(rank, scenario, short)| Starter {
            rank,
            scenario: scenario.unwrap_or_else(|| name.clone()),
            short,
        }),
        name,
        role,
        features,
        features_unverified,
        requires,
        requires_items,
        metric: metric?,
        term: term?,
        price: price?,
        default_term_years,
        term_prices,
        on_sale_from: item_from,
        end_of_sale,
        end_of_sale_withdrawn,
        limits,
        vm_rights,
        pool,
        notes,
    })
}

fn read_id(c: &mut Collector<'_>, t: &mut Table<'_, '_>, ids: &mut Ids) -> Option<String> {
    let id = t.req_string(c, "id")?;
    let field = t.field("id");
    check_id(c, &id, &field);
    match ids.get(&id.value) {
        Some((first, first_field)) => {
            // Tables are read kind by kind, not in file order: the occurrence later in the
            // file is the duplicate, and the message names the line of the earlier one.
            let (dup, dup_field, earlier) = if first.start < id.span.start {
                (id.span.clone(), field, first.start)
            } else {
                (first.clone(), first_field.clone(), id.span.start)
            };
            let (line, _) = c.line_col(earlier);
            c.error(dup, &dup_field, format!("duplicate id `{}` (first used on line {line})", id.value), Some("editions, add-ons, support plans, upgrade paths and promotions share one namespace per pricebook".into()));
        }
        None => {
            ids.insert(id.value.clone(), (id.span.clone(), field));
        }
    }
    Some(id.value)
}

/// Every id a pricebook declares, with where (span and field path) it is first declared.
type Ids = HashMap<String, (std::ops::Range<usize>, String)>;

fn check_id(c: &mut Collector<'_>, id: &Spanned<String>, field: &str) {
    if !is_valid_id(&id.value) {
        c.error(
            id.span.clone(),
            field,
            format!("`{}` is not a valid id", id.value),
            Some(
                "use lowercase letters, digits, `-` and `.`, starting with a letter or digit"
                    .into(),
            ),
        );
    }
}

fn read_features(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    key: &'static str,
    aliases: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for f in t.strings(c, key).unwrap_or_default() {
        let tag = aliases
            .get(&f.value)
            .cloned()
            .unwrap_or_else(|| f.value.clone());
        if feature::is_known(&tag) {
            if !out.contains(&tag) {
                out.push(tag);
            }
        } else {
            let mut valid = feature::tags();
            valid.extend(aliases.keys().map(String::as_str));
            c.error(
                f.span,
                &t.field(key),
                format!("unknown feature `{}`", f.value),
                Some(help_for(&f.value, &valid, "features")),
            );
        }
    }
    out
}

const METRIC_KINDS: &[&str] = &[
    "per-socket",
    "per-core",
    "per-server",
    "per-processors",
    "per-vm",
    "per-instance",
    "per-user",
    "per-device",
    "per-tib",
    "per-vm-cores",
    "kit",
    "free",
];

fn read_metric(c: &mut Collector<'_>, m: &mut Table<'_, '_>, role: ItemRole) -> Option<Metric> {
    let kind = m.req_string(c, "kind")?;
    let count = |c: &mut Collector<'_>, m: &mut Table<'_, '_>, key| {
        m.int(c, key, 1, MAX_COUNT).map(|v| v.value as u32)
    };
    let metric = match kind.value.as_str() {
        "per-socket" => {
            let core_cap = count(c, m, "core_cap");
            let above_cap = read_above_cap(c, m, core_cap.is_some())?;
            Metric::PerSocket {
                core_cap,
                above_cap,
            }
        }
        "per-core" => Metric::PerCore {
            min_per_cpu: count(c, m, "min_per_cpu"),
            min_per_host: count(c, m, "min_per_host"),
            pack: count(c, m, "pack"),
            min_order: count(c, m, "min_order"),
        },
        "per-server" => Metric::PerServer {
            max_sockets: count(c, m, "max_sockets"),
        },
        "per-processors" => {
            let n = m.req_int(c, "processors", 1, 1024)?;
            Metric::PerProcessors {
                processors: n.value as u32,
                max_cores: count(c, m, "max_cores"),
            }
        }
        "per-vm" => Metric::PerVm,
        "per-instance" => Metric::PerInstance,
        "per-user" => Metric::PerUser,
        "per-device" => Metric::PerDevice,
        "per-tib" => Metric::PerTib,
        "per-vm-cores" => {
            let n = m.req_int(c, "min_per_vm", 1, 1024)?;
            Metric::PerVmCores {
                min_per_vm: n.value as u32,
                min_order: count(c, m, "min_order"),
            }
        }
        "kit" => {
            let max_hosts = m.req_int(c, "max_hosts", 1, MAX_COUNT);
            let max_sockets = m.req_int(c, "max_sockets_per_host", 1, 1024);
            let core_cap = count(c, m, "core_cap");
            let above_cap = read_above_cap(c, m, core_cap.is_some())?;
            Metric::Kit {
                max_hosts: max_hosts?.value as u32,
                max_sockets_per_host: max_sockets?.value as u32,
                core_cap,
                above_cap,
            }
        }
        "free" => Metric::Free,
        other => {
            c.error(
                kind.span,
                &m.field("kind"),
                format!("unknown metric kind `{other}`"),
                Some(help_for(other, METRIC_KINDS, "metric kinds")),
            );
            return None;
        }
    };
    if role == ItemRole::Edition && metric.once_per_scenario() {
        c.error(
            kind.span,
            &m.field("kind"),
            format!(
                "`{}` is bought once per scenario, so it prices an add-on, not an edition",
                kind.value
            ),
            Some("declare the item as an [[addon]]: a plan lists it in `addons`".into()),
        );
        return None;
    }
    Some(metric)
}

fn read_above_cap(c: &mut Collector<'_>, m: &mut Table<'_, '_>, has_cap: bool) -> Option<AboveCap> {
    match m.string(c, "above_cap") {
        Some(s) => match s.value.as_str() {
            "stack" => Some(AboveCap::Stack),
            "forbidden" => Some(AboveCap::Forbidden),
            other => {
                c.error(
                    s.span,
                    &m.field("above_cap"),
                    format!("unknown rule `{other}` for cores above the cap"),
                    Some(help_for(other, &["stack", "forbidden"], "rules")),
                );
                None
            }
        },
        None if has_cap => {
            m.missing(
                c,
                "above_cap",
                "\"stack\" or \"forbidden\" (what happens above core_cap)",
            );
            None
        }
        None => Some(AboveCap::Stack),
    }
}

/// A required `confidence`: one of [`Confidence::IN_FILES`], as [`Confidence::mark`] writes it.
/// Pricebooks and hardware catalogues read it here.
pub(crate) fn read_confidence(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Confidence> {
    let s = t.req_string(c, "confidence")?;
    if let Some(mark) = Confidence::IN_FILES
        .into_iter()
        .find(|m| m.mark() == s.value)
    {
        return Some(mark);
    }
    let marks = Confidence::IN_FILES.map(Confidence::mark);
    c.error(
        s.span,
        &t.field("confidence"),
        format!("unknown confidence mark `{}`", s.value),
        Some(help_for(
            &s.value,
            &marks,
            "marks (pricebooks/README.md, `Confidence marks`)",
        )),
    );
    None
}

fn read_source(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<String> {
    let s = t.req_string(c, "source")?;
    if s.value.trim().is_empty() {
        c.error(
            s.span,
            &t.field("source"),
            "empty source",
            Some("every price cites a URL or a row of pricing-facts.md".into()),
        );
        return None;
    }
    // Shorthands become openable addresses here, once, for every consumer of the book.
    match expand_citations(&s.value) {
        Ok(expanded) => Some(expanded),
        Err(message) => {
            c.error(
                s.span,
                &t.field("source"),
                message,
                Some("the shorthands are listed in pricebooks/citations/shorthands.toml".into()),
            );
            None
        }
    }
}

/// The value `word` names among `choices`, or an error at it naming the valid words
/// (`noun`: "unknown term `x`", "… valid terms: …").
fn choice<T: Copy>(
    c: &mut Collector<'_>,
    word: Spanned<String>,
    field: &str,
    choices: &[(&str, T)],
    (noun, plural): (&str, &str),
) -> Option<T> {
    if let Some((_, v)) = choices.iter().find(|(w, _)| *w == word.value) {
        return Some(*v);
    }
    let words: Vec<&str> = choices.iter().map(|(w, _)| *w).collect();
    c.error(
        word.span,
        field,
        format!("unknown {noun} `{}`", word.value),
        Some(help_for(&word.value, &words, plural)),
    );
    None
}

/// A `{ amount, source, confidence, note }` table.
pub(crate) fn read_price(
    c: &mut Collector<'_>,
    parent: &mut Table<'_, '_>,
    key: &'static str,
    required: bool,
) -> Option<Price> {
    let Some(mut t) = parent.table(c, key) else {
        if required {
            parent.missing(
                c,
                key,
                "a table like { amount = \"795.00\", source = \"…\", confidence = \"P\" }",
            );
        }
        return None;
    };
    let price = price_fields(c, &mut t);
    t.finish(c);
    price
}

/// The `amount`, `source`, `confidence` and `note` of a price table, checked.
fn price_fields(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Price> {
    let amount = t.decimal(c, "amount");
    let source = read_source(c, t);
    let confidence = read_confidence(c, t);
    let note = t.string(c, "note").map(|s| s.value);
    let range = read_range(c, t, amount.as_ref().map(|a| a.value));
    if let Some(a) = &amount {
        if a.value.is_sign_negative() {
            c.error(
                a.span.clone(),
                &t.field("amount"),
                format!("negative price {}", a.value),
                Some("expected an amount of 0 or more".into()),
            );
        } else if a.value > Decimal::from(AMOUNT_MAX) {
            c.error(
                a.span.clone(),
                &t.field("amount"),
                format!("price {} is beyond what hypercost accepts", a.value),
                Some(format!(
                    "expected an amount from 0 to {}",
                    crate::money::grouped_int(u64::from(AMOUNT_MAX))
                )),
            );
        }
    } else if confidence.is_some_and(|k| k != Confidence::Unverified) {
        t.missing(
            c,
            "amount",
            "an amount; it may be left out only when confidence = \"UNVERIFIED\"",
        );
    }
    Some(Price {
        amount: amount.map(|a| a.value),
        range,
        source: source?,
        confidence: confidence?,
        note,
    })
}

/// A price's optional `low` and `high`: both or neither, 0 ≤ low ≤ amount ≤ high.
fn read_range(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    amount: Option<Decimal>,
) -> Option<(Decimal, Decimal)> {
    let low = t.decimal(c, "low");
    let high = t.decimal(c, "high");
    let (low, high) = match (low, high) {
        (None, None) => return None,
        (Some(l), Some(h)) => (l, h),
        (Some(_), None) => {
            t.missing(c, "high", "a high end beside low, e.g. high = \"120.00\"");
            return None;
        }
        (None, Some(_)) => {
            t.missing(c, "low", "a low end beside high, e.g. low = \"110.00\"");
            return None;
        }
    };
    let Some(amount) = amount else {
        c.error(
            low.span,
            &t.field("low"),
            "a range needs the amount it is around",
            Some("give amount, or leave out low and high".into()),
        );
        return None;
    };
    for (end, name) in [(&low, "low"), (&high, "high")] {
        if end.value.is_sign_negative() || end.value > Decimal::from(AMOUNT_MAX) {
            c.error(
                end.span.clone(),
                &t.field(name),
                format!("{name} {} is out of range", end.value),
                Some(format!(
                    "expected an amount from 0 to {}",
                    crate::money::grouped_int(u64::from(AMOUNT_MAX))
                )),
            );
            return None;
        }
    }
    if !(low.value <= amount && amount <= high.value) {
        c.error(
            low.span,
            &t.field("low"),
            format!(
                "the range {} to {} does not hold the amount {amount}",
                low.value, high.value
            ),
            Some("expected low ≤ amount ≤ high".into()),
        );
        return None;
    }
    Some((low.value, high.value))
}

fn read_rate(c: &mut Collector<'_>, parent: &mut Table<'_, '_>, key: &'static str) -> Option<Rate> {
    let mut t = parent.table(c, key)?;
    let percent = t.decimal(c, "percent");
    // A percent that is there but wrong is reported as such, not also as missing.
    if percent.is_none() && !t.has("percent") {
        t.missing(c, "percent", "a percentage such as \"25\"");
    }
    let source = read_source(c, &mut t);
    let confidence = read_confidence(c, &mut t);
    let note = t.string(c, "note").map(|s| s.value);
    if let Some(p) = &percent
        && (p.value.is_sign_negative() || p.value > rust_decimal::Decimal::ONE_HUNDRED)
    {
        c.error(
            p.span.clone(),
            &t.field("percent"),
            format!("{} % is not a percentage", p.value),
            Some("expected 0 to 100".into()),
        );
    }
    t.finish(c);
    Some(Rate {
        percent: percent?.value,
        source: source?,
        confidence: confidence?,
        note,
    })
}

/// `default_term_years = 3` and `[[edition.term_price]] years = 1 amount = …`: a subscription
/// sold on several terms. Both or neither; each term once; subscriptions only.
fn read_terms(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    term: Option<Term>,
) -> (Option<u32>, Vec<TermPrice>) {
    let default = t.int(c, "default_term_years", 1, 10);
    let mut prices: Vec<TermPrice> = Vec::new();
    let list_field = t.field("term_price");
    let tables = t.tables(c, "term_price");
    let listed = !tables.is_empty();
    for mut pt in tables {
        let years = pt.req_int(c, "years", 1, 10);
        let price = price_fields(c, &mut pt);
        let span = pt.span.clone();
        pt.finish(c);
        let (Some(y), Some(price)) = (years, price) else {
            continue;
        };
        let y = y.value as u32;
        let clash = default.as_ref().is_some_and(|d| d.value as u32 == y)
            || prices.iter().any(|p| p.years == y);
        if clash {
            c.error(
                span,
                &list_field,
                format!("the {y}-year term is priced twice"),
                Some("give each term once: `price` is the default term's".into()),
            );
            continue;
        }
        prices.push(TermPrice { years: y, price });
    }
    let default = default.map(|d| d.value as u32);
    let terms_given = default.is_some() || listed;
    if terms_given && term == Some(Term::Perpetual) {
        c.error(
            t.span.clone(),
            &t.field("term_price"),
            "a perpetual item has no subscription terms",
            Some("term prices are for `term = \"subscription\"` items".into()),
        );
    } else if default.is_some() != listed {
        c.error(
            t.span.clone(),
            &t.field("default_term_years"),
            "`default_term_years` and `[[…term_price]]` go together",
            Some(
                "say which term `price` is for (default_term_years) and price the other terms"
                    .into(),
            ),
        );
    }
    prices.sort_by_key(|p| p.years);
    (default, prices)
}

/// `end_of_sale_withdrawn = { on = 2009-10-15, source = "…", confidence = "S" }`: only beside
/// an `end_of_sale`, and before it (a withdrawal after the end took effect would be a new
/// sale, a matter for `on_sale_from` of a later book).
fn read_withdrawal(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    end_of_sale: Option<Date>,
) -> Option<Withdrawal> {
    let mut w = t.table(c, "end_of_sale_withdrawn")?;
    let on = w.req_date(c, "on");
    let source = read_source(c, &mut w);
    let confidence = read_confidence(c, &mut w);
    let note = w.string(c, "note").map(|s| s.value);
    let span = w.span.clone();
    let path = w.path.clone();
    let w_on = w.field("on");
    w.finish(c);
    let on = on?;
    match end_of_sale {
        None => {
            c.error(
                span,
                &path,
                "an end of sale was withdrawn, but the item has no `end_of_sale`",
                Some("give the announced date as `end_of_sale`, or remove the withdrawal".into()),
            );
            return None;
        }
        Some(eos) if on.value >= eos => {
            c.error(
                on.span,
                &w_on,
                format!(
                    "the withdrawal ({}) is not before the end of sale it withdraws ({eos})",
                    on.value
                ),
                Some("expected a day before `end_of_sale`".into()),
            );
            return None;
        }
        Some(_) => {}
    }
    Some(Withdrawal {
        on: on.value,
        source: source?,
        confidence: confidence?,
        note,
    })
}

fn read_limits(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Limits {
    let Some(mut l) = t.table(c, "limits") else {
        return Limits::default();
    };
    let mut get = |c: &mut Collector<'_>, key| l.int(c, key, 1, MAX_COUNT).map(|v| v.value as u32);
    let limits = Limits {
        max_hosts: get(c, "max_hosts"),
        max_sockets_per_host: get(c, "max_sockets_per_host"),
        max_cores_per_socket: get(c, "max_cores_per_socket"),
        max_ram_gb_per_host: get(c, "max_ram_gb_per_host"),
        days: get(c, "days"),
        source: read_source(c, &mut l),
    };
    l.finish(c);
    limits
}

fn read_vm_rights(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<VmRights> {
    let mut v = t.table(c, "vm_rights")?;
    let per = v.int(c, "per_licence", 1, MAX_COUNT);
    let unlimited = v.bool(c, "unlimited");
    let source = read_source(c, &mut v);
    let rights = match (per, unlimited.map(|u| u.value)) {
        (Some(n), None | Some(false)) => Some(VmRights::PerLicence {
            vms: n.value as u32,
            source: source?,
        }),
        (None, Some(true)) => Some(VmRights::Unlimited { source: source? }),
        _ => {
            c.error(
                v.span.clone(),
                &v.path,
                "vm_rights needs exactly one of `per_licence` or `unlimited = true`",
                Some("e.g. { per_licence = 2, source = \"…\" }".into()),
            );
            None
        }
    };
    v.finish(c);
    rights
}

/// The most starter ranks a book may use: a handful of starters is the point.
const MAX_STARTER_RANK: u64 = 1000;

/// What `read_starter` reads: rank, scenario name and short name (the last two when given).
type StarterMark = (u32, Option<String>, Option<String>);

/// `starter = { rank = N, scenario = "…", short = "…" }`.
fn read_starter(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<StarterMark> {
    let mut s = t.table(c, "starter")?;
    let rank = s.req_int(c, "rank", 1, MAX_STARTER_RANK);
    let scenario = s.string(c, "scenario");
    let short = s.string(c, "short");
    if let Some(word) = &short
        && !is_short_name(&word.value)
    {
        c.error(
            word.span.clone(),
            &s.field("short"),
            format!("`{}` is not a short name", word.value),
            Some(
                "lowercase letters and digits, words joined by single hyphens (e.g. `my-platform`)"
                    .into(),
            ),
        );
    }
    if let Some(name) = &scenario
        && name.value.trim().is_empty()
    {
        c.error(
            name.span.clone(),
            &s.field("scenario"),
            "empty scenario name",
            Some("the scenario's name, or leave `scenario` out to use the edition's name".into()),
        );
    }
    s.finish(c);
    let rank = u32::try_from(rank?.value).ok()?;
    Some((
        rank,
        scenario.map(|n| n.value).filter(|n| !n.trim().is_empty()),
        short.map(|n| n.value).filter(|n| is_short_name(n)),
    ))
}

/// A starter's short name: lowercase ASCII words of letters and digits joined by single
/// hyphens, so it can be typed in a comma-separated list on a command line.
fn is_short_name(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn read_pool(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Pool> {
    let mut p = t.table(c, "pool")?;
    let gb = p.req_int(c, "gb_per_licence", 1, MAX_COUNT);
    let vm_cap_gb = p.int(c, "vm_cap_gb", 1, MAX_COUNT).map(|v| v.value as u32);
    let hard_cap_gb = p
        .int(c, "hard_cap_gb", 1, MAX_COUNT * 1000)
        .map(|v| v.value as u32);
    let source = read_source(c, &mut p);
    p.finish(c);
    Some(Pool {
        gb_per_licence: gb?.value as u32,
        vm_cap_gb,
        hard_cap_gb,
        source: source?,
    })
}

fn read_support(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    ids: &mut Ids,
    declared: &Declared,
) -> Option<SupportPlan> {
    let id = read_id(c, t, ids);
    let name = req_name(c, t);
    let first_year = match t.req_string(c, "first_year") {
        Some(s) => match s.value.as_str() {
            "mandatory" => Some(true),
            "optional" => Some(false),
            other => {
                c.error(
                    s.span,
                    &t.field("first_year"),
                    format!("unknown value `{other}`"),
                    Some(help_for(other, &["mandatory", "optional"], "values")),
                );
                None
            }
        },
        None => None,
    };
    // Which basis the plan states is decided by its keys: a `rate` with a bad value is that
    // value's problem (reported where it is), not a plan without a basis.
    let (has_rate, has_price) = (t.has("rate"), t.has("price"));
    let rate = read_rate(c, t, "rate");
    let price = read_price(c, t, "price", false);
    let basis = match (has_rate, has_price) {
        (true, false) => rate.map(SupportBasis::Rate),
        (false, true) => price.map(SupportBasis::Price),
        _ => {
            c.error(t.span.clone(), &t.path, "a support plan needs exactly one of `rate` (percent of list per year) or `price` (per unit per year)", None);
            None
        }
    };
    let covers = t.strings(c, "covers").map(|list| {
        let valid = declared.item_ids(None);
        for id in list.iter().filter(|id| !valid.contains(&id.value.as_str())) {
            c.error(
                id.span.clone(),
                &t.field("covers"),
                format!(
                    "`{}` is not an edition or add-on of this pricebook",
                    id.value
                ),
                Some(help_for(&id.value, &valid, "items")),
            );
        }
        strings_of(list)
    });
    Some(SupportPlan {
        id: id?,
        name: name?.value,
        first_year_mandatory: first_year?,
        basis: basis?,
        covers,
    })
}

fn read_upgrade(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    ids: &mut Ids,
    declared: &Declared,
) -> Option<UpgradePath> {
    let id = read_id(c, t, ids);
    let name = req_name(c, t);
    let from = t
        .req_string(c, "from")
        .and_then(|s| match ItemRef::parse(&s.value) {
            Ok(r) => Some(r),
            Err(e) => {
                c.error(s.span, &t.field("from"), e, None);
                None
            }
        });
    let to = t.req_string(c, "to");
    if let Some(to) = &to {
        let editions = declared.item_ids(Some(ItemRole::Edition));
        if !editions.contains(&to.value.as_str()) {
            c.error(
                to.span.clone(),
                &t.field("to"),
                format!("`{}` is not an edition of this pricebook", to.value),
                Some(help_for(&to.value, &editions, "editions")),
            );
        }
    }
    let units = t
        .int(c, "units_per_licence", 1, 1024)
        .map_or(1, |v| v.value as u32);
    let requires_active_support = t
        .bool(c, "requires_active_support")
        .is_some_and(|b| b.value);
    let price = read_price(c, t, "price", true);
    Some(UpgradePath {
        id: id?,
        name: name?.value,
        from: from?,
        to: to?.value,
        units_per_licence: units,
        requires_active_support,
        price: price?,
    })
}

fn read_promotion(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    ids: &mut Ids,
    declared: &Declared,
) -> Option<Promotion> {
    let id = read_id(c, t, ids);
    let name = req_name(c, t);
    let applies_to = t.req_string(c, "applies_to");
    if let Some(a) = &applies_to {
        let mut targets = declared.item_ids(None);
        targets.extend(declared.upgrades.iter().map(String::as_str));
        if !targets.contains(&a.value.as_str()) {
            c.error(
                a.span.clone(),
                &t.field("applies_to"),
                format!(
                    "`{}` is not an item or upgrade path of this pricebook",
                    a.value
                ),
                Some(help_for(&a.value, &targets, "targets")),
            );
        }
    }
    let discount = read_rate(c, t, "discount");
    if discount.is_none() && !t.has("discount") {
        t.missing(
            c,
            "discount",
            "a rate table like { percent = \"50\", source = \"…\", confidence = \"S\" }",
        );
    }
    let valid_from = t.date(c, "valid_from");
    let valid_until = t.date(c, "valid_until");
    if let (Some(f), Some(u)) = (&valid_from, &valid_until)
        && u.value < f.value
    {
        c.error(
            u.span.clone(),
            &t.field("valid_until"),
            format!(
                "the window ends ({}) before it starts ({})",
                u.value, f.value
            ),
            None,
        );
    }
    Some(Promotion {
        id: id?,
        name: name?.value,
        applies_to: applies_to?.value,
        discount: discount?,
        valid_from: valid_from.map(|d| d.value),
        valid_until: valid_until.map(|d| d.value),
    })
}

const RULE_KINDS: &[&str] = &["min-order", "core-cap", "surcharge", "discount", "capacity"];

fn read_rule(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    ids: &mut Ids,
    declared: &Declared,
) -> Option<LicensingRule> {
    let id = read_id(c, t, ids);
    let name = req_name(c, t);
    let kind_text = t.req_string(c, "kind");
    let kind = match kind_text.as_ref().map(|k| k.value.as_str()) {
        Some("min-order") => t
            .req_int(c, "units", 1, MAX_COUNT)
            .map(|u| RuleKind::MinOrder {
                units: u.value as u32,
            }),
        Some("core-cap") => {
            let cores = t.req_int(c, "cores", 1, 4096);
            let above = read_above_cap(c, t, false);
            match (cores, above) {
                (Some(n), Some(a)) => Some(RuleKind::CoreCap {
                    cores: n.value as u32,
                    above_cap: a,
                }),
                _ => None,
            }
        }
        Some("capacity") => {
            let per = t.decimal(c, "tib_per_unit");
            if per.is_none() && !t.has("tib_per_unit") {
                t.missing(
                    c,
                    "tib_per_unit",
                    "the TiB each licensed unit entitles, e.g. \"1\"",
                );
            }
            let per = per.filter(|p| {
                let ok = p.value > rust_decimal::Decimal::ZERO
                    && p.value <= rust_decimal::Decimal::from(1000);
                if !ok {
                    c.error(
                        p.span.clone(),
                        &t.field("tib_per_unit"),
                        format!("{} TiB per unit is out of range", p.value),
                        Some("expected more than 0 and at most 1000".into()),
                    );
                }
                ok
            });
            let addon = t.req_string(c, "addon").and_then(|a| {
                let addons = declared.item_ids(Some(ItemRole::AddOn));
                if addons.contains(&a.value.as_str()) {
                    Some(a.value)
                } else {
                    c.error(
                        a.span,
                        &t.field("addon"),
                        format!("`{}` is not an add-on of this pricebook", a.value),
                        Some(help_for(&a.value, &addons, "add-ons")),
                    );
                    None
                }
            });
            let whole = match t.string(c, "beyond") {
                None => Some(false),
                Some(b) => {
                    let choices = [("excess", false), ("whole", true)];
                    choice(c, b, &t.field("beyond"), &choices, ("value", "values"))
                }
            };
            match (per, addon, whole) {
                (Some(p), Some(addon), Some(whole)) => Some(RuleKind::Capacity {
                    tib_per_unit: p.value,
                    addon,
                    whole,
                }),
                _ => None,
            }
        }
        Some(word @ ("surcharge" | "discount")) => {
            let p = t.decimal(c, "percent");
            if p.is_none() && !t.has("percent") {
                t.missing(c, "percent", "a percentage such as \"20\"");
            }
            match p {
                Some(p)
                    if p.value.is_sign_negative()
                        || p.value > rust_decimal::Decimal::ONE_HUNDRED =>
                {
                    c.error(
                        p.span,
                        &t.field("percent"),
                        format!("{} % is not a {word} percentage", p.value),
                        Some("expected 0 to 100".into()),
                    );
                    None
                }
                Some(p) if word == "discount" => Some(RuleKind::Discount { percent: p.value }),
                Some(p) => Some(RuleKind::Surcharge { percent: p.value }),
                None => None,
            }
        }
        Some(other) => {
            if let Some(k) = &kind_text {
                c.error(
                    k.span.clone(),
                    &t.field("kind"),
                    format!("unknown rule kind `{other}`"),
                    Some(help_for(other, RULE_KINDS, "rule kinds")),
                );
            }
            None
        }
        None => None,
    };
    let applies = t.strings(c, "applies_to");
    if applies.is_none() && !t.has("applies_to") {
        t.missing(
            c,
            "applies_to",
            "the ids of the editions or add-ons it applies to",
        );
    }
    let valid = declared.item_ids(None);
    for a in applies
        .iter()
        .flatten()
        .filter(|a| !valid.contains(&a.value.as_str()))
    {
        c.error(
            a.span.clone(),
            &t.field("applies_to"),
            format!(
                "`{}` is not an edition or add-on of this pricebook",
                a.value
            ),
            Some(help_for(&a.value, &valid, "items")),
        );
    }
    let from = t.date(c, "from").map(|d| d.value);
    let until = t.date(c, "until").map(|d| d.value);
    let years = t.int(c, "years", 1, 30).map(|y| y.value as u32);
    let region_field = t.field("regions");
    let regions = t.strings(c, "regions").map(|keys| {
        if keys.is_empty() {
            c.error(
                t.span.clone(),
                &region_field,
                "an empty list of regions: the rule would hold nowhere",
                Some(format!(
                    "name the regions it holds in ({}), or leave `regions` out for everywhere",
                    crate::region::Region::keys().join(", ")
                )),
            );
        }
        keys.iter()
            .filter_map(|k| crate::region::read(c, k, &region_field))
            .collect::<Vec<_>>()
    });
    let default_on = match t.string(c, "default") {
        Some(s) => {
            let choices = [
                ("on", (true, false)),
                ("off", (false, false)),
                ("late-renewal", (false, true)),
            ];
            choice(c, s, &t.field("default"), &choices, ("value", "values"))
        }
        None => Some((true, false)),
    };
    let source = read_source(c, t);
    let confidence = read_confidence(c, t);
    let note = t.string(c, "note").map(|s| s.value);
    Some(LicensingRule {
        id: id?,
        name: name?.value,
        kind: kind?,
        applies_to: applies.map(strings_of)?,
        from,
        until,
        regions,
        default_on: default_on?.0,
        late_renewal: default_on?.1,
        years,
        source: source?,
        confidence: confidence?,
        note,
    })
}

/// A required, non-empty `name`: every quote line shows it.
fn req_name(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Spanned<String>> {
    req_name_shown(c, t, "quotes show this name on every line")
}

/// A required, non-empty `name`; `shown` says where it appears, for the help. Pricebooks and
/// hardware catalogues read names here.
pub(crate) fn req_name_shown(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    shown: &str,
) -> Option<Spanned<String>> {
    let name = t.req_string(c, "name")?;
    if name.value.trim().is_empty() {
        c.error(
            name.span.clone(),
            &t.field("name"),
            "empty name",
            Some(format!("{shown}: give the product's name")),
        );
        return None;
    }
    Some(name)
}

fn strings(list: Option<Vec<Spanned<String>>>) -> Vec<String> {
    list.map(strings_of).unwrap_or_default()
}

fn strings_of(list: Vec<Spanned<String>>) -> Vec<String> {
    list.into_iter().map(|s| s.value).collect()
}

/// `sha256:<hex>` of a text.
pub(crate) fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::from("sha256:");
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
