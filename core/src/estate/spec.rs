//! The one declaration of every numeric estate input: key, label, unit, kind, bounds, default
//! and meaning, written once in [`input_table!`] beside the struct that holds the values
//! (`Cluster`, `Costs` in `estate.rs`).
//!
//! Everything else is derived from it: the reader's checks and messages (`estate/parse.rs`),
//! the writer (`estate/write.rs`), the what-if [`super::Field`]s, the JSON Schema, the quote's
//! `inputs` and `assumptions`, the workbook's *Assumptions* labels and the web page's form. A
//! new `[costs]` number is one entry in `estate.rs` plus the engine code that uses it.
//!
//! The manner is rust-analyzer's `config_data!`: a `macro_rules!` table that generates the
//! struct fields, an enum of the fields, and a `static` array of [`FieldSpec`]s indexed by it,
//! so nothing can be declared in one place and forgotten in another.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::money::plain_text;

/// How a number reads and shows: it decides the unit text and the display in every output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Whole things: hosts, VMs, years.
    Count,
    /// A physical quantity or ratio shown as written: W, GB, PUE, hours.
    Plain,
    /// A fraction shown as a percentage: `0.08` is 8 %.
    Fraction,
    /// An amount of the estate's currency, shown with cents.
    Money,
    /// A price of the estate's currency per small unit (per kWh), shown with all its digits.
    UnitPrice,
}

/// The values a field accepts: `low ..= high`, either end possibly open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Lowest value.
    pub low: Decimal,
    /// `low` itself is not allowed (`vm_ram_gb > 0`).
    pub low_open: bool,
    /// Highest value, if any.
    pub high: Option<Decimal>,
    /// `high` itself is not allowed (a discount is below 1).
    pub high_open: bool,
    /// Whole numbers only.
    pub integer: bool,
}

/// A whole number as a `Decimal`, in a `const` context.
const fn whole(n: u32) -> Decimal {
    Decimal::from_parts(n, 0, 0, false, 0)
}

impl Bounds {
    /// `low ..= high`.
    pub const fn range(low: u32, high: u32) -> Bounds {
        Bounds {
            low: whole(low),
            low_open: false,
            high: Some(whole(high)),
            high_open: false,
            integer: false,
        }
    }

    /// `low` or more, no upper end.
    pub const fn at_least(low: u32) -> Bounds {
        Bounds {
            high: None,
            ..Bounds::range(low, 0)
        }
    }

    /// The same range, whole numbers only.
    pub const fn whole(self) -> Bounds {
        Bounds {
            integer: true,
            ..self
        }
    }

    /// The same range with `low` excluded.
    pub const fn above_low(self) -> Bounds {
        Bounds {
            low_open: true,
            ..self
        }
    }

    /// The same range with `high` excluded.
    pub const fn below_high(self) -> Bounds {
        Bounds {
            high_open: true,
            ..self
        }
    }

    /// True when `value` is allowed.
    pub fn contains(&self, value: Decimal) -> bool {
        let above_low = if self.low_open {
            value > self.low
        } else {
            value >= self.low
        };
        let below_high = match self.high {
            Some(h) if self.high_open => value < h,
            Some(h) => value <= h,
            None => true,
        };
        above_low && below_high && (!self.integer || value.fract().is_zero())
    }

    /// `value` moved to the nearest allowed value, when there is one at a closed end.
    pub fn clamp(&self, value: Decimal) -> Option<Decimal> {
        if self.contains(value) {
            return Some(value);
        }
        if value <= self.low {
            return (!self.low_open).then_some(self.low);
        }
        match self.high {
            Some(h) if value >= h => (!self.high_open).then_some(h),
            _ => None,
        }
    }

    /// The range in words: "a whole number from 1 to 64".
    pub fn describe(&self) -> String {
        let what = if self.integer {
            "a whole number"
        } else {
            "a number"
        };
        let low = plain_text(self.low);
        match (self.high, self.low_open, self.high_open) {
            (Some(h), false, false) => format!("{what} from {low} to {}", plain_text(h)),
            (Some(h), false, true) => {
                format!("{what} from {low} up to (not including) {}", plain_text(h))
            }
            (Some(h), true, _) => format!("{what} above {low} and at most {}", plain_text(h)),
            (None, false, _) => format!("{what} of {low} or more"),
            (None, true, _) => format!("{what} above {low}"),
        }
    }
}

impl Serialize for Bounds {
    /// `{"min": "1", "max": "5", "min_open": false, "max_open": false, "integer": false}`:
    /// decimal text, so the page never sees a float.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Bounds", 5)?;
        st.serialize_field("min", &plain_text(self.low))?;
        st.serialize_field("min_open", &self.low_open)?;
        st.serialize_field("max", &self.high.map(plain_text))?;
        st.serialize_field("max_open", &self.high_open)?;
        st.serialize_field("integer", &self.integer)?;
        st.end()
    }
}

