//! The one formula tree: a line's quantity, unit price and adjustment factors as typed
//! expressions over typed inputs ([`Input`]), recorded by the engine beside each number.
//!
//! The tree is generic over its leaves so the same operations, exact evaluation and
//! spreadsheet text serve the engine's formulas over estate inputs and the workbook's formulas
//! over its own cells (`SUMIFS` over *Lines*, a row's amount): the workbook maps each input to
//! a named cell and prints the same tree. Evaluation is in exact `Decimal`, as the engine
//! computes; subtrees are shared (`Arc`), so the many lines that carry one formula clone it
//! cheaply.

use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::estate::{ClusterField, CostField};
use crate::money::{plain_text, round_line};

/// An expression over inputs of type `I`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr<I = Input> {
    /// A number.
    Num(Decimal),
    /// An input.
    Input(I),
    /// `a + b`.
    Add(Arc<Expr<I>>, Arc<Expr<I>>),
    /// `a − b`.
    Sub(Arc<Expr<I>>, Arc<Expr<I>>),
    /// `a × b`.
    Mul(Arc<Expr<I>>, Arc<Expr<I>>),
    /// `a ÷ b`.
    Div(Arc<Expr<I>>, Arc<Expr<I>>),
    /// Division rounded up: `ceil(a / b)`.
    CeilDiv(Arc<Expr<I>>, Arc<Expr<I>>),
    /// The larger of two.
    Max(Arc<Expr<I>>, Arc<Expr<I>>),
    /// `a` to a whole power.
    Pow(Arc<Expr<I>>, u32),
    /// Rounded to cents, half away from zero: the engine's one rounding ([`round_line`]).
    Round2(Arc<Expr<I>>),
}

impl<I> Expr<I> {
    /// A number.
    pub fn num(d: impl Into<Decimal>) -> Expr<I> {
        Expr::Num(d.into())
    }

    /// An input.
    pub fn input(i: I) -> Expr<I> {
        Expr::Input(i)
    }

    /// `a` to the power `n`.
    pub fn pow(a: Expr<I>, n: u32) -> Expr<I> {
        Expr::Pow(Arc::new(a), n)
    }

    /// Rounded to cents.
    pub fn round2(a: Expr<I>) -> Expr<I> {
        Expr::Round2(Arc::new(a))
    }

    /// `max(a, b)`.
    pub fn max(a: Expr<I>, b: Expr<I>) -> Expr<I> {
        Expr::Max(Arc::new(a), Arc::new(b))
    }

    /// `a × b`, leaving out a factor of 1 (so a count's formula reads as its rule does).
    pub fn times(a: Expr<I>, b: Expr<I>) -> Expr<I> {
        match (a, b) {
            (x, b) if b.is_one() => x,
            (a, x) if a.is_one() => x,
            (a, b) => a * b,
        }
    }

    /// `ceil(a / b)`, leaving out a division by 1.
    pub fn ceil_div(a: Expr<I>, b: Expr<I>) -> Expr<I> {
        if b.is_one() {
            a
        } else {
            Expr::CeilDiv(Arc::new(a), Arc::new(b))
        }
    }

    /// The product of the terms, left to right; `None` without terms.
    pub fn product(terms: impl IntoIterator<Item = Expr<I>>) -> Option<Expr<I>> {
        terms.into_iter().reduce(|a, b| a * b)
    }

    fn is_one(&self) -> bool {
        matches!(self, Expr::Num(n) if *n == Decimal::ONE)
    }

