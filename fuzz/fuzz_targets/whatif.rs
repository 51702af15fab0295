//! Sweep and sensitivity plans with fuzzed fields, ranges, steps, scenarios and percentages on
//! the base estates; sequences of fuzzed points through the compiled evaluator; uncertainty
//! draws. Nothing panics; a few points of a sweep (first, middle, last) equal a direct quote
//! of the changed estate after a round trip through the estate writer and reader (so every
//! point is an estate the reader accepts); a few swings of a sensitivity equal a direct quote
//! of the whole estate with that input changed; every evaluated point equals the quote of its
//! changed estate and books, line by line where it took a kept plan; uncertainty's bands are
//! ordered and its shares add up; every result renders.
#![no_main]

use arbitrary::Arbitrary;
use hypercost_core::analysis::sensitivity::{InputKind, Options, sensitivity};
use hypercost_core::analysis::sweep::SweepPlan;
use hypercost_core::analysis::uncertainty::{self, Options as Draws};
use hypercost_core::estate::Field;
use hypercost_core::eval::{Evaluator, Var, prices_used};
use hypercost_core::{Estate, Quote, SourceFile, parse_estate, quote};
use hypercost_fuzz::{BOOKS, base_estate, check_quote, check_report, check_round_trip};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

#[derive(Arbitrary, Debug)]
enum Input {
    Sweep {
        base: u8,
        dims: Vec<Dim>,
    },
    Sensitivity {
        base: u8,
        scenario: Option<u8>,
        vs: Option<u8>,
        percent: Num,
    },
    Eval {
        base: u8,
        points: Vec<Vec<(u8, Num)>>,
    },
    Uncertainty {
        base: u8,
        draws: u8,
        seed: u64,
    },
}

#[derive(Arbitrary, Debug)]
struct Dim {
    field: FieldPick,
    from: Num,
    to: Num,
    step: Option<Num>,
}

/// A field the estate sets (by index), the horizon, or any text.
#[derive(Arbitrary, Debug)]
enum FieldPick {
    Set(u8),
    Years,
    Raw(String),
}

/// A number: whole, a decimal (mantissa and scale), or any text.
#[derive(Arbitrary, Debug)]
enum Num {
    Int(i64),
    Dec(i64, u8),
    Raw(String),
}

impl Num {
    fn text(&self) -> String {
        match self {
            Num::Int(n) => n.to_string(),
            Num::Dec(m, s) => Decimal::try_new(*m, u32::from(*s))
                .map(|d| d.to_string())
                .unwrap_or_default(),
            Num::Raw(s) => s.clone(),
        }
    }
}

impl Dim {
    fn spec(&self, estate: &Estate) -> String {
        let field = match &self.field {
            FieldPick::Set(n) => {
                let all = Field::all_set(estate);
                all.get(usize::from(*n) % all.len().max(1))
                    .map_or_else(|| "years".to_owned(), |f| f.name(estate))
            }
            FieldPick::Years => "years".to_owned(),
            FieldPick::Raw(s) => s.clone(),
        };
        let mut spec = format!("{field}={}..{}", self.from.text(), self.to.text());
        if let Some(step) = &self.step {
            spec.push(':');
            spec.push_str(&step.text());
        }
        spec
    }
}

fn base(pick: u8) -> Estate {
    let (name, text) = base_estate(pick);
    parse_estate(&SourceFile::new(name, text), &BOOKS).expect("a base estate is valid")
}

fn total_of(q: &Quote, name: &str) -> Decimal {
    q.scenarios
        .iter()
        .find(|s| s.name == name)
        .map_or(Decimal::ZERO, |s| s.total)
}

fn sweep(base_pick: u8, dims: &[Dim]) {
    let estate = base(base_pick);
    let specs: Vec<String> = dims.iter().take(3).map(|d| d.spec(&estate)).collect();
    let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
    let Ok(plan) = SweepPlan::new(&estate, &BOOKS, &specs) else {
        return;
    };
    let n = plan.len();
    assert!(n >= 1, "a plan has a point");
    let mut at = vec![0, n / 2, n - 1];
    at.dedup();
    // Every point in order when there are few (the evaluator moves from point to point).
    let mut sweeper = plan.sweeper(&BOOKS);
    if n <= 64 {
        for i in 0..n {
            let _ = sweeper.point(i);
        }
    }
    for i in at {
        let point = sweeper.point(i);
        let changed = plan.estate_at(i);
        // The point's estate is one the reader accepts, and quoting it directly agrees.
        let written = check_round_trip(&changed, &BOOKS);
        let direct = parse_estate(&SourceFile::new("point.toml", written), &BOOKS)
            .expect("checked by the round trip");
        let q = quote(&direct, &BOOKS);
        check_quote(&direct, &q);
        assert_eq!(point.totals.len(), q.scenarios.len());
        for (t, s) in point.totals.iter().zip(&q.scenarios) {
            assert_eq!(
                (t.scenario.as_str(), t.total, t.compliant),
                (s.name.as_str(), s.total, s.compliant)
            );
        }
    }
    if n <= 12 {
        check_report(&plan.run(&BOOKS));
    }
}

