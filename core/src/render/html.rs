//! HTML: the report as one self-contained page — inline CSS, inline SVG charts, no script and
//! no network — readable on screen and in print, from the same [`Quote`] as every format.
//!
//! The markup lives in askama templates under `core/templates/` (compiled into the crate, HTML
//! escaping on): `report.html` is the page shell, `report.css` its style, and each part of the
//! page has its own template so a page that lays the parts out itself (the browser calculator)
//! can reuse them through [`parts`] and [`STYLE`]. Chart geometry (`html/chart.rs`) is
//! computed in `Decimal` from the quote's figures, never in floats.

mod chart;

use askama::Template;
use rust_decimal::Decimal;

use crate::money::{grouped, grouped_unit, money_text, plain_text};
use crate::pricebook::Confidence;
use crate::quote::{ALL_CLUSTERS, Line, Quote, ScenarioQuote};
use chart::{Chart, crossover_chart, cumulative_chart, marker_path, yearly_chart};

/// The report's style sheet (`core/templates/report.css`): every class the parts use, with the
/// print rules (no dark backgrounds, a page per scenario, rows never split).
pub const STYLE: &str = include_str!("../../templates/report.css");

/// The report in pieces, each an HTML fragment styled by [`STYLE`], for a page that places
/// them itself. [`document`] is these parts, in this order, in one page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Parts {
    /// The title block: estate, currency, purchase date, horizon, engine, the headline.
    pub header: String,
    /// The scenarios ranked.
    pub ranking: String,
    /// The per-year (grouped bars) and cumulative (lines) charts with their legend.
    pub charts: String,
    /// One section per scenario, in estate order: years, problems, notes, doubtful prices and
    /// line items.
    pub scenarios: Vec<String>,
    /// Assumptions, pricebooks with hashes, and the numbered sources the line items cite.
    pub reference: String,
}

/// Renders the report as the bytes of one HTML document.
pub(super) fn render(q: &Quote) -> Vec<u8> {
    document(q).into_bytes()
}

/// The whole report as one self-contained HTML document.
pub fn document(q: &Quote) -> String {
    let p = parts(q);
    let title = format!("{} · {} · hypercost", q.estate, q.currency);
    to_html(&DocumentTemplate {
        title: &title,
        parts: &p,
    })
}

/// The report's parts as fragments (see [`Parts`]).
pub fn parts(q: &Quote) -> Parts {
    let view = View::new(q);
    Parts {
        header: to_html(&HeaderTemplate { v: &view }),
        ranking: to_html(&RankingTemplate { v: &view }),
        charts: to_html(&ChartsTemplate {
            v: &view,
            yearly: &view.yearly,
            cumulative: &view.cumulative,
        }),
        scenarios: view
            .scenarios
            .iter()
            .map(|s| to_html(&ScenarioTemplate { v: &view, s }))
            .collect(),
        reference: to_html(&ReferenceTemplate { v: &view }),
    }
}

/// A `schedule` as one self-contained HTML document with its Gantt chart.
pub(crate) fn schedule(s: &crate::analysis::schedule::Schedule) -> Vec<u8> {
    let title = format!("{} · schedule · hypercost", s.scenario);
    to_html(&ScheduleDocument {
        title: &title,
        gantt: &gantt(s),
    })
    .into_bytes()
}