    /// The value with each input given by `value`, computed as the engine computes it;
    /// `None` when an input is missing, on overflow or on division by zero.
    pub fn eval(&self, value: &dyn Fn(&I) -> Option<Decimal>) -> Option<Decimal> {
        match self {
            Expr::Num(d) => Some(*d),
            Expr::Input(i) => value(i),
            Expr::Add(a, b) => a.eval(value)?.checked_add(b.eval(value)?),
            Expr::Sub(a, b) => a.eval(value)?.checked_sub(b.eval(value)?),
            Expr::Mul(a, b) => a.eval(value)?.checked_mul(b.eval(value)?),
            Expr::Div(a, b) => a.eval(value)?.checked_div(b.eval(value)?),
            Expr::CeilDiv(a, b) => Some(a.eval(value)?.checked_div(b.eval(value)?)?.ceil()),
            Expr::Max(a, b) => Some(a.eval(value)?.max(b.eval(value)?)),
            Expr::Pow(a, n) => {
                let base = a.eval(value)?;
                (0..*n).try_fold(Decimal::ONE, |f, _| f.checked_mul(base))
            }
            Expr::Round2(a) => Some(round_line(a.eval(value)?)),
        }
    }

    /// The same tree with each input replaced by `f`'s; `None` when `f` gives none for one.
    pub fn try_map<J>(&self, f: &mut dyn FnMut(&I) -> Option<J>) -> Option<Expr<J>> {
        let two = |a: &Expr<I>, b: &Expr<I>, f: &mut dyn FnMut(&I) -> Option<J>| {
            Some((Arc::new(a.try_map(f)?), Arc::new(b.try_map(f)?)))
        };
        Some(match self {
            Expr::Num(d) => Expr::Num(*d),
            Expr::Input(i) => Expr::Input(f(i)?),
            Expr::Add(a, b) => two(a, b, f).map(|(a, b)| Expr::Add(a, b))?,
            Expr::Sub(a, b) => two(a, b, f).map(|(a, b)| Expr::Sub(a, b))?,
            Expr::Mul(a, b) => two(a, b, f).map(|(a, b)| Expr::Mul(a, b))?,
            Expr::Div(a, b) => two(a, b, f).map(|(a, b)| Expr::Div(a, b))?,
            Expr::CeilDiv(a, b) => two(a, b, f).map(|(a, b)| Expr::CeilDiv(a, b))?,
            Expr::Max(a, b) => two(a, b, f).map(|(a, b)| Expr::Max(a, b))?,
            Expr::Pow(a, n) => Expr::Pow(Arc::new(a.try_map(f)?), *n),
            Expr::Round2(a) => Expr::Round2(Arc::new(a.try_map(f)?)),
        })
    }

    /// Every input the formula uses, in order of first use.
    pub fn inputs(&self) -> Vec<&I>
    where
        I: PartialEq,
    {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a I>)
    where
        I: PartialEq,
    {
        match self {
            Expr::Num(_) => {}
            Expr::Input(i) => {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Mul(a, b)
            | Expr::Div(a, b)
            | Expr::CeilDiv(a, b)
            | Expr::Max(a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Pow(a, _) | Expr::Round2(a) => a.collect(out),
        }
    }

    /// How tightly the node binds when printed: sums 1, products 2, powers 3, the rest 4.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Num(d) if d.is_sign_negative() => 0,
            Expr::Add(..) | Expr::Sub(..) => 1,
            Expr::Mul(..) | Expr::Div(..) => 2,
            Expr::Pow(..) => 3,
            _ => 4,
        }
    }

    /// The formula in spreadsheet syntax (without the leading `=`), each input written by
    /// `name`: `hosts_prod*CEILING(cores_per_socket_prod/6,1)`. `CEILING(x,1)`, `MAX` and
    /// `ROUND` mean the same in Excel and LibreOffice. A product's right operand that is itself
    /// a product needs no parentheses (products of counts are exact).
    pub fn excel(&self, name: &dyn Fn(&I) -> String) -> String {
        let wrapped = |e: &Expr<I>, at_least: u8| {
            if e.precedence() >= at_least {
                e.excel(name)
            } else {
                format!("({})", e.excel(name))
            }
        };
        match self {
            Expr::Num(d) => plain_text(*d),
            Expr::Input(i) => name(i),
            Expr::Add(a, b) => format!("{}+{}", wrapped(a, 1), wrapped(b, 2)),
            Expr::Sub(a, b) => format!("{}-{}", wrapped(a, 1), wrapped(b, 2)),
            Expr::Mul(a, b) => match **b {
                Expr::Mul(..) => format!("{}*{}", wrapped(a, 2), b.excel(name)),
                _ => format!("{}*{}", wrapped(a, 2), wrapped(b, 3)),
            },
            Expr::Div(a, b) => format!("{}/{}", wrapped(a, 2), wrapped(b, 3)),
            Expr::CeilDiv(a, b) => format!("CEILING({}/{},1)", wrapped(a, 2), wrapped(b, 3)),
            Expr::Max(a, b) => format!("MAX({},{})", a.excel(name), b.excel(name)),
            Expr::Pow(a, n) => format!("{}^{n}", wrapped(a, 4)),
            Expr::Round2(a) => format!("ROUND({},2)", a.excel(name)),
        }
    }
}

