//! Unit tests of the inventory import: separators, numbers, grouping, errors, no panics.

use proptest::prelude::*;

use rust_decimal::Decimal;

use super::estate_text::row_ranges;
use super::hosts::{RamUnit, ram_to_gib};
use super::table::{parse_count, parse_decimal};
use super::*;
use crate::pricebook::PricebookSet;

fn books() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

fn opts() -> ImportOptions<'static> {
    ImportOptions::new(Date::new(2026, 11, 25).expect("valid"))
}

#[test]
fn separators_are_sniffed_outside_quotes() {
    assert_eq!(sniff_separator("a;b;c\n1;2;3"), b';');
    assert_eq!(sniff_separator("\"a,b\";c;d"), b';');
    assert_eq!(sniff_separator("a\tb\tc"), b'\t');
    assert_eq!(sniff_separator("a,b"), b',');
    assert_eq!(sniff_separator(""), b',');
}

#[test]
fn numbers_stored_as_text_with_thousands_separators() {
    let d = |s: &str| parse_decimal(s).map(|v| v.to_string());
    assert_eq!(d("785.059").as_deref(), Some("785059"));
    assert_eq!(d("785,059").as_deref(), Some("785059"));
    assert_eq!(d("1 048 576").as_deref(), Some("1048576"));
    assert_eq!(d("1.234.567,5").as_deref(), Some("1234567.5"));
    assert_eq!(d("767,99").as_deref(), Some("767.99"));
    assert_eq!(d("767.9987335205078").as_deref(), Some("767.9987335205078"));
    assert_eq!(d("\"2\"").as_deref(), Some("2"));
    assert_eq!(d("1e5"), None);
    assert_eq!(d("VM"), None);
    assert_eq!(d(""), None);
    assert_eq!(parse_count("2.0"), Some(2));
    assert_eq!(parse_count("2,5"), None);
    assert_eq!(parse_count("-1"), None);
}

#[test]
fn ram_rounds_up_to_the_granularity() {
    assert_eq!(
        ram_to_gib(Decimal::from(785_059), RamUnit::Mib, 16),
        Some(768)
    );
    assert_eq!(
        ram_to_gib(Decimal::from(196_514), RamUnit::Mib, 16),
        Some(192)
    );
    assert_eq!(
        ram_to_gib(Decimal::from(327_570), RamUnit::Mib, 16),
        Some(320)
    );
    assert_eq!(
        ram_to_gib(Decimal::from(262_098), RamUnit::Mib, 16),
        Some(256)
    );
}

#[test]
fn cores_per_host_divide_into_sockets_and_errors_name_row_and_column() {
    let f = SourceFile::new(
        "h.csv",
        "Name,Parent,CpuCount,NumCpu\nesx1,c,2,32\nesx2,c,2,31\n",
    );
    let d = import_hosts(&f, opts(), &books()).expect_err("31 cores on 2 sockets");
    assert_eq!(d.0.len(), 1);
    assert_eq!(d.0[0].file, "h.csv");
    assert_eq!(d.0[0].line, 3);
    assert_eq!(d.0[0].field, "row 3, column `NumCpu`");
}

#[test]
fn missing_socket_column_is_an_error() {
    let f = SourceFile::new("h.csv", "Name,NumCpu\nesx1,32\n");
    let d = import_hosts(&f, opts(), &books()).expect_err("no sockets");
    assert_eq!(d.0[0].field, "header");
}

#[test]
fn one_core_per_socket_warns() {
    let f = SourceFile::new(
        "h.csv",
        "VMHOST,CLUSTER,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\nesx1,c,32,1\n",
    );
    let i = import_hosts(&f, opts(), &books()).expect("imports");
    assert!(
        i.warnings
            .iter()
            .any(|w| w.message.contains("1 core per socket"))
    );
    assert_eq!(i.summary.licensed_cores_16, 32 * 16);
}