/// A schedule's Gantt chart, table and method as an HTML fragment (the page shows it too).
pub fn gantt(s: &crate::analysis::schedule::Schedule) -> String {
    use super::schedule::{money, month_of, span};
    let (first, months) = span(s).unwrap_or((s.deadline, 1));
    let (left, width, row) = (170i64, 760i64, 30i64);
    let per = (width - left - 10) / i64::from(months.max(1));
    let x = |k: u32| left + i64::from(k) * per;
    let top = 24;
    let rows: Vec<GanttRow> = s
        .schedule
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let (a, b) = (month_of(first, slot.start), month_of(first, slot.end));
            GanttRow {
                cluster: super::text::truncate(&slot.cluster, 22),
                y: top + i as i64 * row,
                x: x(a),
                w: (i64::from(b - a) + 1) * per,
                start: slot.start.to_string(),
                end: slot.end.to_string(),
                months: slot.months.max(1),
                vms: slot.vms,
                written: slot
                    .written_start
                    .map_or("purchase date".to_owned(), |d| d.to_string()),
                ends_text: slot
                    .contract_ends
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                ends: slot
                    .contract_ends
                    .iter()
                    .map(|e| GanttMark {
                        x: x(month_of(first, *e) + 1),
                        date: e.to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    let bottom = top + rows.len() as i64 * row;
    let ticks = (0..=months)
        .map(|k| GanttTick {
            x: x(k),
            label: first
                .add_months(k)
                .filter(|d| k < months && (d.month == 1 || k == 0))
                .map_or(String::new(), |d| format!("{}-{:02}", d.year, d.month)),
        })
        .collect();
    to_html(&GanttTemplate {
        s,
        total: money(s.total),
        npv: money(s.npv),
        written: money(s.as_written_total),
        saving: money(s.saving),
        g: Gantt {
            width,
            height: bottom + 8,
            top,
            bottom,
            ticks,
            rows,
        },
    })
}

struct Gantt {
    width: i64,
    height: i64,
    top: i64,
    bottom: i64,
    ticks: Vec<GanttTick>,
    rows: Vec<GanttRow>,
}

struct GanttTick {
    x: i64,
    label: String,
}

struct GanttRow {
    cluster: String,
    y: i64,
    x: i64,
    w: i64,
    start: String,
    end: String,
    months: u32,
    vms: u64,
    written: String,
    ends_text: String,
    ends: Vec<GanttMark>,
}

struct GanttMark {
    x: i64,
    date: String,
}

#[derive(Template)]
#[template(path = "schedule.html", whitespace = "minimize")]
struct ScheduleDocument<'a> {
    title: &'a str,
    gantt: &'a str,
}

#[derive(Template)]
#[template(path = "gantt.html", whitespace = "minimize")]
struct GanttTemplate<'a> {
    s: &'a crate::analysis::schedule::Schedule,
    total: String,
    npv: String,
    written: String,
    saving: String,
    g: Gantt,
}

/// A `reshape` as one self-contained HTML document: per cluster the options in a table and
/// the crossover chart, with its figures in a table beside it for those who cannot see it.
pub(crate) fn reshape(r: &crate::analysis::reshape::Reshape) -> Vec<u8> {
    let title = format!("{} · host shapes · hypercost", r.estate);
    let clusters = r
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| reshape_cluster(i, c, &r.currency))
        .collect();
    to_html(&ReshapeDocument {
        title: &title,
        r,
        sizing: super::reshape::sizing_text(r),
        clusters,
    })
    .into_bytes()
}

fn reshape_cluster(
    i: usize,
    c: &crate::analysis::reshape::ClusterShapes,
    currency: &str,
) -> ReshapeCluster {
    use crate::analysis::reshape::ShapeOption;
    // An edition's colour and marker are its place in the crossover, which lists every edition.
    let index = |edition: &str| {
        c.crossover
            .iter()
            .position(|e| e.edition == edition)
            .unwrap_or(0)
    };
    let row = |o: &ShapeOption| OptionRow {
        colour: colour(index(&o.edition)),
        edition: o.edition.clone(),
        server: o.server.clone(),
        cpu: o.cpu.clone(),
        hosts: o.hosts,
        sockets: o.sockets_per_host,
        cores: o.cores_per_socket,
        ram: o.ram_gb_per_host,
        hardware_per_host: o.hardware_per_host.map_or(String::new(), grouped),
        software: grouped(o.software),
        hardware: grouped(o.hardware),
        total: grouped(o.total),
        total_plain: money_text(o.total),
        npv: grouped(o.npv),
        why: o.why.clone(),
    };
    let best = c.options.first().map(|o| BestShape {
        edition: o.edition.clone(),
        hosts: plural(o.hosts as usize, "host"),
        shape: row(o).shape_text(),
        total: grouped(o.total),
    });
    let counts = c.core_counts();
    let mut cluster = ReshapeCluster {
        name: c.cluster.clone(),
        anchor: format!("cluster-{}", i + 1),
        workload: format!(
            "{} VMs, {} vCPUs, {} GB per VM",
            c.vms,
            c.vcpus,
            plain_text(c.vm_ram_gb)
        ),
        best,
        as_is: c.baseline.iter().map(|o| o.total).min().map(grouped),
        baseline: c.baseline.iter().map(row).collect(),
        options: c.options.iter().map(row).collect(),
        legend: c
            .crossover
            .iter()
            .enumerate()
            .map(|(j, e)| LegendEntry {
                edition: e.edition.clone(),
                colour: colour(j),
                marker: marker_path(j, Decimal::from(15), Decimal::from(7)),
            })
            .collect(),
        chart: crossover_chart(format!("crossover-{}", i + 1), c, currency),
        editions: c.crossover.iter().map(|e| e.edition.clone()).collect(),
        crossover: counts
            .iter()
            .map(|cores| CrossRow {
                cores: *cores,
                totals: c
                    .crossover
                    .iter()
                    .map(|e| {
                        e.points
                            .iter()
                            .find(|p| p.cores_per_socket == *cores)
                            .map_or("—".to_owned(), |p| grouped(p.total))
                    })
                    .collect(),
            })
            .collect(),
        crossover_html: String::new(),
    };
    cluster.crossover_html = to_html(&CrossoverFragment {
        c: &cluster,
        currency,
    });
    cluster
}

