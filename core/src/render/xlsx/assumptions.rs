//! *Assumptions*: every input a formula reads, each in a named cell — the estate, each
//! cluster, the `[costs]` numbers, then the pricebook prices and discount steps the lines use
//! (registered as the lines' formulas first read them).

use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, Worksheet};

use super::formula::{Cell, a1, ident};
use super::sheet::Sheet;
use super::styles::{Styles, shown};
use super::{ASSUMPTIONS, Builder, Error, clip};
use crate::estate::{ClusterField, Kind, Origin};
use crate::money::plain_text;
use crate::quote::{Discount, Input, Line, PriceKind, PriceRef, StepKind};

/// One row of *Assumptions*.
pub(super) enum Row {
    Section(String),
    Input {
        label: String,
        name: Option<String>,
        value: Value,
        unit: String,
        origin: String,
        source: String,
        note: String,
    },
}

pub(super) enum Value {
    Number(Decimal, Kind, String),
    Text(String),
}

/// A unit price used by lines: the pricebook's own price and currency.
pub(super) struct PriceCell {
    pub(super) price: PriceRef,
    pub(super) label: String,
    pub(super) currency: String,
    pub(super) confidence: String,
    pub(super) source: String,
    pub(super) note: String,
    pub(super) defined: String,
}

impl PriceCell {
    /// `pricebook-id/item-id`.
    pub(super) fn item(&self) -> String {
        format!("{}/{}", self.price.book, self.price.item)
    }
}

/// A discount step (promotion, surcharge, or any step not tied to an estate input).
pub(super) struct StepCell {
    pub(super) kind: StepKind,
    pub(super) label: String,
    pub(super) percent: Decimal,
    pub(super) source: String,
    pub(super) until: String,
    pub(super) defined: String,
}

/// A cost input's label, unit and display: the declared field's
/// ([`crate::estate::FieldSpec`]), or for negotiated discounts and exchange rates the vendor's
/// or currency's.
pub(super) fn cost_label(input: &Input, currency: &str) -> (String, String, Kind) {
    match input {
        Input::Cost(f) => {
            let spec = f.spec();
            (spec.label.to_owned(), spec.unit_in(currency), spec.kind)
        }
        Input::Discount(v) => (
            format!("Negotiated discount, {v}"),
            "off list".into(),
            Kind::Fraction,
        ),
        Input::Fx(c) => (
            format!("Exchange rate, {c}"),
            format!("{currency} per 1 {c}"),
            Kind::Plain,
        ),
        other => (other.to_string(), String::new(), Kind::Plain),
    }
}

