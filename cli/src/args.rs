//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use hypercost_core::Format;
use hypercost_core::init;

/// Licensing and TCO calculator for virtualisation estates: what will this estate cost over
/// N years on each platform, edition and add-on, and why?
#[derive(Debug, Parser)]
#[command(name = "hypercost", version, max_term_width = 100)]
pub struct Cli {
    /// No warnings, notes or progress on standard error, for scripts: errors only.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented estate to start from: one cluster, a scenario per platform compared,
    /// every key explained. It quotes as written; put in your own numbers.
    ///
    /// Without options: a small cluster bought today, compared on every starter platform on
    /// sale. Never writes over an existing file unless --force is given.
    Init(InitArgs),
    /// Price every scenario of an estate: lines, rules, sources, totals, compliance.
    Quote(QuoteArgs),
    /// List, show, check or compare pricebooks.
    #[command(subcommand)]
    Pricebook(PricebookCommand),
    /// List or check hardware catalogues: the CPUs, servers and RAM, each priced with its
    /// source and confidence, that `reshape` builds host shapes from.
    #[command(subcommand)]
    Hardware(HardwareCommand),
    /// Print the JSON Schema (draft 2020-12) of the estate, pricebook or quote format.
    Schema(SchemaArgs),
    /// The cheapest compliant plans per cluster from every pricebook on sale, and why every
    /// other option fails.
    ///
    /// `-o FILE.toml` writes the winners as the scenarios of a new estate (the report then
    /// goes to standard output).
    Cheapest(CheapestArgs),
    /// How every number of a quote is made: quantity rule, unit price and source, discount
    /// steps, rounding, sums.
    Explain(ExplainArgs),
    /// Scenarios side by side per year and in total, against a baseline, with break-even years.
    Compare(CompareArgs),
    /// A what-if grid: the total of every scenario as one or two estate fields vary.
    Sweep(SweepArgs),
    /// Vary each input by ±PCT and rank the inputs by their effect (a tornado table).
    Sensitivity(SensitivityArgs),
    /// How far each scenario's total can move when prices are what their sources allow:
    /// P10–P50–P90 of total and NPV, how often each scenario is the cheapest, and the prices
    /// and inputs that decide it.
    ///
    /// Each price varies by a width for its confidence mark, or over its book's low–high
    /// (`[uncertainty]` in the estate sets the widths; `hypercost schema estate` gives the
    /// defaults, and the result lists each range drawn and why), and each input in
    /// `[uncertainty.inputs]` over its range. The same seed gives the same bytes.
    Uncertainty(UncertaintyArgs),
    /// The start month of each move of a scenario that costs least, proven exactly, under a
    /// deadline and a limit on VMs in motion a month; with a Gantt chart.
    ///
    /// `-o FILE.toml` writes the estate with the chosen starts (comments kept); the report
    /// then goes to standard output.
    Schedule(ScheduleArgs),
    /// The host shapes (server × CPU × RAM of a hardware catalogue) that cost least for each
    /// cluster's workload on each edition, each priced by the engine with its hardware and
    /// power, beside the hosts the cluster has.
    ///
    /// Sized by `[sizing]` (vCPUs per core 4, RAM headroom 0.2, 1 spare host by default).
    /// `-o FILE.toml` writes the estate with a scenario per edition, each cluster on its
    /// cheapest shape (`[scenario.plan.shape]`); the report then goes to standard output.
    Reshape(ReshapeArgs),
    /// Turn an inventory export into an estate of clusters of identical hosts.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write an estate's clusters in another tool's format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print a man page (roff): of hypercost, or of a command (`hypercost man import rvtools`).
    Man(ManArgs),
}

