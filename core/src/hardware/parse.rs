//! Hardware catalogue TOML → [`Catalogue`], collecting every problem.
//!
//! It reads the way pricebooks are read (`pricebook/parse.rs`), so a user fixing a catalogue
//! meets the same messages: one pass over the spanned tree with [`Table`], every problem at its
//! file, line, field and what would be valid, unknown keys refused, and a price accepted only
//! with its `source` and `confidence`. The bounds keep every host `reshape` builds (GB × price
//! per GB, sockets × CPU price, watts) far inside `Decimal` and `u32`.

use std::collections::HashMap;

use rust_decimal::Decimal;
use toml::Spanned as TSpanned;
use toml::de::DeValue;

use crate::diag::{Collector, Diagnostics};
use crate::hardware::{Catalogue, Cpu, Ram, Server};
use crate::ids::is_valid_id;
use crate::money::{AMOUNT_MAX, grouped_int};
use crate::pricebook::parse::read_confidence;
use crate::read::{Table, as_int, currency_code, format_version, parse_document};
use crate::source::{SourceFile, Spanned};

/// Cores of one CPU: the largest parts sold have a few hundred.
pub(crate) const MAX_CORES: u64 = 1024;
/// CPUs per server: 8-socket servers exist, 16 leaves room.
pub(crate) const MAX_SOCKETS: u64 = 16;
/// Watts of one CPU (TDP): today's largest are near 500.
pub(crate) const MAX_CPU_WATTS: u64 = 5000;
/// Watts of a server without its CPUs.
pub(crate) const MAX_SERVER_WATTS: u64 = 10_000;
/// RAM in GB, 1 PiB: beyond any server.
pub(crate) const MAX_RAM_GB: u64 = 1_048_576;

/// Parses and validates one hardware catalogue (format 1, `hardware/README.md`).
pub fn parse_catalogue(file: &SourceFile) -> Result<Catalogue, Diagnostics> {
    let mut c = Collector::new(file);
    let Some(doc) = parse_document(&mut c, &file.text) else {
        return Err(c.finish());
    };
    let mut root = Table::root(&doc);
    let catalogue = read_catalogue(&mut c, &mut root);
    root.finish(&mut c);
    match catalogue {
        Some(k) if !c.has_errors() => Ok(k),
        _ => Err(c.finish()),
    }
}

