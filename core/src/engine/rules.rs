//! Dated and optional pricebook rules: which hold for an item on a purchase date, after the
//! estate's own switches, and what they change (core caps, order minimums, surcharges).

use std::borrow::Cow;

use crate::date::Date;
use crate::estate::RuleSwitch;
use crate::pricebook::{Item, LicensingRule, Metric, Pricebook, RuleKind};
use crate::region::Region;

/// Where a rule is judged: the purchase date, the estate's region, and the switches of the
/// estate and of the scenario (a scenario's switch wins over the estate's).
pub(crate) struct Judged<'s> {
    pub(crate) date: Date,
    pub(crate) region: Option<Region>,
    pub(crate) estate: &'s [RuleSwitch],
    pub(crate) scenario: &'s [RuleSwitch],
    /// What is bought renews a contract that ended before the purchase date.
    pub(crate) late: bool,
}

/// The rules of `book` in force for item `id`, and notes on the switches and regions used.
pub(crate) fn active<'b>(
    book: &'b Pricebook,
    id: &str,
    at: &Judged<'_>,
    notes: &mut Vec<String>,
) -> Vec<&'b LicensingRule> {
    let mut out = Vec::new();
    for rule in book
        .rules
        .iter()
        .filter(|r| r.applies_to.iter().any(|a| a == id))
    {
        let switch = match find(at.scenario, book, rule) {
            Some(s) => Some((s, "this scenario")),
            None => find(at.estate, book, rule).map(|s| (s, "the estate")),
        };
        let late = rule.late_renewal && at.late;
        let on = switch.map_or(rule.default_on || late, |(s, _)| s.enabled);
        if late && switch.is_none() {
            notes.push(text!(
                "rule {}/{} ({}) applies: the renewal comes after its contract ended",
                book.id,
                rule.id,
                rule.name
            ));
        }
        if let Some((s, by)) = switch {
            let state = if s.enabled { "on" } else { "off" };
            notes.push(text!(
                "rule {}/{} ({}) switched {state} by {by}: {}",
                book.id,
                rule.id,
                rule.name,
                s.reason
            ));
        }
        if !(on && rule.in_window(at.date)) {
            continue;
        }
        if let Some(regions) = &rule.regions {
            let list = regions
                .iter()
                .map(|r| r.key())
                .collect::<Vec<_>>()
                .join(", ");
            let holds = at.region.is_none_or(|r| regions.contains(&r));
            notes.push(match at.region {
                Some(r) if holds => text!(
                    "rule {}/{} ({}) holds in {list}: judged for region {r}, it applies",
                    book.id,
                    rule.id,
                    rule.name
                ),
                Some(r) => text!(
                    "rule {}/{} ({}) holds in {list} only: judged for region {r}, it does not apply",
                    book.id,
                    rule.id,
                    rule.name
                ),
                None => text!(
                    "rule {}/{} ({}) holds in {list} only; the estate states no region, so it applies (set `region` to judge it)",
                    book.id,
                    rule.id,
                    rule.name
                ),
            });
            if !holds {
                continue;
            }
        }
        out.push(rule);
    }
    out
}

/// The switch of `rule` among `switches`, if any.
fn find<'s>(
    switches: &'s [RuleSwitch],
    book: &Pricebook,
    rule: &LicensingRule,
) -> Option<&'s RuleSwitch> {
    switches
        .iter()
        .find(|s| s.rule.book == book.id && s.rule.item == rule.id)
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