fn tornado(base_pick: u8, scenario: Option<u8>, vs: Option<u8>, percent: &Num) {
    let estate = base(base_pick);
    let name = |n: u8| {
        estate.scenarios[usize::from(n) % estate.scenarios.len()]
            .name
            .clone()
    };
    let options = Options {
        scenario: scenario.map(name),
        vs: vs.map(name),
        percent: percent.text().parse().unwrap_or(Decimal::TEN),
    };
    let Ok(s) = sensitivity(&estate, &BOOKS, &options) else {
        return;
    };
    let measure = |q: &Quote| {
        total_of(q, &s.scenario) - s.vs.as_ref().map_or(Decimal::ZERO, |v| total_of(q, v))
    };
    assert_eq!(s.base, measure(&quote(&estate, &BOOKS)), "the base measure");
    let estate_inputs = s.inputs.iter().filter(|w| {
        matches!(
            w.kind,
            InputKind::Count | InputKind::Cost | InputKind::Discount | InputKind::Fx
        )
    });
    for w in estate_inputs.take(3) {
        let field = Field::parse(&w.input, &estate, &BOOKS).expect("a swing names its field");
        for (value, total) in [(w.low, w.low_total), (w.high, w.high_total)] {
            let mut changed = estate.clone();
            let direct = match field.set(&mut changed, value) {
                Ok(()) => measure(&quote(&changed, &BOOKS)),
                Err(_) => s.base,
            };
            assert_eq!(total, direct, "{} at {value}", w.input);
        }
    }
    check_report(&s);
}

/// Points over the estate's fields and the prices its quote uses, each a fuzzed value, in
/// sequence through one evaluator: each equals the quote of its changed estate and books.
fn eval(base_pick: u8, points: &[Vec<(u8, Num)>]) {
    let estate = base(base_pick);
    let mut vars: Vec<Var> = Field::all_set(&estate).into_iter().map(Var::Field).collect();
    vars.extend(prices_used(&quote(&estate, &BOOKS), &BOOKS).into_iter().map(Var::Price));
    if vars.is_empty() {
        return;
    }
    let mut ev = Evaluator::new(&estate, &BOOKS);
    for p in points.iter().take(16) {
        let mut point: Vec<(Var, Decimal)> = Vec::new();
        for (pick, num) in p.iter().take(4) {
            let var = vars[usize::from(*pick) % vars.len()].clone();
            let Ok(value) = num.text().parse::<Decimal>() else { continue };
            if point.iter().any(|(v, _)| *v == var) || value.is_sign_negative() {
                continue;
            }
            point.push((var, value));
        }
        let changed = ev.changed(&point);
        let got = ev.evaluate(&point).cloned();
        let Ok((estate, books)) = changed else {
            assert!(got.is_err(), "a refused point is refused");
            continue;
        };
        let got = got.expect("a valid point evaluates");
        let q = quote(&estate, books.as_ref().unwrap_or(&BOOKS));
        for (k, (g, s)) in got.scenarios.iter().zip(&q.scenarios).enumerate() {
            assert_eq!((g.total, g.compliant), (s.total, s.compliant), "{}", s.name);
            assert_eq!(got.npv(k), Some(s.npv), "{} NPV", s.name);
        }
        if let Some(lines) = ev.lines_at(&point) {
            for (l, s) in lines.iter().zip(&q.scenarios) {
                let want: Vec<Decimal> = s.lines.iter().map(|l| l.amount).collect();
                assert_eq!(l, &want, "{} lines", s.name);
            }
        }
    }
}

/// A few uncertainty draws: ordered bands, shares that add up, a result that renders.
fn draws(base_pick: u8, draws: u8, seed: u64) {
    let estate = base(base_pick);
    let options = Draws {
        draws: u32::from(draws % 40) + 1,
        seed,
    };
    let Ok(r) = uncertainty::uncertainty(&estate, &BOOKS, options) else {
        return;
    };
    let mut cheapest = 0;
    for s in &r.scenarios {
        let b = s.range.total;
        assert!(b.p10 <= b.p50 && b.p50 <= b.p90, "{}", s.name);
        cheapest += s.range.cheapest_draws;
    }
    if r.scenarios.iter().any(|s| s.compliant) {
        assert_eq!(cheapest, r.draws, "one cheapest per draw");
    }
    check_report(&r);
}

fuzz_target!(|input: Input| match input {
    Input::Eval { base, points } => eval(base, &points),
    Input::Uncertainty { base, draws: n, seed } => draws(base, n, seed),
    Input::Sweep { base, dims } => sweep(base, &dims),
    Input::Sensitivity {
        base,
        scenario,
        vs,
        percent,
    } => tornado(base, scenario, vs, &percent),
});
