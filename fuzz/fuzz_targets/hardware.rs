//! Hardware catalogue text → check; a catalogue that loads reshapes the golden case
//! `reshape-2026` (two workloads, VCF and Proxmox VE): every option meets the sizing rule's
//! capacity, is sorted by total, and the report renders in every format it claims.
#![no_main]

use hypercost_core::analysis::reshape::{Options, reshape};
use hypercost_core::hardware::parse_catalogue;
use hypercost_core::{SourceFile, parse_estate};
use hypercost_fuzz::{BOOKS, check_refusal, check_report, text};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

const ESTATE: &str = include_str!("../../tests/cases/reshape-2026/estate.toml");

/// Shapes priced per cluster and edition at most: a catalogue beyond it is checked, not
/// reshaped (each shape is a quote; a large fuzzed catalogue would only slow the run).
const MAX_SHAPES: usize = 400;

fuzz_target!(|data: &[u8]| {
    let file = SourceFile::new("fuzz-hardware.toml", text(data));
    let catalogue = match parse_catalogue(&file) {
        Ok(k) => k,
        Err(d) => return check_refusal(&d, &file),
    };
    let shapes = catalogue.cpus.len() * catalogue.servers.len() * catalogue.ram.sizes_gb.len();
    if shapes > MAX_SHAPES {
        return;
    }
    let estate = parse_estate(&SourceFile::new("estate.toml", ESTATE), &BOOKS)
        .expect("the golden case reads");
    let options = Options {
        editions: Vec::new(),
        top: 3,
    };
    // Another currency than the estate's is refused, never priced.
    let Ok(r) = reshape(&estate, &BOOKS, &catalogue, &options) else {
        assert_ne!(catalogue.currency, estate.currency, "refused a catalogue in the estate's currency");
        return;
    };
    for (c, cl) in r.clusters.iter().zip(&estate.clusters) {
        let mut last: Option<Decimal> = None;
        for o in &c.options {
            assert!(last.is_none_or(|l| l <= o.total), "options sorted by total");
            last = Some(o.total);
            // Capacity: the hosts less one spare hold the vCPUs at 4 per core and the VMs'
            // RAM with 20 % headroom.
            let cores = u64::from(o.hosts.saturating_sub(1))
                * u64::from(o.sockets_per_host)
                * u64::from(o.cores_per_socket);
            assert!(cores * 4 >= u64::from(cl.vcpus.unwrap_or(0)), "{o:?}");
            let ram = Decimal::from(o.hosts.saturating_sub(1))
                * Decimal::from(o.ram_gb_per_host.unwrap_or(0));
            let need = Decimal::from(cl.vms.unwrap_or(0))
                * cl.vm_ram_gb.unwrap_or_default()
                * Decimal::new(12, 1);
            assert!(ram >= need, "{o:?}");
        }
    }
    check_report(&r);
});
