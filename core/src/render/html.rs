//! HTML: the report as one self-contained page — inline CSS, inline SVG charts, no script and
//! no network — readable on screen and in print, from the same [`Quote`] as every format.
//!
//! The markup lives in askama templates under `core/templates/` (compiled into the crate, HTML
//! escaping on): `report.html` is the page shell, `report.css` its style, and each part of the
//! page has its own template so a page that lays the parts out itself (the browser calculator)
//! can reuse them through [`parts`] and [`STYLE`]. Chart geometry is computed here in `Decimal`
//! from the quote's figures, never in floats.

use askama::Template;
use rust_decimal::Decimal;

use crate::money::{grouped, grouped_unit, money_text, plain_text};
use crate::pricebook::Confidence;
use crate::quote::{ALL_CLUSTERS, Line, Quote, ScenarioQuote};

/// The report's style sheet (`core/templates/report.css`): every class the parts use, with the
/// print rules (no dark backgrounds, a page per scenario, rows never split).
pub const STYLE: &str = include_str!("../../templates/report.css");

/// The report in pieces, each an HTML fragment styled by [`STYLE`], for a page that places
/// them itself. [`document`] is these parts, in this order, in one page.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// The total as the JSON writes it (`58020.00`), in a `data-total` attribute so a page or
    /// a test reads the exact figure without parsing grouped text.
    total_plain: String,
    vs_best: String,
    npv: String,
    per_vm: String,
    bought: String,
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
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
    match &l.source.note {
        Some(note) => format!("{} — {note}", l.source.source),
        None => l.source.source.clone(),
    }
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
            cluster: if l.cluster == ALL_CLUSTERS {
                "all clusters".to_owned()
            } else {
                l.cluster.clone()
            },
            kind: l.kind.word(),
            name: l.name.clone(),
            item: l.item.clone(),
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

// ---------------------------------------------------------------------------------------------
// Charts: geometry in Decimal, printed with one decimal

/// The drawing area of both charts, in SVG user units.
const CHART_W: i64 = 600;
const CHART_H: i64 = 320;
const PLOT_LEFT: i64 = 100;
const PLOT_RIGHT: i64 = 584;
const PLOT_TOP: i64 = 16;
const PLOT_BOTTOM: i64 = 262;

struct Chart {
    id: &'static str,
    title: String,
    desc: String,
    axis_title: String,
    ticks: Vec<Tick>,
    x_labels: Vec<Tick>,
    /// The zero line (differs from the bottom only when a figure is negative).
    zero_y: String,
    bars: Vec<Bar>,
    series: Vec<Series>,
}

struct Tick {
    /// Position along the axis (y for value ticks, x for year labels).
    at: String,
    label: String,
}

struct Bar {
    x: String,
    y: String,
    width: String,
    height: String,
    colour: &'static str,
    compliant: bool,
    title: String,
}

struct Series {
    colour: &'static str,
    compliant: bool,
    points: String,
    markers: Vec<Marker>,
}

struct Marker {
    path: String,
    title: String,
}

impl Chart {
    fn width(&self) -> i64 {
        CHART_W
    }

    fn height(&self) -> i64 {
        CHART_H
    }

    fn plot_left(&self) -> i64 {
        PLOT_LEFT
    }

    fn plot_right(&self) -> i64 {
        PLOT_RIGHT
    }

    fn plot_top(&self) -> i64 {
        PLOT_TOP
    }

    fn plot_bottom(&self) -> i64 {
        PLOT_BOTTOM
    }

    fn x_title_y(&self) -> i64 {
        CHART_H - 10
    }

    fn y_title_x(&self) -> i64 {
        14
    }

    fn y_title_y(&self) -> i64 {
        (PLOT_TOP + PLOT_BOTTOM) / 2
    }

    fn tick_label_x(&self) -> i64 {
        PLOT_LEFT - 8
    }

    fn x_label_y(&self) -> i64 {
        PLOT_BOTTOM + 18
    }
}

/// A figure as the charts draw it: within ±10^24, so the geometry never overflows `Decimal`
/// (no estate costs that much; the tables and tooltips still show the figure itself).
fn chartable(v: Decimal) -> Decimal {
    let limit = Decimal::from_i128_with_scale(1_000_000_000_000_000_000_000_000, 0);
    v.clamp(-limit, limit)
}

/// Coordinates are printed with one decimal: plenty for a screen or a page.
fn coord(d: Decimal) -> String {
    plain_text(d.round_dp(1))
}