proptest! {
    #[test]
    fn no_input_panics(text in "[a-z0-9,;\t\"\n .#_]{0,200}") {
        let f = SourceFile::new("x.csv", text);
        let _ = import_hosts(&f, opts(), &books());
        let _ = import_cluster_csv(&f, opts(), &books());
    }

    #[test]
    fn headed_rows_never_panic(rows in proptest::collection::vec("[0-9a-z.,;\" ]{0,12}", 0..20)) {
        let text = format!("Host;Cluster;# CPU;Cores per CPU;# Memory;in Maintenance Mode;# VMs\n{}", rows.join("\n"));
        let f = SourceFile::new("x.csv", text.clone());
        let _ = import_hosts(&f, opts(), &books());
        let text = format!("CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\n{}", rows.join("\n"));
        let _ = import_cluster_csv(&SourceFile::new("y.csv", text), opts(), &books());
    }
}

#[test]
fn cluster_csv_round_trips() {
    let original = "CLUSTER_NAME;NUMBER_OF_HOSTS;NUMBER_OF_CPU_SOCKETS;NUMBER_OF_CPU_CORES_PER_SOCKET;VSAN_ENABLED_CLUSTER;TOTAL_RAW_VSAN_TIB\n\
                    HCI1;5;2;18; No;0\n\"edge; \"\"b\"\"\";1;1;12; Yes;2\nbig;1.200;2;32;No;0\n";
    let first = import_cluster_csv(&SourceFile::new("in.csv", original), opts(), &books())
        .expect("imports");
    let csv = write_cluster_csv(&first.estate);
    let second = import_cluster_csv(&SourceFile::new("out.csv", csv.clone()), opts(), &books())
        .expect("re-imports");
    assert_eq!(first.estate.clusters, second.estate.clusters);
    assert_eq!(first.estate.clusters[1].name, "edge; \"b\"");
    assert_eq!(first.estate.clusters[2].hosts, 1200);
    assert_eq!(csv, write_cluster_csv(&second.estate));
}

#[test]
fn cores_per_host_that_disagree_warn_and_vcenters_prefix_shared_cluster_names() {
    let f = SourceFile::new(
        "h.csv",
        "Host\tCluster\tvCenter\t# CPU\tCores per CPU\t# Cores\n\
         a\tprod\tvc1\t2\t16\t32\nb\tprod\tvc2\t2\t16\t30\n",
    );
    let i = import_hosts(&f, opts(), &books()).expect("imports");
    let names: Vec<&str> = i.estate.clusters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["vc1: prod", "vc2: prod"]);
    assert!(i.estate.clusters.iter().all(|c| c.group.is_none()));
    assert!(
        i.warnings
            .iter()
            .any(|w| w.field == "row 3, column `# Cores`" && w.message.contains("30 cores"))
    );
}

fn tabs(vhost: &str, vinfo: Option<&str>) -> Vec<SourceFile> {
    let mut files = vec![SourceFile::new("e/RVTools_tabvHost.csv", vhost)];
    if let Some(v) = vinfo {
        files.push(SourceFile::new("e/RVTools_tabvInfo.csv", v));
    }
    files
}

#[test]
fn rvtools_tab_names_in_every_spelling() {
    use super::rvtools::{TabKind, tab_kind};
    assert_eq!(tab_kind("x/RVTools_tabvHost.csv"), Some(TabKind::Host));
    assert_eq!(tab_kind("tabvInfo"), Some(TabKind::Info));
    assert_eq!(tab_kind("vMetaData"), Some(TabKind::MetaData));
    assert_eq!(tab_kind("RVTOOLS_TABVHOST.CSV"), Some(TabKind::Host));
    assert_eq!(
        tab_kind("vHosts"),
        None,
        "Nutanix Collector's sheet is not RVTools' vHost"
    );
    assert_eq!(tab_kind("RVTools_tabvDisk.csv"), None);
}

#[test]
fn rvtools_vhost_alone_counts_vms_from_the_host_columns() {
    // No vInfo: `# VMs total` (all VMs) and `vRAM` (powered-on MiB) of the hosts.
    let f = tabs(
        "Host,Cluster,# CPU,Cores per CPU,# Memory,# VMs total,# VMs,vRAM\n\
         a,c,2,16,785059,10,6,61440\nb,c,2,16,785059,2,2,4096\n",
        None,
    );
    let i = import_rvtools_csv("e", &f, opts(), &books()).expect("imports");
    let c = &i.estate.clusters[0];
    assert_eq!((c.hosts, c.vms), (2, Some(12)));
    // (61,440 + 4,096) MiB = 64 GiB over 12 VMs = 5.333… → 5.34.
    assert_eq!(c.vm_ram_gb.map(|v| v.to_string()).as_deref(), Some("5.34"));
    assert_eq!(i.summary.vms, Some(12));
    assert_eq!(i.summary.powered_on_vms, Some(8));
    assert!(
        i.toml
            .contains("# No vInfo tab: vms ← Σ vHost `# VMs total`")
    );
}