struct ReshapeCluster {
    name: String,
    anchor: String,
    workload: String,
    /// The cheapest option of all (options are sorted by total).
    best: Option<BestShape>,
    /// The cheapest total on the hosts the cluster has.
    as_is: Option<String>,
    baseline: Vec<OptionRow>,
    options: Vec<OptionRow>,
    legend: Vec<LegendEntry>,
    chart: Chart,
    editions: Vec<String>,
    crossover: Vec<CrossRow>,
    /// The crossover fragment, rendered once the rest is known.
    crossover_html: String,
}

impl ReshapeCluster {
    /// The table's two groups of rows, each under its label.
    fn groups(&self) -> [(&'static str, &[OptionRow]); 2] {
        [
            ("The hosts the cluster has", &self.baseline),
            ("The cheapest shapes of the catalogue", &self.options),
        ]
    }
}

struct BestShape {
    edition: String,
    hosts: String,
    shape: String,
    total: String,
}

struct OptionRow {
    edition: String,
    colour: &'static str,
    server: String,
    cpu: String,
    hosts: u32,
    sockets: u32,
    cores: u32,
    ram: Option<u32>,
    hardware_per_host: String,
    software: String,
    hardware: String,
    total: String,
    /// The total as the JSON writes it, in a `data-total` attribute (see [`RankRow`]).
    total_plain: String,
    npv: String,
    why: String,
}

impl OptionRow {
    /// The edition with a break allowed after its pricebook only (`pricebook/` `edition`).
    fn edition_parts(&self) -> (&str, &str) {
        match self.edition.split_once('/') {
            Some((book, _)) => self.edition.split_at(book.len() + 1),
            None => (self.edition.as_str(), ""),
        }
    }

    /// Server and CPU: `1s-1u · 128c` (`current` for the hosts the cluster has).
    fn server_cpu(&self) -> String {
        if self.server == self.cpu {
            self.server.clone()
        } else {
            format!("{} · {}", self.server, self.cpu)
        }
    }

    /// Sockets, cores and RAM: `1 × 128 cores, 1024 GB`.
    fn sockets_cores_ram(&self) -> String {
        let ram = self.ram.map_or(String::new(), |r| format!(", {r} GB"));
        format!("{} × {} cores{ram}", self.sockets, self.cores)
    }

    /// The whole shape in a phrase, for the headline.
    fn shape_text(&self) -> String {
        format!(
            "server {}, CPU {}: {}",
            self.server,
            self.cpu,
            self.sockets_cores_ram()
        )
    }
}

struct LegendEntry {
    edition: String,
    colour: &'static str,
    /// The line's marker in a 30 × 14 swatch.
    marker: String,
}

/// A core count and each edition's cheapest total with it (`—` where none complies).
struct CrossRow {
    cores: u32,
    totals: Vec<String>,
}

/// One cluster's crossover: the legend, the chart and its figures (the report and the page).
#[derive(Template)]
#[template(path = "crossover.html", whitespace = "minimize")]
struct CrossoverFragment<'a> {
    c: &'a ReshapeCluster,
    currency: &'a str,
}

/// Each cluster's crossover chart, legend and figures as an HTML fragment, in cluster order
/// (empty where no shape complies): the page shows them as the report does.
pub fn crossover(r: &crate::analysis::reshape::Reshape) -> Vec<String> {
    r.clusters
        .iter()
        .enumerate()
        .map(|(i, c)| reshape_cluster(i, c, &r.currency).crossover_html)
        .collect()
}