/// Arguments of `hypercost init`. Each number is checked as an estate file's would be.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Write the estate here (FILE.toml) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write over FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Hosts in the cluster.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_HOSTS)]
    pub hosts: u32,
    /// CPU sockets per host.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_SOCKETS)]
    pub sockets: u32,
    /// Physical cores per socket.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_CORES)]
    pub cores: u32,
    /// RAM per host, GB.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_RAM_GB)]
    pub ram_gb: u32,
    /// VMs in the cluster.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_VMS)]
    pub vms: u32,
    /// Windows Server guests among the VMs; above 0, every plan whose edition has no VM
    /// rights licenses them (`guest_os`), so no platform looks cheaper than it is.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_WINDOWS_VMS)]
    pub windows_vms: u32,
    /// Features the cluster needs, comma-separated: tags (live-migration, ha, …) or a
    /// pricebook's alias for one; `""` for none.
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_values = init::DEFAULT_NEEDS)]
    pub needs: Vec<String>,
    /// Platforms to compare, comma-separated: short names or edition ids
    /// (pricebook-id/edition-id) [default: every starter platform on sale on --date].
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub compare: Vec<String>,
    /// The purchase date (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<hypercost_core::Date>,
    /// The horizon in years.
    #[arg(long, value_name = "N", default_value_t = init::DEFAULT_YEARS)]
    pub years: u32,
    /// The estate currency (ISO 4217); platforms priced in another currency get an
    /// illustrative exchange rate, labelled so.
    #[arg(long, value_name = "C", default_value = hypercost_core::import::CURRENCY)]
    pub currency: String,
}

/// Arguments of `hypercost completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `hypercost man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The command whose page to print, as typed after `hypercost` (`quote`, `import
    /// rvtools`); none: the page of hypercost itself.
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Vec<String>,
    /// Write every page instead, hypercost.1 and one per command (hypercost-quote.1, …), into
    /// this folder (made if missing; pages already there are replaced), for packagers and
    /// `MANPATH`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

/// `hypercost export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The Broadcom cluster CSV (CLUSTER_NAME, NUMBER_OF_HOSTS, NUMBER_OF_CPU_SOCKETS,
    /// NUMBER_OF_CPU_CORES_PER_SOCKET): one row per estate cluster, readable by `import
    /// cluster-csv` and Broadcom's offline calculator (KB 96426).
    ClusterCsv(ExportArgs),
}

/// Arguments of `hypercost export cluster-csv`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Estate file (TOML, format 1); `-` reads standard input.
    pub estate: PathBuf,
    /// Write the CSV here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// `hypercost import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// An RVTools export: the .xlsx workbook, or a folder of its per-tab CSVs
    /// (RVTools_tabvHost.csv, RVTools_tabvInfo.csv, …). Hosts from vHost; VMs and
    /// windows_vms (Windows Server guests, by guest OS) from vInfo; vsan_tib from vDatastore's
    /// datastores of type vsan, per cluster by the hosts that mount them; without vHost, host
    /// facts from --hosts FILE.
    Rvtools(RvtoolsArgs),
    /// A per-host CSV (KB 313548 / PowerCLI style): columns by header name, any separator.
    Hosts(ImportArgs),
    /// The Broadcom cluster CSV (CLUSTER_NAME, NUMBER_OF_HOSTS, NUMBER_OF_CPU_SOCKETS,
    /// NUMBER_OF_CPU_CORES_PER_SOCKET, …).
    ClusterCsv(ImportArgs),
}

/// Arguments of `hypercost import rvtools|hosts|cluster-csv`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file (for `rvtools`: FILE.xlsx, a folder of RVTools_tab*.csv, or one such CSV);
    /// `-` reads standard input (for `rvtools`: a workbook or one tab's CSV, told by its
    /// bytes and header). At most 256 MiB, and a workbook may inflate to no more.
    pub file: PathBuf,
    /// Write the estate here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Print what was read: hosts, sockets, cores, licences under the 16-core floor, warnings.
    #[arg(long)]
    pub summary: bool,
    /// The import date (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<hypercost_core::Date>,
    /// Exchange rate for starter scenarios priced in another currency, in USD per 1 unit
    /// (e.g. EUR=1.09 for Proxmox VE): written to `[costs] fx` as given on import, instead of
    /// the illustrative rate. Three capital letters, `=`, a positive decimal. Repeatable; a
    /// currency no starter uses is written too, with a warning.
    #[arg(long, value_name = "CUR=RATE", value_parser = parse_fx)]
    pub fx: Vec<(String, rust_decimal::Decimal)>,
}