#[test]
fn rvtools_host_without_cpu_figures_is_kept_with_a_flagged_placeholder() {
    let f = tabs(
        "Host,Cluster,# CPU,Cores per CPU,# Memory\na,c,2,16,785059\ngone,c,,,\n",
        None,
    );
    let i = import_rvtools_csv("e", &f, opts(), &books()).expect("imports");
    let names: Vec<&str> = i.estate.clusters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "c / 2×16c 768 GiB",
            "c / host facts missing (2×16c placeholder)"
        ]
    );
    assert_eq!(i.summary.placeholder_hosts, ["gone"]);
    assert!(
        i.warnings.iter().any(|w| w.field == "row 3, column `# CPU`"
            && w.message.contains("`gone` has no socket count"))
    );
}

#[test]
fn rvtools_vms_on_unknown_hosts_warn_and_duplicate_hosts_are_errors() {
    let f = tabs(
        "Host,# CPU,Cores per CPU\na,2,16\n",
        Some("VM,Powerstate,Memory,Host\nv1,poweredOn,1024,a\nv2,poweredOn,1024,zz\n"),
    );
    let i = import_rvtools_csv("e", &f, opts(), &books()).expect("imports");
    assert_eq!(i.estate.clusters[0].vms, Some(1));
    assert!(
        i.warnings.iter().any(
            |w| w.message == "1 VMs (rows 3) run on hosts missing from vHost (zz): not counted"
        )
    );
    let f = tabs("Host,# CPU,Cores per CPU\na,2,16\nA,2,16\n", None);
    let d = import_rvtools_csv("e", &f, opts(), &books()).expect_err("twice");
    assert_eq!(d.0[0].message, "host `A` appears twice (rows 2 and 3)");
    assert_eq!(d.0[0].line, 3);
}

#[test]
fn rvtools_needs_vhost_or_vinfo_and_names_what_it_found() {
    let f = [SourceFile::new("e/RVTools_tabvDisk.csv", "Disk\n1\n")];
    let d = import_rvtools_csv("e", &f, opts(), &books()).expect_err("no tabs");
    assert_eq!(d.0[0].file, "e");
    assert!(d.0[0].message.contains("no vHost or vInfo tab"));
    assert!(
        d.0[0]
            .help
            .as_deref()
            .is_some_and(|h| h.ends_with("found: RVTools_tabvDisk.csv"))
    );
}

#[test]
fn row_ranges_are_compact() {
    assert_eq!(row_ranges(&[2, 3, 4, 7, 9, 10]), "2–4, 7, 9–10");
    assert_eq!(row_ranges(&[]), "");
}

#[test]
fn a_kb_313548_csv_saved_as_vhost_supplies_the_host_facts_vinfo_lacks() {
    // The remedy the no-vHost warning suggests: the script's per-host CSV beside vInfo.
    let f = tabs(
        "CLUSTER,VMHOST,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET,FOUNDATION_LICENSE_CORE_COUNT\n\
         prod,esx-n1,2,24,48\nprod,esx-n2,2,24,48\n",
        Some(
            "VM,Powerstate,Memory,Host,Cluster\na1,poweredOn,8192,esx-n1,prod\na2,poweredOff,8192,esx-n2,prod\n",
        ),
    );
    let i = import_rvtools_csv("e", &f, opts(), &books()).expect("imports");
    let c = &i.estate.clusters[0];
    assert_eq!(
        (
            c.name.as_str(),
            c.hosts,
            c.sockets_per_host,
            c.cores_per_socket,
            c.vms
        ),
        ("prod", 2, 2, 24, Some(2))
    );
    assert!(i.summary.placeholder_hosts.is_empty());
    assert_eq!(i.summary.licensed_cores_16, 96);
}

