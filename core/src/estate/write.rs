//! [`Estate`] → estate format 1 TOML text that [`crate::parse_estate`] reads back to an equal
//! [`Estate`] (`cheapest -o FILE.toml` writes its winners with it).
//!
//! Only what the estate holds is written: optional fields that are absent stay absent, and
//! `false` switches (`use_owned`, `support_active`) are left out, as the reader defaults them.
//! Decimals are written as strings of their exact text (`"1.08"`), dates as TOML local dates.
//! Every struct is destructured field by field, so a field added to the model without being
//! written here does not compile.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::estate::{Cluster, Costs, Estate, OwnedLicence, Plan, RuleSwitch, Scenario};

/// Renders an estate as estate format 1 TOML text.
pub fn write_estate(estate: &Estate) -> String {
    let Estate {
        name,
        currency,
        purchase_date,
        years,
        clusters,
        owned,
        scenarios,
        costs,
        rule_switches,
    } = estate;
    let mut out = String::new();
    let _ = writeln!(out, "format = 1");
    string(&mut out, "name", name);
    string(&mut out, "currency", currency);
    date(&mut out, "purchase_date", *purchase_date);
    let _ = writeln!(out, "years = {years}");
    for c in clusters {
        cluster(&mut out, c);
    }
    for o in owned {
        owned_licence(&mut out, o);
    }
    if let Some(c) = costs {
        cost_block(&mut out, c);
    }
    for r in rule_switches {
        rule_switch(&mut out, r);
    }
    for s in scenarios {
        scenario(&mut out, s, clusters);
    }
    out
}

fn cluster(out: &mut String, c: &Cluster) {
    let Cluster {
        name,
        hosts,
        sockets_per_host,
        cores_per_socket,
        ram_gb_per_host,
        vms,
        vm_ram_gb,
        needs,
        windows_vms,
        group,
    } = c;
    let _ = writeln!(out, "\n[[cluster]]");
    string(out, "name", name);
    let _ = writeln!(out, "hosts = {hosts}");
    let _ = writeln!(out, "sockets_per_host = {sockets_per_host}");
    let _ = writeln!(out, "cores_per_socket = {cores_per_socket}");
    if let Some(r) = ram_gb_per_host {
        let _ = writeln!(out, "ram_gb_per_host = {r}");
    }
    if let Some(v) = vms {
        let _ = writeln!(out, "vms = {v}");
    }
    if let Some(v) = vm_ram_gb {
        decimal(out, "vm_ram_gb", *v);
    }
    if let Some(w) = windows_vms {
        let _ = writeln!(out, "windows_vms = {w}");
    }
    if let Some(g) = group {
        string(out, "group", g);
    }
    if !needs.is_empty() {
        strings(out, "needs", needs);
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
    let Costs {
        hardware_per_host,
        hardware_life_years,
        watts_per_host,
        kwh_price,
        pue,
        admin_per_host_year,
        facilities_per_host_year,
        discount_rate,
        vm_growth_per_year,
        escalation_per_year,
        hours_per_year,
        vms_per_host,
        vendor_discount,
        fx,
        fx_date,
        fx_source,
    } = c;
    let _ = writeln!(out, "\n[costs]");
    let decimals = [
        ("hardware_per_host", hardware_per_host),
        ("watts_per_host", watts_per_host),
        ("kwh_price", kwh_price),
        ("pue", pue),
        ("admin_per_host_year", admin_per_host_year),
        ("facilities_per_host_year", facilities_per_host_year),
        ("discount_rate", discount_rate),
        ("vm_growth_per_year", vm_growth_per_year),
        ("escalation_per_year", escalation_per_year),
        ("hours_per_year", hours_per_year),
    ];
    for (key, value) in decimals {
        if let Some(v) = value {
            decimal(out, key, *v);
        }
    }
    if let Some(y) = hardware_life_years {
        let _ = writeln!(out, "hardware_life_years = {y}");
    }
    if let Some(v) = vms_per_host {
        let _ = writeln!(out, "vms_per_host = {v}");
    }
    if !vendor_discount.is_empty() {
        decimal_map(out, "vendor_discount", vendor_discount);
    }
    if !fx.is_empty() {
        decimal_map(out, "fx", fx);
    }
    if let Some(d) = fx_date {
        date(out, "fx_date", *d);
    }
    if let Some(s) = fx_source {
        string(out, "fx_source", s);
    }
}

fn rule_switch(out: &mut String, r: &RuleSwitch) {
    let RuleSwitch {
        rule,
        enabled,
        reason,
    } = r;
    let _ = writeln!(out, "\n[[rule]]");
    string(out, "rule", &rule.to_string());
    let _ = writeln!(out, "enabled = {enabled}");
    string(out, "reason", reason);
}

fn scenario(out: &mut String, s: &Scenario, clusters: &[Cluster]) {
    let Scenario {
        name,
        plans,
        purchase_date,
    } = s;
    let _ = writeln!(out, "\n[[scenario]]");
    string(out, "name", name);
    if let Some(d) = purchase_date {
        date(out, "purchase_date", *d);
    }
    for p in plans {
        plan(out, p, clusters);
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
