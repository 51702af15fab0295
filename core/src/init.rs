//! `hypercost init`: a commented estate to start from, so that a first quote needs no TOML
//! written by hand.
//!
//! The estate is built as an [`Estate`], written by the one writer ([`write_estate`]) and
//! read back by the one reader ([`parse_estate`]): a value the reader refuses (0 hosts, an
//! unknown need, an edition not on sale) comes back as a [`Problem`] naming the option it came
//! from, never as a file that does not quote. The comments are the estate JSON Schema's
//! descriptions (`annotate.rs`), so each key is explained in the words `hypercost schema
//! estate` uses. The platforms compared are the pricebooks' starter editions, chosen by their
//! `short` names (`vvf`, `proxmox`, …), which are data: a book marks them, no code names them.

mod annotate;

use rust_decimal::Decimal;

use crate::date::Date;
use crate::diag::{Diagnostics, Severity};
use crate::estate::{Cluster, ClusterField, Costs, Estate, Scenario, parse_estate};
use crate::estate::{InputTable, write_estate};
use crate::ids::ItemRef;
use crate::import::CURRENCY;
use crate::import::starters::{
    illustrative_currencies, illustrative_rate, not_on_sale, off_sale, starter_plan,
    windows_guest_edition,
};
use crate::pricebook::PricebookSet;
use crate::pricebook::StarterEdition;
use crate::source::SourceFile;

/// What an estate starts from when an option is not given: a small 2026 cluster of
/// two-socket, 16-core hosts, the platforms compared over a three-year horizon.
pub const DEFAULT_HOSTS: u32 = 4;
/// Sockets per host when `--sockets` is not given.
pub const DEFAULT_SOCKETS: u32 = 2;
/// Cores per socket when `--cores` is not given (the 16-core per-CPU floor many per-core
/// subscriptions bill anyway).
pub const DEFAULT_CORES: u32 = 16;
/// RAM per host in GB when `--ram-gb` is not given.
pub const DEFAULT_RAM_GB: u32 = 512;
/// VMs when `--vms` is not given.
pub const DEFAULT_VMS: u32 = 80;
/// Windows Server guests when `--windows-vms` is not given.
pub const DEFAULT_WINDOWS_VMS: u32 = 0;
/// The horizon in years when `--years` is not given.
pub const DEFAULT_YEARS: u32 = 3;
/// The features the cluster needs when `--needs` is not given: vendor-neutral tags.
pub const DEFAULT_NEEDS: &[&str] = &["live-migration", "ha"];
/// The name of the one cluster.
const CLUSTER_NAME: &str = "prod";

/// What `hypercost init` is asked for: every option with its value (defaults filled in by
/// [`InitOptions::new`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitOptions {
    /// Hosts of the one cluster.
    pub hosts: u32,
    /// CPU sockets per host.
    pub sockets: u32,
    /// Cores per socket.
    pub cores: u32,
    /// RAM per host, GB.
    pub ram_gb: u32,
    /// VMs in the cluster.
    pub vms: u32,
    /// Windows Server guests among them: above 0, every plan whose edition carries no VM
    /// rights licenses them with the starter edition that does.
    pub windows_vms: u32,
    /// Features the cluster needs (tags or aliases).
    pub needs: Vec<String>,
    /// The platforms: starter short names or edition ids; empty: every starter on sale.
    pub compare: Vec<String>,
    /// The purchase date.
    pub date: Date,
    /// The horizon in years.
    pub years: u32,
    /// The estate currency.
    pub currency: String,
}

impl InitOptions {
    /// The defaults, bought on `date`.
    pub fn new(date: Date) -> InitOptions {
        InitOptions {
            hosts: DEFAULT_HOSTS,
            sockets: DEFAULT_SOCKETS,
            cores: DEFAULT_CORES,
            ram_gb: DEFAULT_RAM_GB,
            vms: DEFAULT_VMS,
            windows_vms: DEFAULT_WINDOWS_VMS,
            needs: DEFAULT_NEEDS.iter().map(|s| (*s).to_owned()).collect(),
            compare: Vec::new(),
            date,
            years: DEFAULT_YEARS,
            currency: CURRENCY.to_owned(),
        }
    }
}