#[test]
fn fx_rates_are_read_exactly_and_checked() {
    let ok = |t: &str| parse_fx(t).map(|(c, r)| format!("{c}={r}"));
    assert_eq!(ok("EUR=1.09").as_deref(), Ok("EUR=1.09"));
    assert_eq!(ok("EUR=1.0900").as_deref(), Ok("EUR=1.09"));
    assert_eq!(ok("JPY=0.0067").as_deref(), Ok("JPY=0.0067"));
    for bad in [
        "EUR",
        "EUR=",
        "EUR=abc",
        "EUR=-1",
        "EUR=0",
        "EUR=1e3",
        "EUR=1.2.3",
        "eur=1.1",
    ] {
        assert!(parse_fx(bad).is_err(), "{bad}");
    }
    assert!(parse_fx("USD=1").is_err());
    assert!(parse_fx("EUR=1000001").is_err());
    // The library checks rates handed over directly too.
    let fx = [("eur".to_owned(), Decimal::ONE)];
    let options = ImportOptions { fx: &fx, ..opts() };
    let file = SourceFile::new(
        "h.csv",
        "VMHOST,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\ne,2,16\n",
    );
    let d = import_hosts(&file, options, &books()).expect_err("bad currency");
    assert_eq!(d.0[0].field, "--fx");
}

#[test]
fn rvtools_tab_files_are_told_from_a_hosts_csv() {
    for tab in [
        "RVTools_tabvHost.csv",
        "x/RVTools_tabvCluster.csv",
        "rvtools_tabvdisk.csv",
        "vInfo.csv",
        "tabvMetaData",
    ] {
        assert!(super::is_rvtools_tab(tab), "{tab}");
    }
    for other in [
        "hosts.csv",
        "RVTools_export.xlsx",
        "vhosts.csv",
        "esx-hosts.csv",
    ] {
        assert!(!super::is_rvtools_tab(other), "{other}");
    }
}

/// A book of one free edition, marked as a starter with `starter` (None: unmarked).
fn book_with_starter(starter: Option<&str>) -> String {
    format!(
        "format = 1\nid = \"acme-hv-2026\"\nname = \"Acme HV\"\nvendor = \"acme\"\n\
         currency = \"USD\"\n\n[[edition]]\nid = \"free\"\nname = \"Acme HV Free\"\n{}\
         metric = {{ kind = \"free\" }}\nterm = \"perpetual\"\n\n[edition.price]\n\
         amount = \"0.00\"\nsource = \"test\"\nconfidence = \"P\"\n",
        starter.map_or(String::new(), |s| format!("starter = {s}\n"))
    )
}

fn books_with(extra: &str) -> Result<PricebookSet, crate::diag::Diagnostics> {
    let file = SourceFile::new("acme.toml", extra);
    PricebookSet::load(&[file]).map(|l| l.set)
}

#[test]
fn a_pricebook_marked_starter_becomes_a_starter_scenario_without_code() {
    let hosts = SourceFile::new(
        "h.csv",
        "VMHOST,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\ne,2,16\n",
    );
    let scenarios = |books: &PricebookSet| -> Vec<String> {
        let i = import_hosts(&hosts, opts(), books).expect("imports");
        i.estate.scenarios.iter().map(|s| s.name.clone()).collect()
    };
    let bundled = scenarios(&books());
    assert_eq!(
        bundled,
        [
            "VMware vSphere Foundation (VVF)",
            "VMware Cloud Foundation (VCF)",
            "VMware vSphere Standard (VVS, subscription)",
            "Azure Local",
            "Proxmox VE Standard subscription",
        ],
        "the bundled starters in rank order (Hyper-V needs a VM count)"
    );
    // A starter is offered only if its book and edition are on sale on the import date: on
    // 2024-06-01 Azure Local (from 2025-01-01) and Proxmox VE 2025 are not yet.
    let mid_2024 = ImportOptions::new(Date::new(2024, 6, 1).expect("valid"));
    let i = import_hosts(&hosts, mid_2024, &books()).expect("imports");
    let names: Vec<&str> = i.estate.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "VMware vSphere Foundation (VVF)",
            "VMware Cloud Foundation (VCF)",
            "VMware vSphere Standard (VVS, subscription)",
        ]
    );
    // Rank 15 sorts between VVF (10) and VCF (20); the name defaults to the edition's.
    let ranked = books_with(&book_with_starter(Some("{ rank = 15 }"))).expect("valid");
    assert_eq!(
        scenarios(&ranked),
        [
            "VMware vSphere Foundation (VVF)",
            "Acme HV Free",
            "VMware Cloud Foundation (VCF)",
            "VMware vSphere Standard (VVS, subscription)",
            "Azure Local",
            "Proxmox VE Standard subscription",
        ]
    );
    let named = books_with(&book_with_starter(Some(
        "{ rank = 1, scenario = \"Acme on the cheap\" }",
    )))
    .expect("valid");
    assert_eq!(scenarios(&named)[0], "Acme on the cheap");
    let unmarked = books_with(&book_with_starter(None)).expect("valid");
    assert_eq!(scenarios(&unmarked), bundled);
}