#[derive(Template)]
#[template(path = "reshape.html", whitespace = "minimize")]
struct ReshapeDocument<'a> {
    title: &'a str,
    r: &'a crate::analysis::reshape::Reshape,
    sizing: String,
    clusters: Vec<ReshapeCluster>,
}

/// Renders a template. Writing into a `String` cannot fail and every value's `Display` here is
/// infallible, so the error arm is never taken; it still yields a readable page, not a panic.
fn to_html(t: &impl Template) -> String {
    t.render()
        .unwrap_or_else(|_| "<p>This part of the report could not be rendered.</p>".to_owned())
}

// ---------------------------------------------------------------------------------------------
// Templates

#[derive(Template)]
#[template(path = "report.html", whitespace = "minimize")]
struct DocumentTemplate<'a> {
    title: &'a str,
    parts: &'a Parts,
}

#[derive(Template)]
#[template(path = "header.html", whitespace = "minimize")]
struct HeaderTemplate<'a> {
    v: &'a View,
}

#[derive(Template)]
#[template(path = "ranking.html", whitespace = "minimize")]
struct RankingTemplate<'a> {
    v: &'a View,
}

#[derive(Template)]
#[template(path = "charts.html", whitespace = "minimize")]
struct ChartsTemplate<'a> {
    v: &'a View,
    yearly: &'a Chart,
    cumulative: &'a Chart,
}

#[derive(Template)]
#[template(path = "scenario.html", whitespace = "minimize")]
struct ScenarioTemplate<'a> {
    v: &'a View,
    s: &'a ScenarioView,
}

#[derive(Template)]
#[template(path = "reference.html", whitespace = "minimize")]
struct ReferenceTemplate<'a> {
    v: &'a View,
}

// ---------------------------------------------------------------------------------------------
// The view: the quote as the text and geometry the templates print

/// Series colours: dark enough for 4.5:1 on white, told apart further by marker shape and,
/// for scenarios that are not compliant, by dashed lines and pale bars.
const COLOURS: [&str; 8] = [
    "#1f5fa8", "#c2410c", "#047857", "#7e22ce", "#be185d", "#0e7490", "#92400e", "#4b5563",
];

struct View {
    estate: String,
    currency: String,
    purchase_date: String,
    years: u32,
    engine: String,
    notes: Vec<Vec<Segment>>,
    /// The cheapest compliant scenario: name, anchor, total and NPV.
    best: Option<Best>,
    ranking: Vec<RankRow>,
    /// How many draws the ranges come from (`--ranges`), in words.
    draws: Option<String>,
    scenarios: Vec<ScenarioView>,
    yearly: Chart,
    cumulative: Chart,
    assumptions: Vec<AssumptionRow>,
    pricebooks: Vec<PricebookRow>,
    sources: Vec<SourceRow>,
    discount_rate: String,
}

struct Best {
    name: String,
    anchor: String,
    total: String,
    npv: String,
}

struct RankRow {
    rank: u32,
    name: String,
    anchor: String,
    colour: &'static str,
    compliant: bool,
    problems: String,
    total: String,
    /// The total as the JSON writes it (`66761.25`), in a `data-total` attribute so a page or
    /// a test reads the exact figure without parsing grouped text.
    total_plain: String,
    vs_best: String,
    npv: String,
    per_vm: String,
    bought: String,
    range: Option<RangeCell>,
}

/// A total's range in the ranking: its error bar and figures.
struct RangeCell {
    bar: chart::ErrorBar,
    width: i64,
    text: String,
    cheapest: String,
    p10_plain: String,
    p50_plain: String,
    p90_plain: String,
}

struct ScenarioView {
    /// 0-based position in the estate: colour and marker of its series.
    index: usize,
    name: String,
    anchor: String,
    colour: &'static str,
    compliant: bool,
    status: String,
    purchase_date: String,
    bought_differs: bool,
    total: String,
    npv: String,
    per_vm: Option<String>,
    has_vms: bool,
    years: Vec<YearRow>,
    problems: Vec<ProblemRow>,
    notes: Vec<Vec<Segment>>,
    doubtful: Option<DoubtfulView>,
    groups: Vec<LineGroup>,
    line_count: usize,
}