impl Builder<'_> {
    fn input_row(
        &mut self,
        base: Option<&str>,
        label: &str,
        value: Value,
        meta: [&str; 4],
    ) -> Option<String> {
        let name = base.map(|b| self.names.fresh(b));
        let [unit, origin, source, note] = meta;
        self.rows.push(Row::Input {
            label: label.to_owned(),
            name: name.clone(),
            value,
            unit: unit.to_owned(),
            origin: origin.to_owned(),
            source: source.to_owned(),
            note: note.to_owned(),
        });
        name
    }

    /// The estate, each cluster and every cost input, each in a named cell.
    pub(super) fn inputs(&mut self) {
        let q = self.q;
        self.rows.push(Row::Section("Estate".into()));
        let years = Decimal::from(q.years);
        self.input_row(
            Some("years"),
            "Horizon",
            Value::Number(years, Kind::Count, q.years.to_string()),
            [
                "years",
                "estate",
                "estate years",
                "one row per year on Summary: changing it adds or removes no rows",
            ],
        );
        self.input_row(
            None,
            "Purchase date",
            Value::Text(q.purchase_date.to_string()),
            [
                "",
                "estate",
                "estate purchase_date",
                "promotions, end of sale and dated rules follow it",
            ],
        );
        self.input_row(
            None,
            "Currency",
            Value::Text(q.currency.clone()),
            [
                "",
                "estate",
                "estate currency",
                "every amount on Lines and Summary",
            ],
        );
        for (i, c) in q.inputs.clusters.iter().enumerate() {
            self.rows.push(Row::Section(format!("Cluster {}", c.name)));
            let tag = match ident(&c.name) {
                t if t.is_empty() => format!("c{}", i + 1),
                t => t,
            };
            // The counts the formulas read, then RAM, shown but read only by the engine.
            let fields = [
                ClusterField::Hosts,
                ClusterField::SocketsPerHost,
                ClusterField::CoresPerSocket,
                ClusterField::Vms,
                ClusterField::WindowsVms,
                ClusterField::RamGbPerHost,
                ClusterField::VmRamGb,
            ];
            for field in fields {
                let Some(v) = c.get(field) else {
                    continue;
                };
                let spec = field.spec();
                let source = format!("estate cluster {}: {}", c.name, spec.key);
                let note = match field {
                    ClusterField::VmRamGb => {
                        "pooled memory entitlements count it (top-ups are values on Lines)"
                    }
                    _ => "",
                };
                // The sheet shows RAM per host as a count (`#,##0`); the declaration's kind
                // is plain.
                let kind = match field {
                    ClusterField::RamGbPerHost => Kind::Count,
                    _ => spec.kind,
                };
                let name = self.input_row(
                    Some(&format!("{}_{tag}", spec.key)),
                    spec.label,
                    Value::Number(v, kind, shown(v, kind, &q.currency)),
                    [spec.unit, "estate", &source, note],
                );
                if let Some(name) = name {
                    self.cluster_names.push(((i, field), Cell::new(name, v)));
                }
            }
        }
        if !q.inputs.costs.is_empty() {
            self.rows.push(Row::Section("Costs and rates".into()));
        }
        for c in &q.inputs.costs {
            let input = Input::of_cost_name(&c.name);
            let (label, unit, kind) = match &input {
                Some(i) => cost_label(i, &q.currency),
                None => (c.name.clone(), String::new(), Kind::Plain),
            };
            let path = input.as_ref().and_then(Input::cost_path);
            let note = q
                .assumptions
                .iter()
                .find(|a| a.name == c.name)
                .map(|a| a.note.clone())
                .unwrap_or_default();
            let source = match input.as_ref().and_then(Input::citation) {
                Some(cited) if c.origin == Origin::Estate.name() => cited,
                _ => "hypercost default".to_owned(),
            };
            let name = self.input_row(
                Some(&ident(path.as_deref().unwrap_or(&c.name))),
                &label,
                Value::Number(c.value, kind, shown(c.value, kind, &q.currency)),
                [&unit, &c.origin, &source, &note],
            );
            if let (Some(name), Some(input)) = (name, input) {
                self.cost_names.push((input, Cell::new(name, c.value)));
            }
        }
    }

    /// The named cell of an estate input, when the sheet has one.
    pub(super) fn estate_cell(&self, input: &Input) -> Option<Cell> {
        let found = match input {
            Input::Cluster { cluster, field } => self
                .cluster_names
                .iter()
                .find(|(k, _)| *k == (*cluster, *field))
                .map(|(_, c)| c),
            _ => self
                .cost_names
                .iter()
                .find(|(k, _)| k == input)
                .map(|(_, c)| c),
        };
        found.cloned()
    }

    /// The named unit price a line's price comes from, registered on first use.
    pub(super) fn price_cell(&mut self, l: &Line, price: &PriceRef) -> Cell {
        let currency = match &l.fx {
            Some(fx) => fx.currency.clone(),
            None => self.q.currency.clone(),
        };
        if let Some(p) = self
            .prices
            .iter()
            .find(|p| p.price == *price && p.currency == currency)
        {
            return Cell::new(p.defined.clone(), p.price.value);
        }
        let defined = self.names.fresh(&format!(
            "price_{}",
            ident(&format!("{}/{}", price.book, price.item))
        ));
        let mut note = l.source.note.as_deref().unwrap_or_default().to_owned();
        if price.which == PriceKind::Support
            && let Some((_, on)) = l.rule.0.split_once(" of ")
        {
            let on = format!("support on {on}");
            note = if note.is_empty() {
                on
            } else {
                format!("{on}; {note}")
            };
        }
        self.prices.push(PriceCell {
            price: price.clone(),
            label: l.name.to_string(),
            currency,
            confidence: l.source.confidence.mark().to_owned(),
            source: l.source.source.to_string(),
            note,
            defined: defined.clone(),
        });
        Cell::new(defined, price.value)
    }

    /// A named discount step, registered on first use.
    pub(super) fn step_cell(&mut self, d: &Discount) -> Cell {
        if let Some(s) = self
            .steps
            .iter()
            .find(|s| s.kind == d.kind && s.label == d.label && s.percent == d.percent)
        {
            return Cell::new(s.defined.clone(), s.percent);
        }
        let base = d.kind.word();
        let defined = self
            .names
            .fresh(&format!("{base}_{}", self.steps.len() + 1));
        self.steps.push(StepCell {
            kind: d.kind,
            label: d.label.clone(),
            percent: d.percent,
            source: d.source.clone(),
            until: d.valid_until.map(|u| u.to_string()).unwrap_or_default(),
            defined: defined.clone(),
        });
        Cell::new(defined, d.percent)
    }

    /// Prices and discount steps go below the estate's inputs.
    pub(super) fn price_and_step_rows(&mut self) {
        if !self.prices.is_empty() {
            self.rows.push(Row::Section(
                "Unit prices (pricebook list prices, per unit)".into(),
            ));
        }
        let prices = std::mem::take(&mut self.prices);
        for p in &prices {
            let kind = Kind::UnitPrice;
            self.rows.push(Row::Input {
                label: p.label.clone(),
                name: Some(p.defined.clone()),
                value: Value::Number(p.price.value, kind, shown(p.price.value, kind, &p.currency)),
                unit: format!("{} per unit", p.currency),
                origin: p.confidence.clone(),
                source: p.source.clone(),
                note: if p.note.is_empty() {
                    p.item()
                } else {
                    format!("{}; {}", p.item(), p.note)
                },
            });
        }
        self.prices = prices;
        if !self.steps.is_empty() {
            self.rows.push(Row::Section(
                "Discount steps (percent off list; negative = uplift)".into(),
            ));
        }
        for s in &self.steps {
            let until = if s.until.is_empty() {
                String::new()
            } else {
                format!("valid until {}", s.until)
            };
            self.rows.push(Row::Input {
                label: s.label.clone(),
                name: Some(s.defined.clone()),
                value: Value::Number(s.percent, Kind::Plain, plain_text(s.percent)),
                unit: "% off".into(),
                origin: format!("{:?}", s.kind).to_lowercase(),
                source: s.source.clone(),
                note: until,
            });
        }
    }

    pub(super) fn assumptions(&self, wb: &mut Workbook) -> Result<Worksheet, Error> {
        let st = &self.styles;
        let mut sh = Sheet::new(ASSUMPTIONS)?;
        sh.banner(
            0,
            "Assumptions: every input in a named cell; change a yellow cell and Lines and Summary follow",
            &st.title,
        )?;
        sh.banner(
            1,
            "Column B is the cell's defined name (Formulas › Name Manager); origin or confidence and source are beside each value.",
            &st.subtitle,
        )?;
        let header = ["Input", "Name", "Value", "Unit", "Origin", "Source", "Note"];
        sh.header(3, &header, &[2], st)?;
        let mut row = 4;
        for r in &self.rows {
            match r {
                Row::Section(title) => {
                    row += 1;
                    sh.ws
                        .write_string_with_format(row, 0, clip(title), &st.section)?;
                }
                Row::Input {
                    label,
                    name,
                    value,
                    unit,
                    origin,
                    source,
                    note,
                } => {
                    sh.wrap(row, 0, label, &st.wrap)?;
                    if let Some(n) = name {
                        sh.text(row, 1, n, &st.text)?;
                        wb.define_name(n, &format!("={ASSUMPTIONS}!{}", a1(row, 2, true)))?;
                    }
                    match value {
                        Value::Number(v, kind, shown) => {
                            let base = match kind {
                                Kind::Count => st.int.clone(),
                                Kind::Plain => st.general.clone(),
                                Kind::Fraction => st.percent.clone(),
                                Kind::Money => st.money.clone(),
                                Kind::UnitPrice => {
                                    st.unit_in(unit.split(' ').next().unwrap_or(&st.currency))
                                }
                            };
                            let f = if name.is_some() {
                                Styles::input(&base)
                            } else {
                                base
                            };
                            sh.number(row, 2, *v, shown, &f)?;
                        }
                        Value::Text(t) => sh.text(row, 2, t, &st.text)?,
                    }
                    sh.text(row, 3, unit, &st.text)?;
                    sh.text(row, 4, origin, &st.text)?;
                    sh.wrap(row, 5, source, &st.wrap)?;
                    sh.wrap(row, 6, note, &st.wrap)?;
                }
            }
            row += 1;
        }
        sh.ws.set_freeze_panes(4, 0)?;
        sh.ws.set_repeat_rows(3, 3)?;
        sh.cap(0, 40);
        sh.cap(5, 50);
        sh.cap(6, 60);
        sh.fit()
    }
}