#[test]
fn a_bad_starter_mark_is_a_pricebook_error() {
    for (mark, field) in [
        ("{ rank = 0 }", "edition[0].starter.rank"),
        ("{ scenario = \"x\" }", "edition[0].starter.rank"),
        (
            "{ rank = 1, scenario = \" \" }",
            "edition[0].starter.scenario",
        ),
        (
            "{ rank = 1, colour = \"red\" }",
            "edition[0].starter.colour",
        ),
        (
            "{ rank = 1, short = \"Not Short\" }",
            "edition[0].starter.short",
        ),
        ("{ rank = 1, short = \"a--b\" }", "edition[0].starter.short"),
    ] {
        let d = books_with(&book_with_starter(Some(mark))).expect_err(mark);
        assert!(
            d.0.iter().any(|x| x.field == field),
            "{mark}: {:?}",
            d.0.iter().map(|x| &x.field).collect::<Vec<_>>()
        );
    }
}

/// A file name (or any text the header quotes) holding line breaks stays inside the comment:
/// without `comment_lines` the name below would add a `[costs]` table to the estate.
#[test]
fn header_text_cannot_leave_the_comment() {
    let csv = "CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\nc1,2,2,16\n";
    let name = "x\n[costs]\npue = 4\r\n\u{7}.csv";
    let i = import_cluster_csv(&SourceFile::new(name, csv), opts(), &books()).expect("imports");
    let pue = i.estate.costs.as_ref().and_then(|c| c.pue);
    assert_eq!(pue, None, "{}", i.toml);
    let body_starts = i
        .toml
        .find("format = 1")
        .expect("the estate follows the header");
    for line in i.toml[..body_starts].lines() {
        assert!(
            line.starts_with('#'),
            "header line outside a comment: {line:?}"
        );
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "{line:?}"
        );
    }
    assert!(
        i.toml.contains("# [costs]"),
        "the name is kept, as a comment"
    );
}

/// A CSV past `MAX_ROWS` data rows is refused at the first row too many, naming the limit:
/// bytes alone do not bound an import's memory.
#[test]
fn a_csv_past_the_row_limit_is_refused_at_that_row() {
    let mut text = String::from("Host;Cluster;# CPU;Cores per CPU\n");
    for i in 0..=crate::import::MAX_ROWS {
        text.push_str(&format!("h{i};c;2;8\n"));
    }
    let Err(d) = import_hosts(&SourceFile::new("big.csv", text), opts(), &books()) else {
        panic!("a CSV past the row limit was imported");
    };
    assert_eq!(d.0.len(), 1, "{d}");
    assert!(
        d.0[0].message.starts_with("more than 1,000,000 data rows"),
        "{d}"
    );
    assert_eq!(
        d.0[0].line,
        crate::import::MAX_ROWS + 2,
        "the first row too many"
    );
}

/// The header line of each dropped starter, from an import of one host (no VM count) on
/// 2026-11-25 with the bundled books and `extra`.
fn dropped_lines(extra: &str) -> Vec<String> {
    let hosts = SourceFile::new(
        "h.csv",
        "VMHOST,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\ne,2,16\n",
    );
    let books = books_with(extra).expect("valid");
    let i = import_hosts(&hosts, opts(), &books).expect("imports");
    i.toml
        .lines()
        .filter(|l| l.starts_with("# Starter dropped: "))
        .map(str::to_owned)
        .collect()
}

