//! [`Estate`] → estate format 1 TOML text that [`crate::parse_estate`] reads back to an equal
//! [`Estate`] (`cheapest -o FILE.toml` writes its winners with it).
//!
//! Only what the estate holds is written: optional fields that are absent stay absent, and
//! `false` switches (`use_owned`, `support_active`) are left out, as the reader defaults them.
//! Decimals are written as strings of their exact text (`"1.08"`), dates as TOML local dates.
//! Declared numbers are written from their declaration (`estate/spec.rs`); every other struct
//! is destructured field by field, so a field added to the model without being written here
//! does not compile.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::estate::{
    Cluster, Contract, Costs, Estate, InputTable, OwnedLicence, Plan, RuleSwitch, Scenario,
};

/// Renders an estate as estate format 1 TOML text.
pub fn write_estate(estate: &Estate) -> String {
    let Estate {
        name,
        currency,
        purchase_date,
        years,
        clusters,
        owned,
        contracts,
        scenarios,
        costs,
        sizing,
        uncertainty,
        rule_switches,
        region,
    } = estate;
    let mut out = String::new();
    let _ = writeln!(out, "format = 1");
    string(&mut out, "name", name);
    string(&mut out, "currency", currency);
    date(&mut out, "purchase_date", *purchase_date);
    let _ = writeln!(out, "years = {years}");
    if let Some(r) = region {
        string(&mut out, "region", r.key());
    }
    for c in clusters {
        cluster(&mut out, c);
    }
    for o in owned {
        owned_licence(&mut out, o);
    }
    for c in contracts {
        contract(&mut out, c, clusters);
    }
    if let Some(c) = costs {
        cost_block(&mut out, c);
    }
    if let Some(s) = sizing {
        let _ = writeln!(out, "\n[sizing]");
        numbers(&mut out, s);
    }
    if let Some(u) = uncertainty {
        let _ = writeln!(out, "\n[uncertainty]");
        numbers(&mut out, u);
        if !u.inputs.is_empty() {
            let _ = writeln!(out, "\n[uncertainty.inputs]");
            for r in &u.inputs {
                let _ = writeln!(
                    out,
                    "{} = {{ low = {}, high = {} }}",
                    quoted(&r.name),
                    quoted(&r.low.to_string()),
                    quoted(&r.high.to_string())
                );
            }
        }
    }
    for r in rule_switches {
        rule_switch(&mut out, r, "rule");
    }
    for s in scenarios {
        scenario(&mut out, s, clusters);
    }
    out
}

fn cluster(out: &mut String, c: &Cluster) {
    let _ = writeln!(out, "\n[[cluster]]");
    string(out, "name", &c.name);
    numbers(out, c);
    if let Some(g) = &c.group {
        string(out, "group", g);
    }
    if !c.needs.is_empty() {
        strings(out, "needs", &c.needs);
    }
}

/// Every declared number the table states, in declaration order: whole numbers bare,
/// decimals as strings of their exact text.
fn numbers<T: InputTable>(out: &mut String, table: &T) {
    for field in T::FIELDS {
        let spec = T::spec(*field);
        match table.get(*field) {
            Some(v) if spec.bounds.integer => {
                let _ = writeln!(out, "{} = {v}", spec.key);
            }
            Some(v) => decimal(out, spec.key, v),
            None => {}
        }
    }
}

fn owned_licence(out: &mut String, o: &OwnedLicence) {
    let OwnedLicence {
        licence,
        quantity,
        support_active,
    } = o;
    let _ = writeln!(out, "\n[[owned]]");
    string(out, "licence", &licence.to_string());
    let _ = writeln!(out, "quantity = {quantity}");
    if *support_active {
        let _ = writeln!(out, "support_active = true");
    }
}

fn cost_block(out: &mut String, c: &Costs) {
    let _ = writeln!(out, "\n[costs]");
    numbers(out, c);
    if !c.vendor_discount.is_empty() {
        decimal_map(out, "vendor_discount", &c.vendor_discount);
    }
    if !c.fx.is_empty() {
        decimal_map(out, "fx", &c.fx);
    }
    if let Some(d) = c.fx_date {
        date(out, "fx_date", d);
    }
    if let Some(s) = &c.fx_source {
        string(out, "fx_source", s);
    }
}