/// `years`: the horizon.
pub const YEARS: Bounds = Bounds::range(1, 30).whole();
/// A negotiated discount off list (`[costs] vendor_discount`): a fraction below 1.
pub const VENDOR_DISCOUNT: Bounds = Bounds::range(0, 1).below_high();
/// An exchange rate (`[costs] fx`): estate currency per 1 unit of another.
pub const FX_RATE: Bounds = Bounds::range(0, 1_000_000).above_low();

/// `units` × 10^-`scale`, for a declaration's default: `num(2, 1)` is 0.2.
pub const fn num(units: u32, scale: u32) -> Decimal {
    Decimal::from_parts(units, 0, 0, false, scale)
}

/// One numeric input, declared once.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FieldSpec {
    /// The key in the estate file (`hardware_per_host`).
    pub key: &'static str,
    /// What the field means, from its doc comment: schema descriptions and form hints.
    pub doc: &'static str,
    /// A short title for forms and workbooks ("Electricity price").
    pub label: &'static str,
    /// The unit after the value; for money kinds, after the currency ("per kWh").
    pub unit: &'static str,
    /// For sentences: the unit of one and of several ("host", "hosts"); empty when the field
    /// is named instead ("costs.pue 1.5").
    pub one: &'static str,
    /// The plural of [`FieldSpec::one`].
    pub many: &'static str,
    /// How the number reads and shows.
    pub kind: Kind,
    /// What the reader accepts.
    pub bounds: Bounds,
    /// The table must state it.
    pub required: bool,
    /// The value the engine assumes when the estate leaves the field out (a decimal: `[sizing]`
    /// `ram_headroom` defaults to 0.2; declared with [`num`]).
    #[serde(serialize_with = "crate::money::ser::opt_plain")]
    pub default: Option<Decimal>,
    /// The default applies only when this other field of the same table is given (`pue`
    /// matters only with `watts_per_host`).
    pub default_when: Option<&'static str>,
    /// What the value means for the totals, with the default's source: listed among a quote's
    /// assumptions whenever the estate gives it or its default applies.
    pub assumption: Option<&'static str>,
    /// Listed among the assumptions even when unset and without a default, as `none`: its
    /// absence is itself an assumption (no `vms_per_host`: hosts never grow).
    pub list_unset: bool,
}

impl FieldSpec {
    /// The base every declaration fills in.
    pub const BLANK: FieldSpec = FieldSpec {
        key: "",
        doc: "",
        label: "",
        unit: "",
        one: "",
        many: "",
        kind: Kind::Plain,
        // Every amount has a ceiling (see `money::AMOUNT_MAX`): with it the engine's products
        // of inputs cannot overflow.
        bounds: Bounds::range(0, crate::money::AMOUNT_MAX),
        required: false,
        default: None,
        default_when: None,
        assumption: None,
        list_unset: false,
    };

    /// The declaration with whole numbers only, when the field holds a count.
    pub const fn whole_numbers(mut self, integer: bool) -> FieldSpec {
        self.bounds.integer = integer;
        self
    }

    /// The unit as shown beside a value: money kinds put the currency first.
    pub fn unit_in(&self, currency: &str) -> String {
        match self.kind {
            Kind::Money | Kind::UnitPrice => format!("{currency} {}", self.unit),
            _ => self.unit.to_owned(),
        }
    }

    /// The doc comment as one line.
    pub fn description(&self) -> String {
        self.doc.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// A struct field that holds a declared number: required or optional, whole or exact decimal.
pub trait Slot {
    /// The estate must state it.
    const REQUIRED: bool;
    /// Whole numbers only.
    const INTEGER: bool;
    /// The value, if stated.
    fn value(&self) -> Option<Decimal>;
    /// Stores `v`; `false` when the type cannot hold it (never clamped).
    fn store(&mut self, v: Decimal) -> bool;
}

impl Slot for u32 {
    const REQUIRED: bool = true;
    const INTEGER: bool = true;
    fn value(&self) -> Option<Decimal> {
        Some(Decimal::from(*self))
    }
    fn store(&mut self, v: Decimal) -> bool {
        match exact_u32(v) {
            Some(n) => {
                *self = n;
                true
            }
            None => false,
        }
    }
}

impl Slot for Option<u32> {
    const REQUIRED: bool = false;
    const INTEGER: bool = true;
    fn value(&self) -> Option<Decimal> {
        self.map(Decimal::from)
    }
    fn store(&mut self, v: Decimal) -> bool {
        match exact_u32(v) {
            Some(n) => {
                *self = Some(n);
                true
            }
            None => false,
        }
    }
}

impl Slot for Option<Decimal> {
    const REQUIRED: bool = false;
    const INTEGER: bool = false;
    fn value(&self) -> Option<Decimal> {
        *self
    }
    fn store(&mut self, v: Decimal) -> bool {
        *self = Some(v);
        true
    }
}

/// `v` as a `u32` when it is one exactly.
fn exact_u32(v: Decimal) -> Option<u32> {
    if v.fract().is_zero() {
        v.to_u32()
    } else {
        None
    }
}

/// A table of declared inputs: its field enum, specs, and reading and writing of values.
pub trait InputTable: Sized + 'static {
    /// The enum of the table's declared fields.
    type Field: Copy + 'static;
    /// Every field, in declaration order (the order of forms, files and outputs).
    const FIELDS: &'static [Self::Field];
    /// The declaration of a field.
    fn spec(field: Self::Field) -> &'static FieldSpec;
    /// A field's value, if stated.
    fn get(&self, field: Self::Field) -> Option<Decimal>;
    /// Stores a value already checked against the field's bounds.
    fn put(&mut self, field: Self::Field, value: Decimal) -> bool;

    /// Every declaration, in order.
    fn specs() -> impl Iterator<Item = &'static FieldSpec> {
        Self::FIELDS.iter().map(|f| Self::spec(*f))
    }