/// The option a problem came from; the front end names it by its flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// [`InitOptions::hosts`].
    Hosts,
    /// [`InitOptions::sockets`].
    Sockets,
    /// [`InitOptions::cores`].
    Cores,
    /// [`InitOptions::ram_gb`].
    RamGb,
    /// [`InitOptions::vms`].
    Vms,
    /// [`InitOptions::windows_vms`].
    WindowsVms,
    /// [`InitOptions::needs`].
    Needs,
    /// [`InitOptions::compare`].
    Compare,
    /// [`InitOptions::date`].
    Date,
    /// [`InitOptions::years`].
    Years,
    /// [`InitOptions::currency`].
    Currency,
}

impl Input {
    /// The input a reader's field path (`cluster[0].hosts`, `scenario[2].plan[0].edition`)
    /// was written from.
    fn of_field(field: &str) -> Option<Input> {
        let head = field.split(['.', '[']).next().unwrap_or_default();
        let last = field.rsplit('.').next().unwrap_or_default();
        let last = last.split('[').next().unwrap_or_default();
        let cluster = [
            (ClusterField::Hosts, Input::Hosts),
            (ClusterField::SocketsPerHost, Input::Sockets),
            (ClusterField::CoresPerSocket, Input::Cores),
            (ClusterField::RamGbPerHost, Input::RamGb),
            (ClusterField::Vms, Input::Vms),
            (ClusterField::WindowsVms, Input::WindowsVms),
        ];
        match head {
            "cluster" if last == "needs" => Some(Input::Needs),
            "cluster" => cluster
                .iter()
                .find(|(f, _)| f.key() == last)
                .map(|(_, i)| *i),
            "scenario" => Some(Input::Compare),
            "purchase_date" => Some(Input::Date),
            "years" => Some(Input::Years),
            "currency" | "costs" => Some(Input::Currency),
            _ => None,
        }
    }
}

/// An option `init` cannot write a valid estate from: which, what is wrong, what would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The option; `None` for a problem no option explains (a bug, said so).
    pub input: Option<Input>,
    /// What is wrong.
    pub message: String,
    /// What would be valid.
    pub help: Option<String>,
}

impl Problem {
    fn new(input: Input, message: String, help: Option<String>) -> Problem {
        Problem {
            input: Some(input),
            message,
            help,
        }
    }
}

/// The short names `--compare` takes, each once, in the rank order of its first starter:
/// what `hypercost init --help` lists.
pub fn short_names(books: &PricebookSet) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for s in books.starters() {
        if let Some(short) = s.short
            && !names.contains(&short)
        {
            names.push(short);
        }
    }
    names
}