/// `a + b`, `a − b`, `a × b` and `a ÷ b` build the tree (no arithmetic happens until
/// [`Expr::eval`]).
macro_rules! operator {
    ($trait:ident, $method:ident, $node:ident) => {
        impl<I> std::ops::$trait for Expr<I> {
            type Output = Expr<I>;
            fn $method(self, other: Expr<I>) -> Expr<I> {
                Expr::$node(Arc::new(self), Arc::new(other))
            }
        }
    };
}
operator!(Add, add, Add);
operator!(Sub, sub, Sub);
operator!(Mul, mul, Mul);
operator!(Div, div, Div);

/// In words, as the quote's JSON writes a quantity formula:
/// `hosts × sockets_per_host × ceil(cores_per_socket / 6)`.
impl<I: fmt::Display> fmt::Display for Expr<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wrapped = |e: &Expr<I>, at_least: u8| {
            if e.precedence() >= at_least {
                e.to_string()
            } else {
                format!("({e})")
            }
        };
        match self {
            Expr::Num(d) => f.write_str(&plain_text(*d)),
            Expr::Input(i) => write!(f, "{i}"),
            Expr::Add(a, b) => write!(f, "{} + {}", wrapped(a, 1), wrapped(b, 2)),
            Expr::Sub(a, b) => write!(f, "{} − {}", wrapped(a, 1), wrapped(b, 2)),
            Expr::Mul(a, b) => write!(f, "{} × {}", wrapped(a, 2), wrapped(b, 2)),
            Expr::Div(a, b) => write!(f, "{} / {}", wrapped(a, 2), wrapped(b, 3)),
            Expr::CeilDiv(a, b) => write!(f, "ceil({} / {})", wrapped(a, 2), wrapped(b, 3)),
            Expr::Max(a, b) => write!(f, "max({a}, {b})"),
            Expr::Pow(a, n) => write!(f, "{}^{n}", wrapped(a, 4)),
            Expr::Round2(a) => write!(f, "round({a}, 2)"),
        }
    }
}

impl<I: fmt::Display> serde::Serialize for Expr<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A number a line's formula reads: an estate input, or a pricebook figure with its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A field of an estate cluster (index into the estate's clusters, as in
    /// [`super::Inputs::clusters`]).
    Cluster {
        /// The cluster's index.
        cluster: usize,
        /// Which field.
        field: ClusterField,
    },
    /// A `[costs]` number (the value the engine used, default included).
    Cost(CostField),
    /// The negotiated discount off list for a vendor, a fraction (`[costs] vendor_discount`).
    Discount(String),
    /// The estate's exchange rate for a currency (`[costs] fx`).
    Fx(String),
    /// A unit price from a pricebook.
    Price(Arc<PriceRef>),
    /// A promotion's or surcharge's percent off list (negative for an uplift).
    Step {
        /// Which step (boxed: steps are rare leaves, and every `Expr` is as large as its
        /// largest input).
        origin: Box<StepOrigin>,
        /// Percent off.
        percent: Decimal,
    },
}

/// A pricebook unit price a line uses, in the book's currency, with the value used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceRef {
    /// Pricebook id.
    pub book: String,
    /// The priced item's id in the book: an edition, add-on, upgrade path or support plan.
    pub item: String,
    /// Which price of it.
    pub which: PriceKind,
    /// The unit price used (0 where the book gives none, a problem on the quote).
    pub value: Decimal,
    /// For a support plan priced as a rate of a list: the item whose list price it is a
    /// rate of, and the rate in percent (`value` = that list × rate ÷ 100).
    pub rate_of: Option<(String, Decimal)>,
}