struct YearRow {
    year: u32,
    total: String,
    cumulative: String,
    present_value: String,
    vms: String,
}

struct ProblemRow {
    cluster: Option<String>,
    code: String,
    message: String,
}

struct DoubtfulView {
    lines: u32,
    of: usize,
    items: Vec<DoubtfulRow>,
}

struct DoubtfulRow {
    item: String,
    badge: Badge,
    lines: u32,
    source: Vec<Segment>,
}

struct LineGroup {
    year: u32,
    total: String,
    lines: Vec<LineRow>,
}

struct LineRow {
    cluster: String,
    kind: &'static str,
    /// The day it falls due.
    due: String,
    name: String,
    item: String,
    quantity: String,
    unit_price: String,
    fx: Option<String>,
    steps: Vec<StepRow>,
    amount: String,
    rule: String,
    source_number: usize,
    source_text: String,
    badge: Badge,
}

struct StepRow {
    percent: String,
    label: String,
    source: String,
}

struct Badge {
    mark: &'static str,
    class: &'static str,
    meaning: &'static str,
}

struct AssumptionRow {
    name: String,
    value: String,
    origin: String,
    note: String,
}

struct PricebookRow {
    id: String,
    name: String,
    origin: String,
    hash: String,
}

struct SourceRow {
    number: usize,
    segments: Vec<Segment>,
}

/// A piece of a citation: plain text, or a web address shown as a link (never loaded).
enum Segment {
    Text(String),
    Link(String),
}

impl Segment {
    fn text(&self) -> &str {
        match self {
            Segment::Text(t) | Segment::Link(t) => t,
        }
    }

    fn is_link(&self) -> bool {
        matches!(self, Segment::Link(_))
    }
}

impl View {
    fn new(q: &Quote) -> View {
        let mut sources: Vec<String> = Vec::new();
        let scenarios: Vec<ScenarioView> = q
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| scenario_view(q, i, s, &mut sources))
            .collect();
        let best = q.ranking.iter().find(|r| r.compliant).map(|r| r.total);
        // One scale for every row's error bar, in ranking order.
        let ranged: Vec<Option<&crate::quote::ScenarioQuote>> = q
            .ranking
            .iter()
            .map(|r| q.scenarios.iter().find(|s| s.name == r.scenario))
            .collect();
        let bands: Vec<(Decimal, Decimal, Decimal, Decimal)> = ranged
            .iter()
            .flatten()
            .filter_map(|s| {
                let r = s.range.as_ref()?;
                Some((r.total.p10, r.total.p50, r.total.p90, s.total))
            })
            .collect();
        let mut bars = chart::error_bars(&bands).into_iter();
        let ranges: Vec<Option<RangeCell>> = ranged
            .iter()
            .map(|s| {
                let r = s.and_then(|s| s.range.as_ref())?;
                Some(RangeCell {
                    bar: bars.next()?,
                    width: chart::ERROR_BAR_W,
                    text: format!("{} – {}", grouped(r.total.p10), grouped(r.total.p90)),
                    cheapest: format!(
                        "{} %",
                        crate::money::plain_text((r.p_cheapest * Decimal::ONE_HUNDRED).round_dp(1))
                    ),
                    p10_plain: money_text(r.total.p10),
                    p50_plain: money_text(r.total.p50),
                    p90_plain: money_text(r.total.p90),
                })
            })
            .collect();
        let mut ranges = ranges.into_iter();
        let ranking = q
            .ranking
            .iter()
            .map(|r| {
                let index = q.scenarios.iter().position(|s| s.name == r.scenario);
                let s = index.and_then(|i| q.scenarios.get(i));
                let problems = s.map_or(0, |s| s.problems.len());
                let vs_best = match best {
                    Some(b) if r.compliant && r.total != b => format!("+{}", grouped(r.total - b)),
                    Some(_) if r.compliant => "best".to_owned(),
                    _ => "—".to_owned(),
                };
                RankRow {
                    rank: r.rank,
                    name: r.scenario.clone(),
                    anchor: anchor(index.unwrap_or(0)),
                    colour: colour(index.unwrap_or(0)),
                    compliant: r.compliant,
                    problems: plural(problems, "problem"),
                    total: grouped(r.total),
                    total_plain: money_text(r.total),
                    vs_best,
                    npv: s.map_or(String::new(), |s| grouped(s.npv)),
                    per_vm: s
                        .and_then(|s| s.cost_per_vm_year)
                        .map_or("—".to_owned(), grouped),
                    bought: s
                        .filter(|s| s.purchase_date != q.purchase_date)
                        .map_or(String::new(), |s| s.purchase_date.to_string()),
                    range: ranges.next().flatten(),
                }
            })
            .collect();
        let best = q.ranking.iter().find(|r| r.compliant).and_then(|r| {
            let i = q.scenarios.iter().position(|s| s.name == r.scenario)?;
            let s = q.scenarios.get(i)?;
            Some(Best {
                name: s.name.clone(),
                anchor: anchor(i),
                total: grouped(s.total),
                npv: grouped(s.npv),
            })
        });
        let discount_rate = q
            .assumptions
            .iter()
            .find(|a| a.name == "costs.discount_rate")
            .map_or("0".to_owned(), |a| a.value.clone());
        View {
            estate: q.estate.clone(),
            currency: q.currency.clone(),
            purchase_date: q.purchase_date.to_string(),
            years: q.years,
            engine: q.engine.clone(),
            notes: q.notes.iter().map(|n| segments(n)).collect(),
            best,
            ranking,
            draws: q
                .draws
                .map(|d| crate::money::grouped_int(u64::from(d.draws))),
            yearly: yearly_chart(q),
            cumulative: cumulative_chart(q),
            scenarios,
            assumptions: q
                .assumptions
                .iter()
                .map(|a| AssumptionRow {
                    name: a.name.clone(),
                    value: a.value.clone(),
                    origin: a.origin.clone(),
                    note: a.note.clone(),
                })
                .collect(),
            pricebooks: q
                .pricebooks
                .iter()
                .map(|p| PricebookRow {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    origin: p.origin.clone(),
                    hash: p.hash.clone(),
                })
                .collect(),
            sources: sources
                .iter()
                .enumerate()
                .map(|(i, s)| SourceRow {
                    number: i + 1,
                    segments: segments(s),
                })
                .collect(),
            discount_rate,
        }
    }

    fn horizon(&self) -> String {
        plural(self.years as usize, "year")
    }

    fn legend(&self) -> &[ScenarioView] {
        &self.scenarios
    }
}