/// One word of `--compare` as (scenario name, edition): a short name, as the starter of that
/// name on sale on `date` (the lowest rank), or an edition id, named after its item.
fn resolve(books: &PricebookSet, word: &str, date: Date) -> Result<(String, ItemRef), Problem> {
    let word = word.trim();
    if word.contains('/') {
        let edition = ItemRef::parse(word).map_err(|e| {
            Problem::new(
                Input::Compare,
                format!("`{word}` is not an edition id: {e}"),
                Some("pricebook-id/edition-id, as `hypercost pricebook show ID` lists".into()),
            )
        })?;
        // The reader says what is wrong with an id it cannot find, with the valid ones.
        let name = books
            .item(&edition)
            .map_or_else(|| word.to_owned(), |(_, item)| item.name.clone());
        return Ok((name, edition));
    }
    let all = books.starters();
    let named: Vec<&StarterEdition> = all
        .iter()
        .filter(|s| s.short.as_deref() == Some(word))
        .collect();
    if named.is_empty() {
        return Err(Problem::new(
            Input::Compare,
            format!("`{word}` is neither a short name nor an edition id"),
            Some(format!(
                "short names: {}; or an edition id, pricebook-id/edition-id",
                short_names(books).join(", ")
            )),
        ));
    }
    match named
        .iter()
        .find(|s| not_on_sale(books, &s.edition, date).is_none())
    {
        Some(s) => Ok((s.scenario.clone(), s.edition.clone())),
        None => Err(Problem::new(
            Input::Compare,
            format!(
                "no `{word}` edition is on sale on {date}: {}",
                named
                    .iter()
                    .filter_map(|s| off_sale(books, &s.edition, date).flatten())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Some("choose another date with --date, or another platform".into()),
        )),
    }
}

/// The scenarios' (name, edition) pairs: the words asked for, else every starter on sale;
/// a word that names no platform goes to `problems`, and the others are kept.
fn platforms(
    o: &InitOptions,
    books: &PricebookSet,
    problems: &mut Vec<Problem>,
) -> Vec<(String, ItemRef)> {
    if o.compare.iter().all(|w| w.trim().is_empty()) {
        let on_sale: Vec<(String, ItemRef)> = books
            .starters()
            .into_iter()
            .filter(|s| not_on_sale(books, &s.edition, o.date).is_none())
            .map(|s| (s.scenario, s.edition))
            .collect();
        if on_sale.is_empty() {
            problems.push(Problem::new(
                Input::Date,
                format!("no starter edition is on sale on {}", o.date),
                Some("choose editions with --compare pricebook-id/edition-id".into()),
            ));
        }
        return on_sale;
    }
    let mut chosen: Vec<(String, ItemRef)> = Vec::new();
    for word in o.compare.iter().filter(|w| !w.trim().is_empty()) {
        match resolve(books, word, o.date) {
            Ok((_, edition)) if chosen.iter().any(|(_, e)| *e == edition) => {
                problems.push(Problem::new(
                    Input::Compare,
                    format!("`{}` names {edition} a second time", word.trim()),
                    Some("name each platform once".into()),
                ));
            }
            Ok(platform) => chosen.push(platform),
            Err(p) => problems.push(p),
        }
    }
    chosen
}

/// The estate the options describe (not yet validated); what no estate can say goes to
/// `problems`.
fn build(o: &InitOptions, books: &PricebookSet, problems: &mut Vec<Problem>) -> Estate {
    let code = o.currency.len() == 3 && o.currency.bytes().all(|b| b.is_ascii_uppercase());
    let known = illustrative_currencies();
    let currency_ok = code && known.contains(&o.currency.as_str());
    if !currency_ok {
        problems.push(Problem::new(
            Input::Currency,
            if code {
                format!(
                    "hypercost has no illustrative exchange rate into {} for the platforms' \
                     prices",
                    o.currency
                )
            } else {
                format!("`{}` is not a currency code", o.currency)
            },
            Some(format!(
                "{}, then put your own rates in [costs] fx",
                known.join(" or ")
            )),
        ));
    }
    // A refused code is reported once, above; the estate is written in the default so the
    // reader checks everything else.
    let currency = if currency_ok {
        o.currency.as_str()
    } else {
        CURRENCY
    };
    let mut cluster = Cluster {
        name: CLUSTER_NAME.to_owned(),
        needs: o
            .needs
            .iter()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect(),
        ..Cluster::default()
    };
    for (field, value) in [
        (ClusterField::Hosts, o.hosts),
        (ClusterField::SocketsPerHost, o.sockets),
        (ClusterField::CoresPerSocket, o.cores),
        (ClusterField::RamGbPerHost, o.ram_gb),
        (ClusterField::Vms, o.vms),
        (ClusterField::WindowsVms, o.windows_vms),
    ] {
        cluster.put(field, Decimal::from(value));
    }
    let windows_os = (o.windows_vms > 0)
        .then(|| windows_guest_edition(books, o.date))
        .flatten();
    let mut costs = Costs::default();
    let mut scenarios = Vec::new();
    for (name, edition) in platforms(o, books, problems) {
        let plan = starter_plan(books, 0, &edition, windows_os.as_ref());
        // Every book the plan buys from needs a rate into the estate currency.
        let items = std::iter::once(&plan.edition).chain(plan.guest_os.as_ref());
        for item in items {
            let Some((book, _)) = books.item(item) else {
                continue;
            };
            if book.currency == currency || costs.fx.contains_key(&book.currency) {
                continue;
            }
            match illustrative_rate(&book.currency, currency) {
                Some(rate) => {
                    costs.fx.insert(book.currency.clone(), rate);
                }
                None => problems.push(Problem::new(
                    Input::Currency,
                    format!(
                        "{item} is priced in {}, and hypercost has no illustrative rate from {} \
                         to {currency}",
                        book.currency, book.currency
                    ),
                    Some(format!(
                        "--currency {}, or leave the platform out",
                        illustrative_currencies().join(" or ")
                    )),
                )),
            }
        }
        scenarios.push(Scenario {
            name,
            plans: vec![plan],
            purchase_date: None,
            rule_switches: Vec::new(),
        });
    }
    let costs = (!costs.fx.is_empty()).then(|| Costs {
        fx_date: Some(o.date),
        fx_source: Some(format!(
            "ILLUSTRATIVE rates written by `hypercost init`, not market rates: replace them \
             with yours on your purchase date ({})",
            costs
                .fx
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        ..costs
    });
    Estate {
        name: format!("Estate to start from ({})", o.date),
        currency: currency.to_owned(),
        purchase_date: o.date,
        years: o.years,
        clusters: vec![cluster],
        owned: Vec::new(),
        contracts: Vec::new(),
        scenarios,
        costs,
        sizing: None,
        uncertainty: None,
        rule_switches: Vec::new(),
        region: None,
    }
}

/// The commented estate text for `options`, which [`parse_estate`] reads with `books`; or
/// every problem, each naming the option it came from.
pub fn init_estate(options: &InitOptions, books: &PricebookSet) -> Result<String, Vec<Problem>> {
    let mut problems = Vec::new();
    let estate = build(options, books, &mut problems);
    let header = header(options, &estate);
    let text = format!("{header}{}", annotate::annotate(&write_estate(&estate)));
    if let Err(d) = parse_estate(&SourceFile::new("<init>", text.clone()), books) {
        // The reader's errors, but for a whole key of an option already refused above (an
        // estate with no scenario left, a currency code), which would say it again.
        let refused: Vec<Option<Input>> = problems.iter().map(|p| p.input).collect();
        problems.extend(reader_problems(&d, &refused));
    }
    if problems.is_empty() {
        Ok(text)
    } else {
        Err(problems)
    }
}

/// The reader's errors as problems of the options they came from.
fn reader_problems(d: &Diagnostics, refused: &[Option<Input>]) -> Vec<Problem> {
    d.0.iter()
        .filter(|x| x.severity == Severity::Error)
        .filter_map(|x| {
            let input = Input::of_field(&x.field);
            let whole_key = !x.field.contains(['[', '.']);
            // No scenario left follows from any refused platform or date.
            let again = whole_key
                && (refused.contains(&input) || x.field == "scenario")
                && !refused.is_empty();
            (!again).then(|| Problem {
                input,
                message: x.message.clone(),
                help: x.help.clone(),
            })
        })
        .collect()
}

/// The file's opening comment: what it is, what to do next, what it compares.
fn header(o: &InitOptions, estate: &Estate) -> String {
    let scenarios = estate
        .scenarios
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = format!(
        "# An estate to start from, written by `hypercost init` for a purchase on {}.\n\
         # Put in your own numbers, then price it: `hypercost quote FILE` (or compare, explain,\n\
         # sweep, uncertainty). Each key is explained above it; `hypercost schema estate`\n\
         # describes every key an estate may have.\n",
        o.date
    );
    out.push_str(&annotate::wrap(&format!(
        "Scenarios, one per platform, each on every cluster: {scenarios}."
    )));
    if o.windows_vms > 0 {
        out.push_str(&annotate::wrap(
            "Plans whose edition has no VM rights license the Windows VMs with `guest_os`, so \
             no platform looks cheaper than it is.",
        ));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
