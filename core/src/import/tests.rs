//! Unit tests of the inventory import: separators, numbers, grouping, errors, no panics.

use proptest::prelude::*;

use super::table::{parse_count, parse_decimal};
use super::*;

fn books() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

fn opts() -> ImportOptions {
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