/// A starter whose book left sale before the import date, or whose edition reached its end of
/// sale, is not written as a scenario, and the header says which and why; so is an edition
/// the estate violates (Windows Server's VM rights need a VM count the hosts file lacks).
#[test]
fn a_dropped_starter_is_said_in_the_header_with_its_reason() {
    let hyper_v = "# Starter dropped: Hyper-V on Windows Server 2025 Datacenter — \
                   microsoft-windows-server-2025/datacenter counts VMs, but cluster `standalone / 2×16c` does not say how many it runs";
    let hyper_v_2022 = "# Starter dropped: Hyper-V on Windows Server 2022 Datacenter — not on sale on \
                        2026-11-25: microsoft-windows-server-2022 was on sale until 2024-10-31";
    let starter = book_with_starter(Some("{ rank = 15 }"));
    let book_ended = starter.replace(
        "currency = \"USD\"\n",
        "currency = \"USD\"\non_sale_until = 2020-06-30\n",
    );
    assert_eq!(
        dropped_lines(&book_ended),
        [
            "# Starter dropped: Acme HV Free — not on sale on 2026-11-25: acme-hv-2026 was on \
             sale until 2020-06-30",
            hyper_v,
            hyper_v_2022
        ]
    );
    let book_later = starter.replace(
        "currency = \"USD\"\n",
        "currency = \"USD\"\non_sale_from = 2027-01-01\n",
    );
    assert_eq!(
        dropped_lines(&book_later)[0],
        "# Starter dropped: Acme HV Free — not on sale on 2026-11-25: acme-hv-2026 is on sale \
         from 2027-01-01"
    );
    // The end of sale is the first day it cannot be bought: the import date itself.
    let edition_ended = starter.replace(
        "term = \"perpetual\"\n",
        "term = \"perpetual\"\nend_of_sale = 2026-11-25\n",
    );
    assert_eq!(
        dropped_lines(&edition_ended)[0],
        "# Starter dropped: Acme HV Free — not on sale on 2026-11-25: acme-hv-2026/free is no \
         longer sold from 2026-11-25"
    );
    // On sale the day before its end: kept, only Hyper-V is dropped.
    let edition_ending = starter.replace(
        "term = \"perpetual\"\n",
        "term = \"perpetual\"\nend_of_sale = 2026-11-26\n",
    );
    assert_eq!(dropped_lines(&edition_ending), [hyper_v, hyper_v_2022]);
}

/// vHost of hosts a1, a2 (cluster A) and b1 (cluster B), with `vdatastore` as vDatastore.
fn vsan_import(vdatastore: Option<&str>) -> Imported {
    let mut f = vec![SourceFile::new(
        "RVTools_tabvHost.csv",
        "Host,Cluster,# CPU,Cores per CPU,# Memory\na1,A,2,16,785059\na2,A,2,16,785059\n\
         b1,B,2,16,785059\n",
    )];
    if let Some(text) = vdatastore {
        f.push(SourceFile::new("RVTools_tabvDatastore.csv", text));
    }
    import_rvtools_csv("e", &f, opts(), &books()).expect("imports")
}

fn vsan_tibs(i: &Imported) -> Vec<(String, Option<String>)> {
    i.estate
        .clusters
        .iter()
        .map(|c| (c.name.clone(), c.vsan_tib.map(|t| t.to_string())))
        .collect()
}