/// Arguments of `hypercost import rvtools`.
#[derive(Debug, clap::Args)]
pub struct RvtoolsArgs {
    /// What every import takes.
    #[command(flatten)]
    pub import: ImportArgs,
    /// A per-host CSV (KB 313548 script or PowerCLI: host name, sockets, cores per socket or
    /// per host, RAM) giving the host facts of an export without vHost. Matched by host name
    /// (any case; a short name to an FQDN's first label); unmatched hosts stay 2×16-core
    /// placeholders, with a warning. Refused when the export has vHost.
    #[arg(long, value_name = "FILE")]
    pub hosts: Option<PathBuf>,
}

fn parse_fx(text: &str) -> Result<(String, rust_decimal::Decimal), String> {
    hypercost_core::import::parse_fx(text)
}

/// Arguments of `hypercost schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which format: `estate` and `pricebook` (TOML, for editors such as Taplo) or `quote`
    /// (the JSON of `quote --format json`).
    #[arg(value_enum)]
    pub kind: SchemaKindArg,
    /// Write the schema to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The formats `hypercost schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKindArg {
    /// Estate files (TOML, format 1).
    Estate,
    /// Pricebook files (TOML, format 1).
    Pricebook,
    /// The quote JSON (format 1).
    Quote,
    /// Hardware catalogue files (TOML, format 1).
    Hardware,
}