fn rule_switch(out: &mut String, r: &RuleSwitch, header: &str) {
    let RuleSwitch {
        rule,
        enabled,
        reason,
    } = r;
    let _ = writeln!(out, "\n[[{header}]]");
    string(out, "rule", &rule.to_string());
    let _ = writeln!(out, "enabled = {enabled}");
    string(out, "reason", reason);
}

fn scenario(out: &mut String, s: &Scenario, clusters: &[Cluster]) {
    let Scenario {
        name,
        plans,
        purchase_date,
        rule_switches,
    } = s;
    let _ = writeln!(out, "\n[[scenario]]");
    string(out, "name", name);
    if let Some(d) = purchase_date {
        date(out, "purchase_date", *d);
    }
    for r in rule_switches {
        rule_switch(out, r, "scenario.rule");
    }
    for p in plans {
        plan(out, p, clusters);
    }
}

fn contract(out: &mut String, c: &Contract, clusters: &[Cluster]) {
    let Contract {
        name,
        item,
        clusters: covered,
        ends,
        price_per_unit_year,
    } = c;
    let _ = writeln!(out, "\n[[contract]]");
    string(out, "name", name);
    string(out, "item", &item.to_string());
    let names: Vec<String> = covered
        .iter()
        .filter_map(|i| clusters.get(*i).map(|c| c.name.clone()))
        .collect();
    strings(out, "clusters", &names);
    date(out, "ends", *ends);
    if let Some(p) = price_per_unit_year {
        decimal(out, "price_per_unit_year", *p);
    }
}

fn plan(out: &mut String, p: &Plan, clusters: &[Cluster]) {
    let Plan {
        cluster,
        edition,
        support,
        addons,
        use_owned,
        guest_os,
        guest_os_support,
        term_years,
        start,
        migration_months,
        shape,
    } = p;
    let _ = writeln!(out, "[[scenario.plan]]");
    let cluster_name = clusters.get(*cluster).map_or("", |c| c.name.as_str());
    string(out, "cluster", cluster_name);
    string(out, "edition", &edition.to_string());
    if let Some(s) = support {
        string(out, "support", s);
    }
    if !addons.is_empty() {
        let addons: Vec<String> = addons.iter().map(ToString::to_string).collect();
        strings(out, "addons", &addons);
    }
    if *use_owned {
        let _ = writeln!(out, "use_owned = true");
    }
    if let Some(g) = guest_os {
        string(out, "guest_os", &g.to_string());
    }
    if let Some(s) = guest_os_support {
        string(out, "guest_os_support", s);
    }
    if let Some(y) = term_years {
        let _ = writeln!(out, "term_years = {y}");
    }
    if let Some(d) = start {
        date(out, "start", *d);
    }
    if *migration_months > 0 {
        let _ = writeln!(out, "migration_months = {migration_months}");
    }
    if let Some(s) = shape {
        let _ = writeln!(out, "[scenario.plan.shape]");
        if let Some(h) = &s.hardware {
            string(out, "hardware", h);
        }
        for (f, v) in &s.values {
            if f.spec().bounds.integer {
                let _ = writeln!(out, "{} = {v}", f.key());
            } else {
                decimal(out, f.key(), *v);
            }
        }
    }
}

fn string(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {}", quoted(value));
}

fn strings(out: &mut String, key: &str, values: &[String]) {
    let items: Vec<String> = values.iter().map(|v| quoted(v)).collect();
    let _ = writeln!(out, "{key} = [{}]", items.join(", "));
}

fn decimal(out: &mut String, key: &str, value: Decimal) {
    let _ = writeln!(out, "{key} = {}", quoted(&value.to_string()));
}

fn date(out: &mut String, key: &str, value: Date) {
    let _ = writeln!(out, "{key} = {value}");
}

fn decimal_map(out: &mut String, key: &str, map: &BTreeMap<String, Decimal>) {
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{} = {}", bare_or_quoted(k), quoted(&v.to_string())))
        .collect();
    let _ = writeln!(out, "{key} = {{ {} }}", items.join(", "));
}

/// A TOML key: bare when it may be (`vmware`, `EUR`), quoted otherwise.
pub(super) fn bare_or_quoted(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { key.to_owned() } else { quoted(key) }
}

/// A TOML basic string with every character that needs it escaped.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