fn read_catalogue(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Catalogue> {
    format_version(c, t, "hardware catalogue");
    let id = t.req_string(c, "id");
    if let Some(id) = &id {
        check_id(c, id, "id");
    }
    // For people reading the file and its listing; `Catalogue` does not keep it.
    let name = req_name(c, t);
    let currency = currency_code(c, t);

    let mut seen = HashMap::new();
    let mut cpus = Vec::new();
    for mut ct in t.req_tables(c, "cpu", "at least one [[cpu]] table") {
        cpus.extend(read_cpu(c, &mut ct, &mut seen));
        ct.finish(c);
    }
    let mut seen = HashMap::new();
    let mut servers = Vec::new();
    for mut st in t.req_tables(c, "server", "at least one [[server]] table") {
        servers.extend(read_server(c, &mut st, &mut seen));
        st.finish(c);
    }
    let ram = match t.table(c, "ram") {
        Some(mut r) => {
            let ram = read_ram(c, &mut r);
            r.finish(c);
            ram
        }
        None => {
            if !t.has("ram") {
                t.missing(
                    c,
                    "ram",
                    "a [ram] table with price_per_gb, sizes_gb, source and confidence",
                );
            }
            None
        }
    };
    name?;
    Some(Catalogue {
        id: id?.value,
        currency: currency?.value,
        cpus,
        servers,
        ram: ram?,
    })
}

fn read_cpu(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    seen: &mut HashMap<String, usize>,
) -> Option<Cpu> {
    let id = read_id(c, t, seen, "CPU");
    let name = req_name(c, t);
    let cores = t.req_int(c, "cores", 1, MAX_CORES);
    let watts = t.req_int(c, "watts", 0, MAX_CPU_WATTS);
    let price = read_amount(c, t, "price");
    let source = read_source(c, t);
    let confidence = read_confidence(c, t);
    Some(Cpu {
        id: id?,
        name: name?.value,
        cores: small(cores)?,
        watts: small(watts)?,
        price: price?,
        source: source?,
        confidence: confidence?,
    })
}

fn read_server(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    seen: &mut HashMap<String, usize>,
) -> Option<Server> {
    let id = read_id(c, t, seen, "server");
    let name = req_name(c, t);
    let sockets = t.req_int(c, "sockets", 1, MAX_SOCKETS);
    let base_price = read_amount(c, t, "base_price");
    let watts = t.req_int(c, "watts", 0, MAX_SERVER_WATTS);
    let max_ram_gb = t.req_int(c, "max_ram_gb", 1, MAX_RAM_GB);
    let source = read_source(c, t);
    let confidence = read_confidence(c, t);
    Some(Server {
        id: id?,
        name: name?.value,
        sockets: small(sockets)?,
        base_price: base_price?,
        watts: small(watts)?,
        max_ram_gb: small(max_ram_gb)?,
        source: source?,
        confidence: confidence?,
    })
}

fn read_ram(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Ram> {
    let price_per_gb = read_amount(c, t, "price_per_gb");
    let sizes = t.value("sizes_gb");
    let sizes_gb = read_sizes(c, t, sizes);
    let source = read_source(c, t);
    let confidence = read_confidence(c, t);
    Some(Ram {
        price_per_gb: price_per_gb?,
        sizes_gb: sizes_gb?,
        source: source?,
        confidence: confidence?,
    })
}

/// `sizes_gb`: not empty, each size 1 to [`MAX_RAM_GB`], strictly ascending (a size listed
/// twice, or out of order, is a typo that would hide a shape).
fn read_sizes(
    c: &mut Collector<'_>,
    t: &Table<'_, '_>,
    value: Option<&TSpanned<DeValue<'_>>>,
) -> Option<Vec<u32>> {
    const EXAMPLE: &str = "the RAM sizes per host in GB, ascending, like [256, 512, 1024]";
    let field = t.field("sizes_gb");
    let Some(value) = value else {
        t.missing(c, "sizes_gb", EXAMPLE);
        return None;
    };
    let DeValue::Array(items) = value.get_ref() else {
        c.error(
            value.span(),
            &field,
            "wrong type: not an array of whole numbers",
            Some(format!("expected {EXAMPLE}")),
        );
        return None;
    };
    if items.is_empty() {
        c.error(
            value.span(),
            &field,
            "`sizes_gb` is empty",
            Some(format!("expected {EXAMPLE}")),
        );
        return None;
    }
    let mut sizes: Vec<u32> = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let Some(size) = small(as_int(c, item, &path, 1, MAX_RAM_GB)) else {
            ok = false;
            continue;
        };
        if let Some(&last) = sizes.last()
            && size <= last
        {
            c.error(
                item.span(),
                &path,
                format!("{size} GB after {last} GB: sizes must be strictly ascending"),
                Some("list each size once, smallest first".into()),
            );
            ok = false;
        }
        sizes.push(size);
    }
    ok.then_some(sizes)
}

/// A bounded whole number as the `u32` of the model (every bound is far below `u32::MAX`).
fn small(value: Option<Spanned<u64>>) -> Option<u32> {
    u32::try_from(value?.value).ok()
}

/// The `id` of a `[[cpu]]` or `[[server]]`: valid, and unique among its kind (`seen` holds
/// where each id was first declared; tables are read in file order, so the later is the
/// duplicate).
fn read_id(
    c: &mut Collector<'_>,
    t: &mut Table<'_, '_>,
    seen: &mut HashMap<String, usize>,
    kind: &str,
) -> Option<String> {
    let id = t.req_string(c, "id")?;
    let field = t.field("id");
    check_id(c, &id, &field);
    match seen.get(&id.value) {
        Some(&first) => {
            let line = c.line(first);
            c.error(
                id.span,
                &field,
                format!("duplicate id `{}` (first used on line {line})", id.value),
                Some(format!("give every {kind} its own id")),
            );
        }
        None => {
            seen.insert(id.value.clone(), id.span.start);
        }
    }
    Some(id.value)
}

fn check_id(c: &mut Collector<'_>, id: &Spanned<String>, field: &str) {
    if !is_valid_id(&id.value) {
        c.error(
            id.span.clone(),
            field,
            format!("`{}` is not a valid id", id.value),
            Some(
                "use lowercase letters, digits, `-` and `.`, starting with a letter or digit"
                    .into(),
            ),
        );
    }
}

/// A required, non-empty `name`: listings and reshape's results show it.
fn req_name(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<Spanned<String>> {
    crate::pricebook::parse::req_name_shown(c, t, "listings and reshape's results show this name")
}

/// A required price: more than 0 (a part that costs nothing is a mistake, not a discount) and
/// at most [`AMOUNT_MAX`].
fn read_amount(c: &mut Collector<'_>, t: &mut Table<'_, '_>, key: &'static str) -> Option<Decimal> {
    let Some(amount) = t.decimal(c, key) else {
        if !t.has(key) {
            t.missing(c, key, "an amount like \"3694.00\"");
        }
        return None;
    };
    let expected = || {
        Some(format!(
            "expected an amount above 0 and at most {}",
            grouped_int(u64::from(AMOUNT_MAX))
        ))
    };
    if amount.value <= Decimal::ZERO {
        c.error(
            amount.span,
            &t.field(key),
            format!("price {} must be more than 0", amount.value),
            expected(),
        );
        None
    } else if amount.value > Decimal::from(AMOUNT_MAX) {
        c.error(
            amount.span,
            &t.field(key),
            format!("price {} is beyond what hypercost accepts", amount.value),
            expected(),
        );
        None
    } else {
        Some(amount.value)
    }
}

/// A required, non-empty `source`: every price says where it comes from.
fn read_source(c: &mut Collector<'_>, t: &mut Table<'_, '_>) -> Option<String> {
    let s = t.req_string(c, "source")?;
    if s.value.trim().is_empty() {
        c.error(
            s.span,
            &t.field("source"),
            "empty source",
            Some("every price cites a list, a URL, or says how it was estimated".into()),
        );
        return None;
    }
    Some(s.value)
}