fn anchor(index: usize) -> String {
    format!("scenario-{}", index + 1)
}

fn colour(index: usize) -> &'static str {
    COLOURS
        .get(index % COLOURS.len())
        .copied()
        .unwrap_or("#000")
}

/// `n word(s)`, by the one plural rule ([`crate::pricebook::Plural`]).
fn plural(n: usize, word: &str) -> String {
    crate::pricebook::Plural(n as u64, word).to_string()
}

fn badge(c: Confidence) -> Badge {
    let (class, meaning) = match c {
        Confidence::P => (
            "conf-p",
            "P: primary source, or several independent sources agree",
        ),
        Confidence::S => ("conf-s", "S: a single reputable secondary source"),
        Confidence::W => ("conf-w", "W: a weak source, a default to override"),
        Confidence::C => ("conf-c", "C: sources conflict"),
        Confidence::Unverified => (
            "conf-unverified",
            "UNVERIFIED: commonly quoted but not found in any source",
        ),
        Confidence::Estate => ("conf-estate", "ESTATE: the estate's own figure"),
    };
    Badge {
        mark: c.mark(),
        class,
        meaning,
    }
}

/// A line's citation as the sources list shows it: the source, then its note.
fn source_text(l: &Line) -> String {
    l.source.text()
}

/// Splits a citation into text and `http(s)://` addresses (an address ends at white space or
/// a closing bracket or quote; trailing punctuation stays text).
fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_address(rest) {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\''))
            .unwrap_or(from.len());
        let mut address = &from[..end];
        while address.ends_with(['.', ',', ';', ':']) {
            address = &address[..address.len() - 1];
        }
        if !before.is_empty() {
            out.push(Segment::Text(before.to_owned()));
        }
        out.push(Segment::Link(address.to_owned()));
        rest = &from[address.len()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest.to_owned()));
    }
    out
}