/// vsan datastores go to the cluster whose hosts mount them (MiB → TiB, 1 TiB = 1,048,576
/// MiB, rounded up to 0.01); one mounted across clusters (HCI Mesh) or by no known host is
/// not counted and said so; other types are not vSAN.
#[test]
fn rvtools_vsan_capacity_per_cluster_from_vdatastore() {
    // vsan-a: 2 TiB and 1 MiB = 2,097,153 MiB → 2.000000953… → 2.01 (rounded up).
    let i = vsan_import(Some(
        "Name,Type,Capacity MiB,Hosts,Cluster name\n\
         vsan-a,vsan,2097153,\"a1, A2\",\n\
         mesh,vsan,1048576,\"a1, b1\",\n\
         ghost,vsan,1048576,x9,\n\
         vmfs-b,VMFS,9999999,b1,dsc\n",
    ));
    assert_eq!(
        vsan_tibs(&i),
        [
            ("A".to_owned(), Some("2.01".to_owned())),
            ("B".to_owned(), None)
        ]
    );
    assert!(
        i.toml.contains(
            "# vSAN datastore not counted: `mesh` (row 3): mounted by hosts of 2 clusters.\n"
        ),
        "{}",
        i.toml
    );
    assert!(
        i.toml.contains(
            "# vSAN datastore not counted: `ghost` (row 4): none of the hosts in its `Hosts` \
             cell is a host of this export.\n"
        ),
        "{}",
        i.toml
    );
    assert!(
        i.toml
            .contains("#   A: 2 host(s) ← vHost rows 2–3; vsan_tib 2.01 ← vDatastore rows 2\n"),
        "{}",
        i.toml
    );
    assert!(i.warnings.iter().any(|w| {
        w.message
            .starts_with("vsan datastore `mesh` is mounted by hosts of 2 clusters")
    }));
    // -DBColumnNames spellings; exactly 3 TiB.
    let db = vsan_import(Some(
        "vDatastoreName,vDatastoreType,vDatastoreCapacity,vDatastoreHosts\nds,vsan,3145728,b1\n",
    ));
    assert_eq!(
        vsan_tibs(&db),
        [
            ("A".to_owned(), None),
            ("B".to_owned(), Some("3".to_owned()))
        ]
    );
    // No vsan datastore, no vDatastore tab: left out, said so.
    let vmfs = vsan_import(Some("Name,Type,Capacity MiB,Hosts\nds,VMFS,1048576,a1\n"));
    assert_eq!(
        vsan_tibs(&vmfs),
        [("A".to_owned(), None), ("B".to_owned(), None)]
    );
    assert!(
        vmfs.toml
            .contains("# vsan_tib left out: vDatastore has no datastore of type vsan.\n"),
        "{}",
        vmfs.toml
    );
    let none = vsan_import(None);
    assert!(
        none.toml.contains(
            "# vsan_tib left out: the export has no vDatastore tab, where the vSAN capacity is.\n"
        ),
        "{}",
        none.toml
    );
}

#[test]
fn windows_server_guests_are_licensed_on_every_starter_without_vm_rights() {
    // Two clusters: `w` runs a Windows Server guest, `l` only Linux.
    let f = tabs(
        "Host,Cluster,# CPU,Cores per CPU,# Memory\n\
         a,w,2,16,785059\nb,l,2,16,785059\n",
        Some(
            "VM,Powerstate,Memory,Host,OS according to the VMware Tools\n\
             v1,poweredOn,1024,a,Microsoft Windows Server 2022 (64-bit)\n\
             v2,poweredOn,1024,b,Ubuntu Linux (64-bit)\n",
        ),
    );
    let books = books();
    let i = import_rvtools_csv("e", &f, opts(), &books).expect("imports");
    let windows = i.estate.clusters.iter().position(|c| c.name == "w");
    let linux = i.estate.clusters.iter().position(|c| c.name == "l");
    let (Some(windows), Some(linux)) = (windows, linux) else {
        panic!("both clusters: {:?}", i.estate.clusters);
    };
    let mut licensed = 0;
    for s in &i.estate.scenarios {
        for p in &s.plans {
            let rights = books
                .item(&p.edition)
                .is_some_and(|(_, item)| item.vm_rights.is_some());
            let want = !rights && p.cluster == windows;
            assert_eq!(p.guest_os.is_some(), want, "{}: {:?}", s.name, p);
            if let Some(os) = &p.guest_os {
                let os_rights = books.item(os).and_then(|(_, item)| item.vm_rights.as_ref());
                assert!(os_rights.is_some(), "{os} carries VM rights");
                licensed += 1;
            }
            if p.cluster == linux {
                assert!(p.guest_os.is_none(), "no Windows guests on `l`");
            }
        }
    }
    assert!(
        licensed >= 3,
        "the VMware, Azure Local and Proxmox starters: {licensed}"
    );
    assert!(
        i.toml
            .contains("# Windows Server guests are licensed with guest_os = "),
        "the header says so"
    );
}
