//! The report's two charts as SVG geometry: per-year grouped bars and cumulative lines, on
//! round scales. Every coordinate is computed in `Decimal` from the quote's figures (never in
//! floats) and printed with one decimal; the `charts.html` template draws them.

use rust_decimal::Decimal;

use super::colour;
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
    pub(super) id: &'static str,
    pub(super) title: String,
    pub(super) desc: String,
    pub(super) axis_title: String,
    pub(super) ticks: Vec<Tick>,
    pub(super) x_labels: Vec<Tick>,
    /// The zero line (differs from the bottom only when a figure is negative).
    pub(super) zero_y: String,
    pub(super) bars: Vec<Bar>,
    pub(super) series: Vec<Series>,
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

pub(super) fn cumulative_chart(q: &Quote) -> Chart {
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

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(d("40000")), "40,000");
        assert_eq!(tick_label(d("1250000")), "1.25M");
        assert_eq!(tick_label(d("3000000000")), "3B");
        assert_eq!(tick_label(d("0.5")), "0.50");
    }
}