/// Which of an item's prices a line uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceKind {
    /// The list price of an edition or add-on (on the book's default term, if any).
    List,
    /// The price of an edition or add-on on a term of this many years other than the
    /// default (`term_prices`).
    Term(u32),
    /// The price of an upgrade path.
    Upgrade,
    /// A support plan's price per unit per year (its rate × the item's list, or its price).
    Support,
}

/// Where an adjustment step on a line comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOrigin {
    /// A pricebook promotion.
    Promotion {
        /// Pricebook id.
        book: String,
        /// Promotion id.
        id: String,
    },
    /// The estate's negotiated discount for a vendor.
    Negotiated {
        /// The vendor.
        vendor: String,
    },
    /// A pricebook rule's surcharge or discount.
    Rule {
        /// Pricebook id.
        book: String,
        /// Rule id.
        rule: String,
    },
    /// The estate's yearly escalation, in a year of the horizon.
    Escalation {
        /// 1-based year.
        year: u32,
    },
}

impl Input {
    /// A field of cluster `cluster`.
    pub fn cluster(cluster: usize, field: ClusterField) -> Input {
        Input::Cluster { cluster, field }
    }

    /// The path of a cost input within `[costs]` (`pue`, `vendor_discount.vmware`,
    /// `fx.EUR`).
    pub fn cost_path(&self) -> Option<String> {
        match self {
            Input::Cost(f) => Some(f.key().to_owned()),
            Input::Discount(v) => Some(format!("vendor_discount.{v}")),
            Input::Fx(c) => Some(format!("fx.{c}")),
            _ => None,
        }
    }

    /// The name of the quote's cost input this is (`costs.fx.EUR`), for the estate's inputs.
    pub fn cost_name(&self) -> Option<String> {
        self.cost_path().map(|p| format!("costs.{p}"))
    }

    /// Where a cost input's value is cited from when the estate gives it.
    pub fn citation(&self) -> Option<String> {
        self.cost_path().map(|p| costs_citation(&p))
    }

    /// The cost input named `name` (`costs.vendor_discount.vmware`), the inverse of
    /// [`Input::cost_name`].
    pub fn of_cost_name(name: &str) -> Option<Input> {
        let field = name.strip_prefix("costs.")?;
        if let Some(f) = CostField::ALL.iter().find(|f| f.key() == field) {
            return Some(Input::Cost(*f));
        }
        match (
            field.strip_prefix("vendor_discount."),
            field.strip_prefix("fx."),
        ) {
            (Some(v), _) => Some(Input::Discount(v.to_owned())),
            (_, Some(c)) => Some(Input::Fx(c.to_owned())),
            _ => None,
        }
    }
}

/// The citation of figures the estate gives in `[costs]` (`estate [costs].pue`): the
/// one spelling the engine's lines and the workbook's sources share.
pub fn costs_citation(path: &str) -> String {
    format!("estate [costs].{path}")
}

