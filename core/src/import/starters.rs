//! Starter scenarios for an imported estate, and the exchange rates they need: each starter
//! edition on every cluster, kept only if the estate validates with it on the import date.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::estate::{Estate, Plan, Scenario, parse_estate, write_estate};
use crate::ids::ItemRef;
use crate::pricebook::{PricebookSet, StarterEdition};
use crate::source::SourceFile;

use super::ImportOptions;

/// The largest exchange rate an estate accepts (`[costs] fx`).
const MAX_FX: u32 = 1_000_000;

/// Reads an exchange rate given as `CUR=RATE` (`hypercost import --fx EUR=1.09`): a currency
/// code of three capital letters other than the estate currency (USD), `=`, and a plain
/// positive decimal (digits with at most one `.`, read exactly, never through a float) of at
/// most 1,000,000 USD per 1 unit. The error says what is valid.
pub fn parse_fx(text: &str) -> Result<(String, Decimal), String> {
    let Some((cur, rate)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` is not CUR=RATE: give a currency code, `=` and the {CURRENCY} price of 1 \
             unit, e.g. EUR=1.09"
        ));
    };
    let (cur, rate) = (cur.trim(), rate.trim());
    check_fx_currency(cur)?;
    let plain = !rate.is_empty()
        && rate.chars().all(|c| c.is_ascii_digit() || c == '.')
        && rate.chars().filter(|c| *c == '.').count() <= 1
        && rate.chars().any(|c| c.is_ascii_digit());
    match rate.parse::<Decimal>() {
        Ok(value) if plain && value > Decimal::ZERO && value <= Decimal::from(MAX_FX) => {
            Ok((cur.to_owned(), value.normalize()))
        }
        _ => Err(format!(
            "`{rate}` is not a rate: give a positive decimal such as 1.09 ({CURRENCY} per 1 \
             {cur}), at most {MAX_FX}"
        )),
    }
}

fn check_fx_currency(cur: &str) -> Result<(), String> {
    if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "`{cur}` is not a currency code: give three capital letters such as EUR"
        ));
    }
    if cur == CURRENCY {
        return Err(format!(
            "{CURRENCY} is the estate currency: a rate is {CURRENCY} per 1 unit of another \
             currency, e.g. EUR=1.09"
        ));
    }
    Ok(())
}

/// A starter's plan of `edition` on cluster `cluster`. `windows` is the edition that licenses
/// Windows Server guests where the cluster has some ([`windows_guest_edition`]); it becomes the
/// plan's `guest_os` when `edition` carries no VM rights of its own, so that no platform looks
/// cheaper for leaving the guests unlicensed.
pub(crate) fn starter_plan(
    books: &PricebookSet,
    cluster: usize,
    edition: &ItemRef,
    windows: Option<&ItemRef>,
) -> Plan {
    let mut plan = Plan::new(cluster, edition.clone());
    let no_vm_rights = books
        .item(edition)
        .is_some_and(|(_, item)| item.vm_rights.is_none());
    if no_vm_rights {
        plan.guest_os = windows.cloned();
    }
    plan
}

/// The starter edition with VM rights on sale on `date` (lowest rank): what plans of editions
/// without VM rights license Windows Server guests with (`guest_os`), so that no platform
/// looks cheaper than it is for leaving them unlicensed.
pub(crate) fn windows_guest_edition(books: &PricebookSet, date: Date) -> Option<ItemRef> {
    books
        .starters()
        .into_iter()
        .filter(|s| not_on_sale(books, &s.edition, date).is_none())
        .find(|s| {
            books
                .item(&s.edition)
                .is_some_and(|(_, item)| item.vm_rights.is_some())
        })
        .map(|s| s.edition)
}

/// The estate currency of an import (and `hypercost init`'s default).
pub const CURRENCY: &str = "USD";

/// Exchange rates an import states for starter books priced in another currency (USD per 1
/// unit), so the estate quotes at once. They are illustrative, not market rates: the estate's
/// `fx_source` says so and the header asks the user to replace them.
const ILLUSTRATIVE_FX: &[(&str, &str)] = &[("EUR", "1.08")];

/// An illustrative rate (units of `into` per 1 `from`) from [`ILLUSTRATIVE_FX`]: as written
/// there, or its inverse to four places when `into` is the listed currency and `from` is
/// [`CURRENCY`] (an estate in EUR buying a USD book); `None` for any other pair.
pub(crate) fn illustrative_rate(from: &str, into: &str) -> Option<Decimal> {
    let listed = |cur: &str| {
        ILLUSTRATIVE_FX
            .iter()
            .find(|(c, _)| *c == cur)
            .and_then(|(_, text)| text.parse::<Decimal>().ok())
    };
    if into == CURRENCY {
        return listed(from);
    }
    if from == CURRENCY {
        let rate = listed(into)?;
        return Some((Decimal::ONE / rate).round_dp(4).normalize());
    }
    None
}

/// The currencies an estate can be written in with illustrative rates: [`CURRENCY`] and those
/// of [`ILLUSTRATIVE_FX`] (only `init`, behind the `schema` feature, asks).
#[cfg(feature = "schema")]
pub(crate) fn illustrative_currencies() -> Vec<&'static str> {
    std::iter::once(CURRENCY)
        .chain(ILLUSTRATIVE_FX.iter().map(|(c, _)| *c))
        .collect()
}

/// `fx_source` for the rates written: each given rate, or the illustrative one, said so.
fn fx_source(origins: &[(String, bool)], date: Date) -> String {
    origins
        .iter()
        .map(|(cur, given)| {
            if *given {
                format!("{cur} given with --fx on import, {date}")
            } else {
                format!(
                    "ILLUSTRATIVE {cur} rate written by `hypercost import`, not a market rate: \
                     replace it with your rate on your purchase date"
                )
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The rates the user gave (the last of a currency counts), checked as [`parse_fx`] does; the
/// problems name `--fx` in file `name`.
pub(super) fn given_rates(
    name: &str,
    options: ImportOptions<'_>,
) -> Result<BTreeMap<String, Decimal>, Diagnostics> {
    let mut given: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut fx_errors = Vec::new();
    for (cur, rate) in options.fx {
        match check_fx_currency(cur) {
            Err(e) => fx_errors.push(e),
            Ok(()) if *rate <= Decimal::ZERO || *rate > Decimal::from(MAX_FX) => fx_errors.push(
                format!("{rate} is not a plausible {cur} rate: positive, at most {MAX_FX}"),
            ),
            Ok(()) => {
                given.insert(cur.clone(), *rate);
            }
        }
    }
    if fx_errors.is_empty() {
        return Ok(given);
    }
    Err(Diagnostics(
        fx_errors
            .into_iter()
            .map(|message| Diagnostic {
                severity: Severity::Error,
                file: name.to_owned(),
                span: 0..0,
                line: 1,
                column: 1,
                field: "--fx".to_owned(),
                message,
                help: Some(format!("CUR=RATE, {CURRENCY} per 1 unit, e.g. EUR=1.09")),
            })
            .collect(),
    ))
}

/// What [`add_starters`] did, for the header comment.
pub(super) struct Starters {
    /// The starter scenarios kept, each with its conversion note.
    pub(super) kept: Vec<String>,
    /// Given rates no kept starter uses, written to `[costs] fx` all the same.
    pub(super) unused: Vec<(String, Decimal)>,
    /// The starters left out, each as (scenario name, the first error that dropped it), so
    /// the header says why a platform the user expected is missing.
    pub(super) dropped: Vec<(String, String)>,
    /// The edition that licenses Windows Server guests on the kept starters without VM
    /// rights, when a cluster has any (`guest_os`).
    pub(super) guest_os: Option<ItemRef>,
}

/// Adds every starter scenario that validates to `estate`, with the exchange rates it needs
/// (given, else illustrative); given rates no starter uses are written too, with a warning
/// in `warnings` naming `name`.
pub(super) fn add_starters(
    estate: &mut Estate,
    given: &BTreeMap<String, Decimal>,
    name: &str,
    options: ImportOptions<'_>,
    books: &PricebookSet,
    warnings: &mut Vec<Diagnostic>,
) -> Starters {
    // Currencies with a rate written, and whether the user gave it.
    let mut origins: Vec<(String, bool)> = Vec::new();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    // Each starter is kept only if it is on sale on the import date and the estate validates
    // with it; a quote would call a plan of it non-compliant, not an invalid estate.
    // Windows Server guests are licensed on every plan whose edition carries no VM rights.
    let windows = windows_guest_edition(books, options.date);
    for StarterEdition {
        scenario: scenario_name,
        edition,
        ..
    } in books.starters()
    {
        if let Some(reason) = not_on_sale(books, &edition, options.date) {
            dropped.push((scenario_name, reason));
            continue;
        }
        let scenario = Scenario {
            name: scenario_name.clone(),
            plans: (0..estate.clusters.len())
                .map(|cluster| {
                    let guests = estate.clusters[cluster].windows_vms.unwrap_or(0) > 0;
                    starter_plan(
                        books,
                        cluster,
                        &edition,
                        windows.as_ref().filter(|_| guests),
                    )
                })
                .collect(),
            purchase_date: None,
            rule_switches: Vec::new(),
        };
        let mut trial = estate.clone();
        let mut trial_origins = origins.clone();
        let mut notes = Vec::new();
        // Every book the scenario buys from needs a rate into the estate currency.
        let currencies: BTreeSet<String> = std::iter::once(&edition)
            .chain(scenario.plans.iter().filter_map(|p| p.guest_os.as_ref()))
            .filter_map(|item| books.item(item).map(|(book, _)| book.currency.clone()))
            .filter(|c| c != CURRENCY)
            .collect();
        for book_currency in currencies {
            let chosen = match given.get(&book_currency) {
                Some(rate) => Some((*rate, true)),
                None => illustrative_rate(&book_currency, CURRENCY).map(|rate| (rate, false)),
            };
            if let Some((rate, user)) = chosen {
                if !trial_origins.iter().any(|(c, _)| *c == book_currency) {
                    trial_origins.push((book_currency.clone(), user));
                }
                let costs = trial.costs.get_or_insert_with(Default::default);
                costs.fx.insert(book_currency.clone(), rate);
                costs.fx_date = Some(options.date);
                costs.fx_source = Some(fx_source(&trial_origins, options.date));
                notes.push(if user {
                    format!(
                        "priced in {book_currency} at {CURRENCY} {rate} per {book_currency}, \
                         given with --fx"
                    )
                } else {
                    format!(
                        "priced in {book_currency} at an illustrative {CURRENCY} {rate} per \
                         {book_currency}: edit [costs] fx"
                    )
                });
            }
        }
        trial.scenarios.push(scenario);
        let note = (!notes.is_empty()).then(|| notes.join("; "));
        match reparse(&trial, books) {
            Ok(_) => {
                *estate = trial;
                origins = trial_origins;
                kept.push(match note {
                    Some(n) => format!("{scenario_name} ({n})"),
                    None => scenario_name,
                });
            }
            Err(d) => dropped.push((scenario_name, first_error(&d))),
        }
    }
    // Given rates no kept starter uses: written all the same, for scenarios the user adds.
    let unused: Vec<(String, Decimal)> = given
        .iter()
        .filter(|(cur, _)| !origins.iter().any(|(c, _)| c == *cur))
        .map(|(c, r)| (c.clone(), *r))
        .collect();
    if !unused.is_empty() {
        for (cur, _) in &unused {
            origins.push((cur.clone(), true));
        }
        let costs = estate.costs.get_or_insert_with(Default::default);
        costs.fx.extend(unused.iter().cloned());
        costs.fx_date = Some(options.date);
        costs.fx_source = Some(fx_source(&origins, options.date));
        let list = unused
            .iter()
            .map(|(c, r)| format!("{c}={r}"))
            .collect::<Vec<_>>()
            .join(", ");
        warnings.push(Diagnostic {
            severity: Severity::Warning,
            file: name.to_owned(),
            span: 0..0,
            line: 1,
            column: 1,
            field: "--fx".to_owned(),
            message: format!(
                "no starter scenario is priced in {}: {list} is written to [costs] fx for \
                 scenarios you add",
                unused
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            help: None,
        });
    }
    let guest_os = estate
        .scenarios
        .iter()
        .flat_map(|s| &s.plans)
        .find_map(|p| p.guest_os.clone());
    Starters {
        kept,
        unused,
        dropped,
        guest_os,
    }
}

/// Why `edition` cannot be bought new on `date` (the book's sale window, else the edition's
/// end of sale, as [`crate::pricebook::Pricebook::on_sale`] and
/// [`crate::pricebook::Item::on_sale`] judge), or `None` when it can.
pub(crate) fn not_on_sale(books: &PricebookSet, edition: &ItemRef, date: Date) -> Option<String> {
    off_sale(books, edition, date).map(|window| {
        format!(
            "not on sale on {date}{}",
            window.map_or(String::new(), |w| format!(": {w}"))
        )
    })
}

/// `None` when `edition` can be bought new on `date`; else the sale window that excludes it
/// (`vmware-vcf-2024 is on sale from 2023-12-13`), when the books state one.
pub(crate) fn off_sale(
    books: &PricebookSet,
    edition: &ItemRef,
    date: Date,
) -> Option<Option<String>> {
    let (book, item) = books.item(edition)?;
    Some(if book.on_sale(date) {
        if item.on_sale(date) {
            return None;
        }
        item.end_of_sale
            .map(|eos| format!("{edition} is no longer sold from {eos}"))
    } else {
        match (book.on_sale_from, book.on_sale_until) {
            (Some(from), _) if date < from => Some(format!("{} is on sale from {from}", book.id)),
            (_, Some(until)) => Some(format!("{} was on sale until {until}", book.id)),
            _ => None,
        }
    })
}

/// The message of the first error of a starter's trial estate. Its field is left out: it
/// names the trial's scenario by an index the written estate does not have.
fn first_error(d: &Diagnostics) -> String {
    d.0.iter()
        .find(|x| x.severity == Severity::Error)
        .map_or_else(
            || "the estate does not validate with it".to_owned(),
            |x| x.message.clone(),
        )
}

fn reparse(estate: &Estate, books: &PricebookSet) -> Result<Estate, Diagnostics> {
    parse_estate(&SourceFile::new("<import>", write_estate(estate)), books)
}