    /// The field with this key.
    fn by_key(key: &str) -> Option<Self::Field> {
        Self::FIELDS
            .iter()
            .copied()
            .find(|f| Self::spec(*f).key == key)
    }

    /// The value the engine uses: the stated one, else the default when it applies.
    fn used(&self, field: Self::Field) -> Option<(Decimal, Origin)> {
        if let Some(v) = self.get(field) {
            return Some((v, Origin::Estate));
        }
        let spec = Self::spec(field);
        if !self.default_applies(spec) {
            return None;
        }
        spec.default.map(|d| (d, Origin::Default))
    }

    /// The field is listed among a quote's assumptions: it has a note, and the estate gives
    /// it, or its default applies, or its absence is listed.
    fn listed(&self, field: Self::Field) -> bool {
        let spec = Self::spec(field);
        spec.assumption.is_some()
            && (self.get(field).is_some()
                || (spec.default.is_some() && self.default_applies(spec))
                || spec.list_unset)
    }

    /// The field's default applies: it has no condition, or the field it depends on is given.
    fn default_applies(&self, spec: &FieldSpec) -> bool {
        spec.default_when
            .is_none_or(|key| Self::by_key(key).is_some_and(|f| self.get(f).is_some()))
    }
}

/// Where a value the engine used comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The estate states it.
    Estate,
    /// hypercost assumed the declared default.
    Default,
}

impl Origin {
    /// `estate` or `default`, as quotes print it.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Estate => "estate",
            Origin::Default => "default",
        }
    }
}

/// Declares a struct whose numeric fields are inputs, with one [`FieldSpec`] each, and the
/// enum naming them. Other fields follow in `rest` and are declared as usual.
macro_rules! input_table {
    (
        $(#[$smeta:meta])*
        pub struct $name:ident, fields $enum:ident {
            $(
                $(#[doc = $doc:literal])+
                $variant:ident => $field:ident : $ty:ty { $($k:ident : $v:expr),* $(,)? }
            ),* $(,)?
        }
        rest {
            $( $(#[$ometa:meta])* $ofield:ident : $oty:ty ),* $(,)?
        }
    ) => {
        $(#[$smeta])*
        pub struct $name {
            $( $(#[doc = $doc])+ pub $field: $ty, )*
            $( $(#[$ometa])* pub $ofield: $oty, )*
        }

        #[doc = concat!("The declared numeric fields of [`", stringify!($name), "`].")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $enum {
            $( $(#[doc = $doc])+ $variant, )*
        }

        impl $enum {
            /// Every field, in declaration order.
            pub const ALL: [$enum; [$(stringify!($variant)),*].len()] = [$($enum::$variant),*];

            /// The field's declaration.
            pub fn spec(self) -> &'static $crate::estate::FieldSpec {
                static SPECS: [$crate::estate::FieldSpec; [$(stringify!($variant)),*].len()] = [
                    $( $crate::estate::FieldSpec {
                        key: stringify!($field),
                        doc: concat!($($doc, "\n"),+),
                        required: <$ty as $crate::estate::Slot>::REQUIRED,
                        $($k: $v,)*
                        ..$crate::estate::FieldSpec::BLANK
                    }.whole_numbers(<$ty as $crate::estate::Slot>::INTEGER), )*
                ];
                &SPECS[self as usize]
            }

            /// The key in the estate file.
            pub fn key(self) -> &'static str {
                self.spec().key
            }

            /// The values the estate reader accepts.
            pub fn bounds(self) -> $crate::estate::Bounds {
                self.spec().bounds
            }
        }

        impl $crate::estate::InputTable for $name {
            type Field = $enum;
            const FIELDS: &'static [$enum] = &$enum::ALL;

            fn spec(field: $enum) -> &'static $crate::estate::FieldSpec {
                field.spec()
            }

            fn get(&self, field: $enum) -> Option<rust_decimal::Decimal> {
                match field {
                    $( $enum::$variant => $crate::estate::Slot::value(&self.$field), )*
                }
            }

            fn put(&mut self, field: $enum, value: rust_decimal::Decimal) -> bool {
                match field {
                    $( $enum::$variant => $crate::estate::Slot::store(&mut self.$field, value), )*
                }
            }
        }
    };
}
pub(crate) use input_table;