fn find_address(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn scenario_view(
    q: &Quote,
    index: usize,
    s: &ScenarioQuote,
    sources: &mut Vec<String>,
) -> ScenarioView {
    let mut groups: Vec<LineGroup> = Vec::new();
    for l in &s.lines {
        let text = source_text(l);
        let number = match sources.iter().position(|t| *t == text) {
            Some(i) => i + 1,
            None => {
                sources.push(text.clone());
                sources.len()
            }
        };
        let row = LineRow {
            due: l.due.map(|d| d.to_string()).unwrap_or_default(),
            cluster: if l.cluster == ALL_CLUSTERS {
                "all clusters".to_owned()
            } else {
                l.cluster.to_string()
            },
            kind: l.kind.word(),
            name: l.name.to_string(),
            item: l.item.to_string(),
            quantity: plain_text(l.quantity),
            unit_price: grouped_unit(l.unit_price),
            fx: l.fx.as_ref().map(|fx| {
                let date = fx.date.map_or(String::new(), |d| format!(", rate of {d}"));
                format!(
                    "{} {} × {}{date}",
                    grouped_unit(fx.unit_price),
                    fx.currency,
                    plain_text(fx.rate)
                )
            }),
            steps: l
                .discounts
                .iter()
                .map(|d| StepRow {
                    percent: if d.percent.is_sign_negative() {
                        format!("+{} %", plain_text(-d.percent))
                    } else {
                        format!("−{} %", plain_text(d.percent))
                    },
                    label: d.label.clone(),
                    source: d.source.clone(),
                })
                .collect(),
            amount: grouped(l.amount),
            rule: l.rule.0.clone(),
            source_number: number,
            source_text: text,
            badge: badge(l.source.confidence),
        };
        match groups.last_mut() {
            Some(g) if g.year == l.year => g.lines.push(row),
            _ => groups.push(LineGroup {
                year: l.year,
                total: s
                    .years
                    .iter()
                    .find(|y| y.year == l.year)
                    .map_or(String::new(), |y| grouped(y.total)),
                lines: vec![row],
            }),
        }
    }
    ScenarioView {
        index,
        name: s.name.clone(),
        anchor: anchor(index),
        colour: colour(index),
        compliant: s.compliant,
        status: if s.compliant {
            "compliant".to_owned()
        } else {
            format!("not compliant: {}", plural(s.problems.len(), "problem"))
        },
        purchase_date: s.purchase_date.to_string(),
        bought_differs: s.purchase_date != q.purchase_date,
        total: grouped(s.total),
        npv: grouped(s.npv),
        per_vm: s.cost_per_vm_year.map(grouped),
        has_vms: s.years.iter().any(|y| y.vms.is_some()),
        years: s
            .years
            .iter()
            .map(|y| YearRow {
                year: y.year,
                total: grouped(y.total),
                cumulative: grouped(y.cumulative),
                present_value: grouped(y.present_value),
                vms: y.vms.map_or(String::new(), |v| v.to_string()),
            })
            .collect(),
        problems: s
            .problems
            .iter()
            .map(|p| ProblemRow {
                cluster: p.cluster.clone(),
                code: serde_json::to_value(p.code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                message: p.message.clone(),
            })
            .collect(),
        notes: s.notes.iter().map(|n| segments(n)).collect(),
        doubtful: (s.doubtful_lines > 0).then(|| DoubtfulView {
            lines: s.doubtful_lines,
            of: s.lines.len(),
            items: s
                .doubtful
                .iter()
                .map(|d| DoubtfulRow {
                    item: d.item.clone(),
                    badge: badge(d.confidence),
                    lines: d.lines,
                    source: segments(&d.source),
                })
                .collect(),
        }),
        groups,
        line_count: s.lines.len(),
    }
}

impl ScenarioView {
    /// The legend swatch's marker, drawn in a 30 × 14 box.
    fn swatch_marker(&self) -> String {
        marker_path(self.index, Decimal::from(15), Decimal::from(7))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_split_into_text_and_addresses() {
        let s = segments("seed (https://a.example/x?y=1). See http://b.example/z, too");
        let parts: Vec<(bool, &str)> = s.iter().map(|s| (s.is_link(), s.text())).collect();
        assert_eq!(
            parts,
            [
                (false, "seed ("),
                (true, "https://a.example/x?y=1"),
                (false, "). See "),
                (true, "http://b.example/z"),
                (false, ", too"),
            ]
        );
        assert!(segments("MSVB:2009/x.md@1").iter().all(|s| !s.is_link()));
    }
}