/// The input's name in formulas: the estate field (`hosts`, `costs.vms_per_host`).
impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Cluster { field, .. } => f.write_str(field.key()),
            Input::Price(p) => write!(f, "price {}/{}", p.book, p.item),
            Input::Step { percent, .. } => write!(f, "{} %", plain_text(*percent)),
            cost => f.write_str(&cost.cost_name().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    /// Inputs named by text, for the operations' tests.
    fn eval(e: &Expr<&'static str>) -> Option<Decimal> {
        e.eval(&|i| match *i {
            "a" => Some(d("7")),
            "b" => Some(d("2")),
            "third" => Some(d("0.3333")),
            _ => None,
        })
    }

    fn a() -> Expr<&'static str> {
        Expr::input("a")
    }

    fn b() -> Expr<&'static str> {
        Expr::input("b")
    }

    #[test]
    fn each_operation_evaluates_exactly() {
        assert_eq!(eval(&Expr::num(d("1.5"))), Some(d("1.5")));
        assert_eq!(eval(&a()), Some(d("7")));
        assert_eq!(eval(&Expr::input("missing")), None);
        assert_eq!(eval(&(a() + Expr::num(d("0.1")))), Some(d("7.1")));
        assert_eq!(eval(&(b() - a())), Some(d("-5")));
        assert_eq!(eval(&(a() * Expr::num(d("0.15")))), Some(d("1.05")));
        assert_eq!(eval(&(a() / b())), Some(d("3.5")));
        assert_eq!(eval(&(a() / Expr::num(0))), None, "÷ 0");
        assert_eq!(eval(&Expr::ceil_div(a(), b())), Some(d("4")));
        assert_eq!(eval(&Expr::ceil_div(Expr::num(8), b())), Some(d("4")));
        assert_eq!(eval(&Expr::max(a(), b())), Some(d("7")));
        assert_eq!(eval(&Expr::max(b(), a())), Some(d("7")));
        assert_eq!(
            eval(&Expr::pow(Expr::num(1) + Expr::num(d("0.03")), 2)),
            Some(d("1.0609"))
        );
        assert_eq!(eval(&Expr::pow(a(), 0)), Some(Decimal::ONE));
        // Half away from zero, as the engine and spreadsheets round.
        assert_eq!(eval(&Expr::round2(Expr::num(d("2.345")))), Some(d("2.35")));
        assert_eq!(
            eval(&Expr::round2(Expr::num(d("-2.345")))),
            Some(d("-2.35"))
        );
        assert_eq!(
            eval(&Expr::round2(a() * Expr::input("third"))),
            Some(d("2.33"))
        );
        let huge = Expr::num(Decimal::MAX);
        assert_eq!(eval(&(huge.clone() * huge)), None, "overflow");
    }

    #[test]
    fn factors_of_one_are_left_out_and_products_fold_left() {
        assert_eq!(Expr::times(a(), Expr::num(1)), a());
        assert_eq!(Expr::times(Expr::num(1), b()), b());
        assert_eq!(Expr::ceil_div(a(), Expr::num(1)), a());
        assert_eq!(Expr::<&str>::product([]), None);
        let p = Expr::product([a(), b(), Expr::num(3)]).expect("terms");
        assert_eq!(eval(&p), Some(d("42")));
        assert_eq!(p.excel(&|i| (*i).to_owned()), "a*b*3");
        assert_eq!(p.inputs(), [&"a", &"b"]);
    }

    #[test]
    fn spreadsheet_and_words_agree_on_grouping() {
        let name = |i: &&str| format!("{i}_x");
        let sum = a() + b();
        let f = (Expr::num(1) - a()) * Expr::pow(sum.clone(), 2);
        assert_eq!(f.excel(&name), "(1-a_x)*(a_x+b_x)^2");
        let q = a() * (b() * Expr::ceil_div(a(), b() * b()));
        assert_eq!(q.excel(&name), "a_x*b_x*CEILING(a_x/(b_x*b_x),1)");
        assert_eq!(q.to_string(), "a × b × ceil(a / (b × b))");
        let r = Expr::round2(a() / Expr::max(a(), Expr::num(12)));
        assert_eq!(r.excel(&name), "ROUND(a_x/MAX(a_x,12),2)");
        assert_eq!((sum / b()).to_string(), "(a + b) / b");
    }

    #[test]
    fn cost_inputs_name_their_estate_field_and_back() {
        for input in [
            Input::Cost(CostField::KwhPrice),
            Input::Discount("vmware".into()),
            Input::Fx("EUR".into()),
        ] {
            let name = input.cost_name().expect("a cost input");
            assert_eq!(Input::of_cost_name(&name), Some(input));
        }
        assert_eq!(
            Input::Cost(CostField::VmsPerHost).to_string(),
            "costs.vms_per_host"
        );
        assert_eq!(Input::cluster(0, ClusterField::Hosts).to_string(), "hosts");
        assert_eq!(Input::of_cost_name("costs.nothing"), None);
        assert_eq!(Input::of_cost_name("hosts"), None);
    }
}