/// A vertical scale from `lo` to `hi` (`lo ≤ 0 ≤ hi`) on round steps.
struct Scale {
    lo: Decimal,
    hi: Decimal,
    step: Decimal,
}

impl Scale {
    fn new(values: impl IntoIterator<Item = Decimal>) -> Scale {
        let (mut min, mut max) = (Decimal::ZERO, Decimal::ZERO);
        for v in values {
            min = min.min(chartable(v));
            max = max.max(chartable(v));
        }
        let range = max - min;
        if range.is_zero() {
            return Scale {
                lo: Decimal::ZERO,
                hi: Decimal::ONE,
                step: Decimal::ONE,
            };
        }
        // Aim at about five steps of 1, 2 or 5 × a power of ten.
        let raw = range / Decimal::from(5);
        let ten = Decimal::TEN;
        let mut magnitude = Decimal::ONE;
        for _ in 0..40 {
            if magnitude * ten > raw {
                break;
            }
            magnitude *= ten;
        }
        for _ in 0..28 {
            if magnitude <= raw {
                break;
            }
            magnitude /= ten;
        }
        let step = [1, 2, 5, 10]
            .iter()
            .map(|m| Decimal::from(*m) * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(magnitude * ten);
        Scale {
            lo: (min / step).floor() * step,
            hi: (max / step).ceil() * step,
            step,
        }
    }

    /// The y coordinate of `v`.
    fn y(&self, v: Decimal) -> Decimal {
        let top = Decimal::from(PLOT_TOP);
        let height = Decimal::from(PLOT_BOTTOM - PLOT_TOP);
        top + (self.hi - chartable(v)) * height / (self.hi - self.lo)
    }

    fn ticks(&self) -> Vec<Tick> {
        let mut out = Vec::new();
        let mut v = self.lo;
        while v <= self.hi && out.len() < 30 {
            out.push(Tick {
                at: coord(self.y(v)),
                label: tick_label(v),
            });
            v += self.step;
        }
        out
    }
}

/// An axis value, short: `40,000`, `1.25M`, `0.5`.
fn tick_label(v: Decimal) -> String {
    let million = Decimal::from(1_000_000);
    let billion = Decimal::from(1_000_000_000);
    let abs = v.abs();
    if abs >= billion {
        format!("{}B", plain_text((v / billion).round_dp(2)))
    } else if abs >= million {
        format!("{}M", plain_text((v / million).round_dp(2)))
    } else {
        let text = grouped(v);
        text.strip_suffix(".00").map_or(text.clone(), str::to_owned)
    }
}

/// The x coordinate of the middle of year `i` (0-based) of `n`, and the width of a year.
fn year_slot(i: usize, n: usize) -> (Decimal, Decimal) {
    let width = Decimal::from(PLOT_RIGHT - PLOT_LEFT) / Decimal::from(n.max(1));
    let left = Decimal::from(PLOT_LEFT) + width * Decimal::from(i);
    (left + width / Decimal::TWO, width)
}

fn x_labels(q: &Quote) -> Vec<Tick> {
    let n = q.years as usize;
    (0..n)
        .map(|i| Tick {
            at: coord(year_slot(i, n).0),
            label: if n <= 8 {
                format!("Year {}", i + 1)
            } else {
                (i + 1).to_string()
            },
        })
        .collect()
}

fn yearly_chart(q: &Quote) -> Chart {
    let scale = Scale::new(
        q.scenarios
            .iter()
            .flat_map(|s| s.years.iter().map(|y| y.total)),
    );
    let n = q.years as usize;
    let count = Decimal::from(q.scenarios.len().max(1));
    let zero = scale.y(Decimal::ZERO);
    let mut bars = Vec::new();
    for (j, s) in q.scenarios.iter().enumerate() {
        for y in &s.years {
            let i = (y.year as usize).saturating_sub(1);
            let (middle, width) = year_slot(i, n);
            let inner = width * Decimal::new(8, 1);
            let bar = inner / count;
            let x = middle - inner / Decimal::TWO + bar * Decimal::from(j);
            let top = scale.y(y.total);
            let (y0, mut h) = if top <= zero {
                (top, zero - top)
            } else {
                (zero, top - zero)
            };
            let mut y0 = y0;
            if h < Decimal::ONE {
                // A zero year still shows a hairline, so the scenario is visibly there.
                y0 = zero - Decimal::ONE;
                h = Decimal::ONE;
            }
            bars.push(Bar {
                x: coord(x + Decimal::new(5, 1)),
                y: coord(y0),
                width: coord((bar - Decimal::ONE).max(Decimal::ONE)),
                height: coord(h),
                colour: colour(j),
                compliant: s.compliant,
                title: format!(
                    "{} — year {}: {} {}",
                    s.name,
                    y.year,
                    grouped(y.total),
                    q.currency
                ),
            });
        }
    }
    Chart {
        id: "chart-yearly",
        title: format!("Cost per year ({})", q.currency),
        desc: format!(
            "Grouped bars: for each of the {} years, one bar per scenario with that year's total \
             in {}. Pale bars are scenarios that are not compliant. The figures are in each \
             scenario's years table.",
            q.years, q.currency
        ),
        axis_title: format!("{} per year", q.currency),
        ticks: scale.ticks(),
        x_labels: x_labels(q),
        zero_y: coord(zero),
        bars,
        series: Vec::new(),
    }
}

fn cumulative_chart(q: &Quote) -> Chart {
    let scale = Scale::new(
        q.scenarios
            .iter()
            .flat_map(|s| s.years.iter().map(|y| y.cumulative)),
    );
    let n = q.years as usize;
    let series = q
        .scenarios
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let mut points = Vec::new();
            let mut markers = Vec::new();
            for y in &s.years {
                let i = (y.year as usize).saturating_sub(1);
                let x = year_slot(i, n).0;
                let yy = scale.y(y.cumulative);
                points.push(format!("{},{}", coord(x), coord(yy)));
                markers.push(Marker {
                    path: marker_path(j, x, yy),
                    title: format!(
                        "{} — by the end of year {}: {} {}",
                        s.name,
                        y.year,
                        grouped(y.cumulative),
                        q.currency
                    ),
                });
            }
            Series {
                colour: colour(j),
                compliant: s.compliant,
                points: points.join(" "),
                markers,
            }
        })
        .collect();
    Chart {
        id: "chart-cumulative",
        title: format!("Cumulative cost ({})", q.currency),
        desc: format!(
            "Lines: for each scenario, the total spent from the purchase to the end of each of \
             the {} years, in {}. Dashed lines are scenarios that are not compliant. The figures \
             are in each scenario's years table.",
            q.years, q.currency
        ),
        axis_title: format!("{} cumulative", q.currency),
        ticks: scale.ticks(),
        x_labels: x_labels(q),
        zero_y: coord(scale.y(Decimal::ZERO)),
        bars: Vec::new(),
        series,
    }
}

