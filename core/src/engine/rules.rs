//! Dated and optional pricebook rules: which hold for an item on a purchase date, after the
//! estate's own switches, and what they change (core caps, order minimums, surcharges).

use std::borrow::Cow;

use crate::date::Date;
use crate::estate::RuleSwitch;
use crate::pricebook::{Item, LicensingRule, Metric, Pricebook, RuleKind};

/// The rules of `book` in force for item `id` on `date`, and notes on estate switches used.
pub(crate) fn active<'b>(
    book: &'b Pricebook,
    id: &str,
    date: Date,
    switches: &[RuleSwitch],
    notes: &mut Vec<String>,
) -> Vec<&'b LicensingRule> {
    let mut out = Vec::new();
    for rule in book
        .rules
        .iter()
        .filter(|r| r.applies_to.iter().any(|a| a == id))
    {
        let switch = switches
            .iter()
            .find(|s| s.rule.book == book.id && s.rule.item == rule.id);
        let on = switch.map_or(rule.default_on, |s| s.enabled);
        if let Some(s) = switch {
            let state = if s.enabled { "on" } else { "off" };
            notes.push(text!(
                "rule {}/{} ({}) switched {state} by the estate: {}",
                book.id,
                rule.id,
                rule.name,
                s.reason
            ));
        }
        if on && rule.in_window(date) {
            out.push(rule);
        }
    }
    out
}

/// The item as the rules make it: a core-cap rule in force sets the per-CPU cap.
pub(crate) fn effective<'i>(item: &'i Item, rules: &[&LicensingRule]) -> Cow<'i, Item> {
    let Some((cores, above)) = rules.iter().find_map(|r| match r.kind {
        RuleKind::CoreCap { cores, above_cap } => Some((cores, above_cap)),
        _ => None,
    }) else {
        return Cow::Borrowed(item);
    };
    let mut it = item.clone();
    match &mut it.metric {
        Metric::PerSocket {
            core_cap,
            above_cap,
        }
        | Metric::Kit {
            core_cap,
            above_cap,
            ..
        } => {
            *core_cap = Some(cores);
            *above_cap = above;
        }
        _ => {}
    }
    Cow::Owned(it)
}
