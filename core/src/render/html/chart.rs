//! The report's charts as SVG geometry: per-year grouped bars and cumulative lines, and
//! `reshape`'s crossover lines, on round scales. Every coordinate is computed in `Decimal` from
//! the result's figures (never in floats) and printed with one decimal; the `chart` macro of
//! `charts.html` draws them.

use rust_decimal::Decimal;

use super::colour;
use crate::analysis::reshape::ClusterShapes;
use crate::money::{grouped, plain_text};
use crate::quote::Quote;

/// The drawing area of both charts, in SVG user units.
const CHART_W: i64 = 600;
const CHART_H: i64 = 320;
const PLOT_LEFT: i64 = 100;
const PLOT_RIGHT: i64 = 584;
const PLOT_TOP: i64 = 16;
const PLOT_BOTTOM: i64 = 262;

pub(super) struct Chart {
    /// Unique in the page: the `<title>` and `<desc>` that label the SVG are found by it.
    pub(super) id: String,
    pub(super) title: String,
    pub(super) desc: String,
    pub(super) axis_title: String,
    /// What the x axis counts.
    pub(super) x_title: String,
    pub(super) ticks: Vec<Tick>,
    pub(super) x_labels: Vec<Tick>,
    /// The zero line (differs from the bottom only when a figure is negative).
    pub(super) zero_y: String,
    pub(super) bars: Vec<Bar>,
    pub(super) series: Vec<Series>,
    /// Bands behind the series: each scenario's P10–P90 (`--ranges`).
    pub(super) fans: Vec<Fan>,
}

/// A band between two lines, filled pale in its scenario's colour.
pub(super) struct Fan {
    pub(super) colour: &'static str,
    pub(super) points: String,
    pub(super) title: String,
}

/// A total's range as a horizontal error bar in a row of the ranking: P10 to P90 on a scale
/// shared by every row, a tick at P50 and a dot at the quoted total.
pub(super) struct ErrorBar {
    pub(super) x10: String,
    pub(super) x50: String,
    pub(super) x90: String,
    pub(super) quoted: String,
}

/// The width of the ranking's error bars, in SVG user units.
pub(super) const ERROR_BAR_W: i64 = 120;

/// Error bars for `bands` (P10, P50, P90, quoted) on one scale from the lowest P10 to the
/// highest P90 (or quoted total), 4 units in from each end.
pub(super) fn error_bars(bands: &[(Decimal, Decimal, Decimal, Decimal)]) -> Vec<ErrorBar> {
    let lo = bands.iter().map(|b| b.0.min(b.3)).min().unwrap_or_default();
    let hi = bands.iter().map(|b| b.2.max(b.3)).max().unwrap_or_default();
    let span = hi - lo;
    let inner = Decimal::from(ERROR_BAR_W - 8);
    let x = |v: Decimal| {
        let at = if span.is_zero() {
            inner / Decimal::TWO
        } else {
            (v - lo) / span * inner
        };
        coord(at + Decimal::from(4))
    };
    bands
        .iter()
        .map(|b| ErrorBar {
            x10: x(b.0),
            x50: x(b.1),
            x90: x(b.2),
            quoted: x(b.3),
        })
        .collect()
}

pub(super) struct Tick {
    /// Position along the axis (y for value ticks, x for year labels).
    pub(super) at: String,
    pub(super) label: String,
}

pub(super) struct Bar {
    pub(super) x: String,
    pub(super) y: String,
    pub(super) width: String,
    pub(super) height: String,
    pub(super) colour: &'static str,
    pub(super) compliant: bool,
    pub(super) title: String,
}

pub(super) struct Series {
    pub(super) colour: &'static str,
    pub(super) compliant: bool,
    pub(super) points: String,
    pub(super) markers: Vec<Marker>,
}

pub(super) struct Marker {
    pub(super) path: String,
    pub(super) title: String,
}

impl Chart {
    pub(super) fn width(&self) -> i64 {
        CHART_W
    }

    pub(super) fn height(&self) -> i64 {
        CHART_H
    }