/// The path of series `j`'s marker centred on (`x`, `y`): circle, square, triangle, diamond.
fn marker_path(j: usize, x: Decimal, y: Decimal) -> String {
    let r = Decimal::new(45, 1);
    match j % 4 {
        0 => format!(
            "M{} {}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z",
            coord(x - Decimal::from(4)),
            coord(y)
        ),
        1 => format!(
            "M{} {}h7v7h-7Z",
            coord(x - Decimal::new(35, 1)),
            coord(y - Decimal::new(35, 1))
        ),
        2 => format!("M{} {}l4.5 8h-9Z", coord(x), coord(y - r)),
        _ => format!("M{} {}l4.5 4.5l-4.5 4.5l-4.5 -4.5Z", coord(x), coord(y - r)),
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

    fn d(s: &str) -> Decimal {
        crate::money::parse_decimal(s).unwrap()
    }

    #[test]
    fn scales_on_round_steps() {
        let s = Scale::new([d("30060"), d("13980"), d("0")]);
        assert_eq!((s.lo, s.hi, s.step), (d("0"), d("40000"), d("10000")));
        let s = Scale::new([d("0.3")]);
        assert_eq!((s.lo, s.hi, s.step), (d("0"), d("0.3"), d("0.1")));
        let s = Scale::new([d("-120"), d("480")]);
        assert_eq!((s.lo, s.hi, s.step), (d("-200"), d("600"), d("200")));
        let s = Scale::new([Decimal::MAX, Decimal::MIN]);
        assert!(
            s.y(Decimal::MAX) < s.y(Decimal::MIN),
            "huge figures do not overflow"
        );
        let s = Scale::new([d("0")]);
        assert_eq!((s.lo, s.hi), (d("0"), d("1")));
        assert_eq!(s.y(d("0")), Decimal::from(PLOT_BOTTOM));
        assert_eq!(s.y(d("1")), Decimal::from(PLOT_TOP));
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(d("40000")), "40,000");
        assert_eq!(tick_label(d("1250000")), "1.25M");
        assert_eq!(tick_label(d("3000000000")), "3B");
        assert_eq!(tick_label(d("0.5")), "0.50");
    }

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