/// `hypercost pricebook …`.
#[derive(Debug, Subcommand)]
pub enum PricebookCommand {
    /// List the pricebooks: bundled, replaced or added by --pricebook.
    List {
        /// Extra pricebook (TOML); one with a bundled id replaces it. Repeatable.
        #[arg(long = "pricebook", value_name = "FILE")]
        pricebooks: Vec<PathBuf>,
    },
    /// Show one pricebook: every item, its metric, term, price, source and confidence.
    Show {
        /// Pricebook id, e.g. vmware-vsphere-4.0.
        id: String,
        /// Extra pricebook (TOML); one with a bundled id replaces it. Repeatable.
        #[arg(long = "pricebook", value_name = "FILE")]
        pricebooks: Vec<PathBuf>,
    },
    /// Validate pricebook files the way quotes load them; exit 2 on any problem.
    Check {
        /// Pricebook files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// What changed from pricebook A to B (prices, rules, features, …) and, with --estate,
    /// what that does to the estate's quote.
    Diff {
        /// The old book: a pricebook id (bundled or from --pricebook) or a pricebook file.
        a: String,
        /// The new book: a pricebook id or a pricebook file.
        b: String,
        /// Quote this estate with A, then with B in A's place (under A's id), and compare.
        #[arg(long, value_name = "FILE")]
        estate: Option<PathBuf>,
        /// Extra pricebook (TOML); one with a bundled id replaces it. Repeatable.
        #[arg(long = "pricebook", value_name = "FILE")]
        pricebooks: Vec<PathBuf>,
    },
}

/// `hypercost hardware …`.
#[derive(Debug, Subcommand)]
pub enum HardwareCommand {
    /// List the catalogue's CPUs, servers and RAM with prices, sources and confidence.
    List {
        /// A hardware catalogue (TOML) to use instead of the bundled one.
        #[arg(long, value_name = "FILE")]
        hardware: Option<PathBuf>,
    },
    /// Validate hardware catalogue files; exit 2 on any problem.
    Check {
        /// Hardware catalogue files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// What every pricing command (`quote`, `compare`, `sweep`, `sensitivity`, `cheapest`,
/// `explain`) prices: the estate, the pricebooks and the date. Read by `load_pricing`, the
/// one way, so each command takes the same options and its result carries the same notes.
#[derive(Debug, clap::Args)]
pub struct PricingArgs {
    /// Estate file (TOML, format 1); `-` reads standard input. Without it: the embedded 2009
    /// example (8 hosts on VI3 Enterprise weighing vSphere 4, Nexus 1000V, XenServer, Hyper-V).
    pub estate: Option<PathBuf>,
    /// Extra pricebook (TOML); one with the id of a bundled book replaces it. Repeatable.
    #[arg(long = "pricebook", value_name = "FILE")]
    pub pricebooks: Vec<PathBuf>,
    /// Price every scenario as if bought on this date (YYYY-MM-DD): promotions, end of sale,
    /// dated rules and on-sale windows all follow it.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<hypercost_core::Date>,
}

impl PricingArgs {
    /// The files these arguments name (estate and pricebooks): `-o` never writes over one.
    pub(crate) fn reads(&self) -> Vec<PathBuf> {
        crate::input_paths(
            self.estate
                .iter()
                .chain(&self.pricebooks)
                .map(PathBuf::as_path),
        )
    }
}

/// How a result is written: `--format` and `-o FILE`.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Output format [default: from -o FILE's extension, else table].
    #[arg(long, short, value_parser = format_parser())]
    pub format: Option<Format>,
    /// Write the output to this file instead of standard output; its extension (.json, .csv,
    /// .md, .html, .xlsx, .txt) chooses the format when --format is not given. Never a file
    /// the command reads.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Arguments of `hypercost quote`.
#[derive(Debug, clap::Args)]
pub struct QuoteArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// P10–P90 ranges beside the totals.
    #[command(flatten)]
    pub ranges: RangeArgs,
    /// Where the quote goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--format`'s values, from the core's format registry: its names, with what each is for.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    let values = Format::ALL
        .iter()
        .map(|f| PossibleValue::new(f.name()).help(f.about()));
    PossibleValuesParser::new(values)
        .try_map(|name| Format::from_name(&name).ok_or("no such format"))
}

fn parse_date(text: &str) -> Result<hypercost_core::Date, String> {
    let date = hypercost_core::Date::parse(text)?;
    // The same bounds as an estate's purchase_date.
    if !(1990..=2100).contains(&date.year) {
        return Err(format!(
            "{date} is outside the years hypercost prices (1990 to 2100)"
        ));
    }
    Ok(date)
}

/// Arguments of `hypercost cheapest`.
#[derive(Debug, clap::Args)]
pub struct CheapestArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Only platforms (editions) of this vendor, e.g. vmware; repeatable. Add-ons may come
    /// from any vendor.
    #[arg(long = "vendor", value_name = "V")]
    pub vendors: Vec<String>,
    /// How many compliant plans to show per cluster.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,
    /// Where the report goes (`-o FILE.toml`: the winners' estate, see above).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `hypercost explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Only this scenario (its name).
    #[arg(long, value_name = "S")]
    pub scenario: Option<String>,
    /// Only the lines of this cluster (its name; `*` for scenario-wide lines).
    #[arg(long, value_name = "C")]
    pub cluster: Option<String>,
    /// Where the explanation goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `hypercost compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// The scenario every other is compared with (default: the first in the estate).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// `month` adds the cash flow by calendar month, each payment in the month it falls due
    /// (transitions: renewals, dual running, migration labour); `year` (default) does not.
    #[arg(long, value_name = "PERIOD", default_value = "year", value_parser = ["year", "month"])]
    pub by: String,
    /// P10–P90 ranges beside the totals.
    #[command(flatten)]
    pub ranges: RangeArgs,
    /// Where the result goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `hypercost sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// `FIELD=A..B[:STEP]`: a cluster number (`hosts`, `cores_per_socket`, …; `CLUSTER.hosts`
    /// when there are several clusters; `hypercost schema estate` lists them all), `years`, a
    /// `[costs]` number (`pue`, …), `discount.VENDOR` or `fx.CUR`. Whole-number fields step by
    /// 1 by default, others in 10 steps. Twice for a grid.
    #[arg(long, value_name = "FIELD=A..B[:STEP]", required = true)]
    pub vary: Vec<String>,
    /// Where the result goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `hypercost sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// The scenario whose total is measured (default: the best-ranked one).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Measure the difference scenario − this one instead of a total.
    #[arg(long, value_name = "NAME")]
    pub vs: Option<String>,
    /// Vary each input by ± this many percent (above 0, at most 100).
    #[arg(long, value_name = "PCT", default_value = "10", value_parser = parse_percent)]
    pub by: rust_decimal::Decimal,
    /// Where the result goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `hypercost uncertainty`.
#[derive(Debug, clap::Args)]
pub struct UncertaintyArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// How the draws are made.
    #[command(flatten)]
    pub draws: DrawArgs,
    /// Where the result goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How `uncertainty` draws (and `--ranges`).
#[derive(Debug, clap::Args)]
pub struct DrawArgs {
    /// How many draws (a number out of range is refused, naming the range).
    #[arg(long, value_name = "N", default_value_t = hypercost_core::analysis::uncertainty::DEFAULT_DRAWS)]
    pub draws: u32,
    /// The seed of the draws: the same seed gives the same result.
    #[arg(long, value_name = "S", default_value_t = hypercost_core::analysis::uncertainty::DEFAULT_SEED)]
    pub seed: u64,
}

impl DrawArgs {
    /// The options of `uncertainty`.
    pub fn options(&self) -> hypercost_core::analysis::uncertainty::Options {
        hypercost_core::analysis::uncertainty::Options {
            draws: self.draws,
            seed: self.seed,
        }
    }
}

/// `--ranges` of `quote` and `compare`.
#[derive(Debug, clap::Args)]
pub struct RangeArgs {
    /// Show each total's P10–P90 range when prices are what their sources allow, and how
    /// often each scenario is the cheapest (the draws of `hypercost uncertainty`).
    #[arg(long)]
    pub ranges: bool,
    /// How the ranges are drawn.
    #[command(flatten)]
    pub draws: DrawArgs,
}

/// Arguments of `hypercost reshape`.
#[derive(Debug, clap::Args)]
pub struct ReshapeArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// Also price this edition (`pricebook/edition`), besides those the estate's scenarios
    /// use; repeatable.
    #[arg(long = "edition", value_name = "ID")]
    pub editions: Vec<String>,
    /// The hardware catalogue (TOML) instead of the bundled one (`hypercost hardware list`).
    #[arg(long, value_name = "FILE")]
    pub hardware: Option<std::path::PathBuf>,
    /// How many of the cheapest shapes to show per cluster and edition.
    #[arg(long, value_name = "N", default_value_t = hypercost_core::analysis::reshape::DEFAULT_TOP, value_parser = clap::value_parser!(u16).range(1..))]
    pub top: u16,
    /// Where the report goes (`-o FILE.toml`: the reshaped estate, see above).
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `hypercost schedule`.
#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    /// What is priced.
    #[command(flatten)]
    pub pricing: PricingArgs,
    /// The scenario whose moves are scheduled.
    #[arg(long, value_name = "NAME")]
    pub scenario: String,
    /// Every move finishes by this day (YYYY-MM-DD; default: the horizon's last day).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub deadline: Option<hypercost_core::Date>,
    /// At most this many VMs in motion in any month (each move's VMs spread evenly over its
    /// months).
    #[arg(long, value_name = "N")]
    pub max_vms_per_month: Option<u64>,
    /// What to minimise.
    #[arg(long, value_enum, default_value = "total")]
    pub objective: ObjectiveArg,
    /// Where the result goes.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--objective`: the words of [`hypercost_core::analysis::schedule::Objective`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectiveArg(pub hypercost_core::analysis::schedule::Objective);

impl clap::ValueEnum for ObjectiveArg {
    fn value_variants<'a>() -> &'a [Self] {
        use hypercost_core::analysis::schedule::Objective;
        const ALL: [ObjectiveArg; 2] = [
            ObjectiveArg(Objective::ALL[0]),
            ObjectiveArg(Objective::ALL[1]),
        ];
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.word()))
    }
}

fn parse_percent(text: &str) -> Result<rust_decimal::Decimal, String> {
    let t = text.trim().trim_end_matches('%').trim();
    match hypercost_core::money::parse_decimal(t) {
        Some(p) if p > rust_decimal::Decimal::ZERO && p <= rust_decimal::Decimal::ONE_HUNDRED => {
            Ok(p)
        }
        _ => Err(format!(
            "`{text}` is not a percentage above 0 and at most 100 (e.g. 10 for ±10 %)"
        )),
    }
}