    pub(super) fn plot_left(&self) -> i64 {
        PLOT_LEFT
    }

    pub(super) fn plot_right(&self) -> i64 {
        PLOT_RIGHT
    }

    pub(super) fn plot_top(&self) -> i64 {
        PLOT_TOP
    }

    pub(super) fn plot_bottom(&self) -> i64 {
        PLOT_BOTTOM
    }

    pub(super) fn x_title_y(&self) -> i64 {
        CHART_H - 10
    }

    pub(super) fn y_title_x(&self) -> i64 {
        14
    }

    pub(super) fn y_title_y(&self) -> i64 {
        (PLOT_TOP + PLOT_BOTTOM) / 2
    }

    pub(super) fn tick_label_x(&self) -> i64 {
        PLOT_LEFT - 8
    }

    pub(super) fn x_label_y(&self) -> i64 {
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
pub(super) struct Scale {
    pub(super) lo: Decimal,
    pub(super) hi: Decimal,
    pub(super) step: Decimal,
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

/// The x coordinate of the middle of slot `i` (0-based) of `n` evenly spaced slots (years, or
/// core counts), and the width of a slot.
fn slot(i: usize, n: usize) -> (Decimal, Decimal) {
    let width = Decimal::from(PLOT_RIGHT - PLOT_LEFT) / Decimal::from(n.max(1));
    let left = Decimal::from(PLOT_LEFT) + width * Decimal::from(i);
    (left + width / Decimal::TWO, width)
}

fn x_labels(q: &Quote) -> Vec<Tick> {
    let n = q.years as usize;
    (0..n)
        .map(|i| Tick {
            at: coord(slot(i, n).0),
            label: if n <= 8 {
                format!("Year {}", i + 1)
            } else {
                (i + 1).to_string()
            },
        })
        .collect()
}

pub(super) fn yearly_chart(q: &Quote) -> Chart {
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
            let (middle, width) = slot(i, n);
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
        id: "chart-yearly".to_owned(),
        title: format!("Cost per year ({})", q.currency),
        desc: format!(
            "Grouped bars: for each of the {} years, one bar per scenario with that year's total \
             in {}. Pale bars are scenarios that are not compliant. The figures are in each \
             scenario's years table.",
            q.years, q.currency
        ),
        axis_title: format!("{} per year", q.currency),
        x_title: YEARS.to_owned(),
        ticks: scale.ticks(),
        x_labels: x_labels(q),
        zero_y: coord(zero),
        bars,
        series: Vec::new(),
        fans: Vec::new(),
    }
}

pub(super) fn cumulative_chart(q: &Quote) -> Chart {
    let bands = q
        .scenarios
        .iter()
        .filter_map(|s| s.range.as_ref())
        .flat_map(|r| r.cumulative.iter().flat_map(|b| [b.p10, b.p90]));
    let scale = Scale::new(
        q.scenarios
            .iter()
            .flat_map(|s| s.years.iter().map(|y| y.cumulative))
            .chain(bands),
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
                let x = slot(i, n).0;
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
    let fans = q
        .scenarios
        .iter()
        .enumerate()
        .filter_map(|(j, s)| {
            let r = s.range.as_ref()?;
            let at =
                |i: usize, v: Decimal| format!("{},{}", coord(slot(i, n).0), coord(scale.y(v)));
            let low = r.cumulative.iter().enumerate().map(|(i, b)| at(i, b.p10));
            let high = r
                .cumulative
                .iter()
                .enumerate()
                .rev()
                .map(|(i, b)| at(i, b.p90));
            let last = r.cumulative.last()?;
            Some(Fan {
                colour: colour(j),
                points: low.chain(high).collect::<Vec<_>>().join(" "),
                title: format!(
                    "{} — P10 to P90 of the cumulative cost; by the end: {} to {} {}",
                    s.name,
                    grouped(last.p10),
                    grouped(last.p90),
                    q.currency
                ),
            })
        })
        .collect();
    Chart {
        id: "chart-cumulative".to_owned(),
        title: format!("Cumulative cost ({})", q.currency),
        desc: format!(
            "Lines: for each scenario, the total spent from the purchase to the end of each of \
             the {} years, in {}. Dashed lines are scenarios that are not compliant. The figures \
             are in each scenario's years table.",
            q.years, q.currency
        ),
        axis_title: format!("{} cumulative", q.currency),
        x_title: YEARS.to_owned(),
        ticks: scale.ticks(),
        x_labels: x_labels(q),
        zero_y: coord(scale.y(Decimal::ZERO)),
        bars: Vec::new(),
        series,
        fans,
    }
}

/// The x axis of the quote's charts.
const YEARS: &str = "Year of the horizon";

/// At most this many x labels: more would overlap (three digits at 13 px on a 484-unit axis).
const MOST_X_LABELS: usize = 12;

/// One cluster's crossover chart: one line per edition through the cheapest total at each CPU
/// core count of the catalogue. The core counts are evenly spaced, not to scale: they run
/// from 8 to 192, so a linear axis would crowd the small ones together. A line breaks where no
/// shape with such CPUs complies with its edition. `id` is unique in the page.
pub(super) fn crossover_chart(id: String, c: &ClusterShapes, currency: &str) -> Chart {
    let counts = c.core_counts();
    let n = counts.len();
    let scale = Scale::new(
        c.crossover
            .iter()
            .flat_map(|e| e.points.iter().map(|p| p.total)),
    );
    let at = |cores: u32| counts.iter().position(|c| *c == cores);
    let mut series = Vec::new();
    for (j, e) in c.crossover.iter().enumerate() {
        // Contiguous runs of core counts: one polyline each, so a gap is not drawn over.
        let mut run: Option<(usize, Series)> = None;
        for p in &e.points {
            let Some(i) = at(p.cores_per_socket) else {
                continue;
            };
            let x = slot(i, n).0;
            let y = scale.y(p.total);
            let continues = run.as_ref().is_some_and(|(last, _)| *last + 1 == i);
            if !continues {
                series.extend(run.take().map(|(_, s)| s));
            }
            let (last, s) = run.get_or_insert_with(|| {
                (
                    i,
                    Series {
                        colour: colour(j),
                        compliant: true,
                        points: String::new(),
                        markers: Vec::new(),
                    },
                )
            });
            *last = i;
            if !s.points.is_empty() {
                s.points.push(' ');
            }
            s.points.push_str(&format!("{},{}", coord(x), coord(y)));
            s.markers.push(Marker {
                path: marker_path(j, x, y),
                title: format!(
                    "{} — {} cores per CPU: {} {}",
                    e.edition,
                    p.cores_per_socket,
                    grouped(p.total),
                    currency
                ),
            });
        }
        series.extend(run.map(|(_, s)| s));
    }
    let every = n.div_ceil(MOST_X_LABELS).max(1);
    Chart {
        id,
        title: format!(
            "Cheapest total by cores per CPU: {} ({currency})",
            c.cluster
        ),
        desc: crossover_summary(c, currency),
        axis_title: format!("{currency} total"),
        x_title: "Cores per CPU (evenly spaced, not to scale)".to_owned(),
        ticks: scale.ticks(),
        x_labels: counts
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, cores)| Tick {
                at: coord(slot(i, n).0),
                label: cores.to_string(),
            })
            .collect(),
        zero_y: coord(scale.y(Decimal::ZERO)),
        bars: Vec::new(),
        series,
        fans: Vec::new(),
    }
}

/// The crossover chart in words, for those who cannot see it: what the lines are, each
/// edition's cheapest core count, and where each pair of editions changes places.
pub(super) fn crossover_summary(c: &ClusterShapes, currency: &str) -> String {
    let counts = c.core_counts();
    let (Some(low), Some(high)) = (counts.first(), counts.last()) else {
        return format!(
            "No shape of the catalogue complies with any edition for cluster {}.",
            c.cluster
        );
    };
    let mut out = format!(
        "Lines: for each edition, the cheapest total in {currency} of the shapes whose CPUs \
         have each core count, from {low} to {high} cores per CPU."
    );
    for e in &c.crossover {
        match e.points.iter().min_by_key(|p| p.total) {
            Some(best) => out.push_str(&format!(
                " {} is cheapest with {} cores per CPU ({} {currency}).",
                e.edition,
                best.cores_per_socket,
                grouped(best.total)
            )),
            None => out.push_str(&format!(" No shape complies with {}.", e.edition)),
        }
    }
    for (k, a) in c.crossover.iter().enumerate() {
        for b in &c.crossover[k + 1..] {
            // Which is cheaper at each core count both have, equal counts skipped.
            let signs: Vec<(u32, std::cmp::Ordering)> = a
                .points
                .iter()
                .filter_map(|p| {
                    let q = b
                        .points
                        .iter()
                        .find(|q| q.cores_per_socket == p.cores_per_socket)?;
                    Some((p.cores_per_socket, p.total.cmp(&q.total)))
                })
                .filter(|(_, o)| o.is_ne())
                .collect();
            let Some((_, first)) = signs.first() else {
                continue;
            };
            let crossings: Vec<String> = signs
                .windows(2)
                .filter(|w| w[0].1 != w[1].1)
                .map(|w| format!("between {} and {} cores per CPU", w[0].0, w[1].0))
                .collect();
            let (cheap, dear) = if first.is_lt() { (a, b) } else { (b, a) };
            if crossings.is_empty() {
                out.push_str(&format!(
                    " {} costs less than {} at every core count both have.",
                    cheap.edition, dear.edition
                ));
            } else {
                out.push_str(&format!(
                    " {} and {} change places {}.",
                    a.edition,
                    b.edition,
                    crossings.join(", ")
                ));
            }
        }
    }
    out
}

/// The path of series `j`'s marker centred on (`x`, `y`): circle, square, triangle, diamond.
pub(super) fn marker_path(j: usize, x: Decimal, y: Decimal) -> String {
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

    /// Two editions that change places, one with a gap (no 16-core shape complies): two
    /// polylines for it, and the summary names the crossing.
    #[test]
    fn crossover_lines_break_at_gaps_and_the_summary_names_the_crossing() {
        use crate::analysis::reshape::{Crossover, CrossoverPoint};
        let line = |edition: &str, points: &[(u32, &str)]| Crossover {
            edition: edition.to_owned(),
            points: points
                .iter()
                .map(|(cores, total)| CrossoverPoint {
                    cores_per_socket: *cores,
                    total: d(total),
                })
                .collect(),
        };
        let c = ClusterShapes {
            cluster: "prod".into(),
            vms: 1,
            vcpus: 1,
            vm_ram_gb: d("1"),
            baseline: Vec::new(),
            options: Vec::new(),
            crossover: vec![
                line("a/per-core", &[(8, "100"), (16, "200"), (32, "400")]),
                line("b/per-socket", &[(8, "300"), (32, "250")]),
            ],
        };
        let chart = crossover_chart("x".into(), &c, "USD");
        assert_eq!(chart.series.len(), 3, "b's line breaks at 16 cores");
        assert_eq!(chart.series[2].markers.len(), 1);
        assert_eq!(
            chart.series[0].markers[1].title,
            "a/per-core — 16 cores per CPU: 200.00 USD"
        );
        let labels: Vec<&str> = chart.x_labels.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["8", "16", "32"]);
        assert!(
            chart.desc.contains(
                "a/per-core and b/per-socket change places between 8 and 32 cores per CPU."
            ),
            "{}",
            chart.desc
        );
        assert!(
            chart
                .desc
                .contains("b/per-socket is cheapest with 32 cores per CPU (250.00 USD).")
        );
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(d("40000")), "40,000");
        assert_eq!(tick_label(d("1250000")), "1.25M");
        assert_eq!(tick_label(d("3000000000")), "3B");
        assert_eq!(tick_label(d("0.5")), "0.50");
    }
}
