//! `hypercost import rvtools` on synthetic RVTools exports (`tests/fixtures/import/rvtools-*`,
//! written by `make-rvtools-csv.py`; the `.xlsx` workbooks are made from those CSV folders by
//! [`fixtures_are_current`], `HYPERCOST_BLESS=1` rewrites them): each estate asserted field by
//! field, quoted, and its count under the 16-core floor checked against a hand count; the
//! Broadcom cluster CSV round trip; errors naming file, sheet, row and column; fuzzing of the
//! CSV and workbook readers.

use std::path::{Path, PathBuf};

use hypercost_core::date::Date;
use hypercost_core::estate::{Cluster, Estate};
use hypercost_core::import::{ImportOptions, import_rvtools_csv, import_rvtools_xlsx};
use hypercost_core::{SourceFile, parse_estate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
use tempfile::TempDir;

use crate::support::{BOOKS, cli, tests_dir};

const DATE: &str = "2026-11-25";

fn fixtures() -> PathBuf {
    tests_dir().join("fixtures/import")
}

fn bless() -> bool {
    std::env::var_os("HYPERCOST_BLESS").is_some_and(|v| v == "1")
}

/// The CSV files of a fixture folder, sorted by name.
fn csv_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    files
}

/// An RVTools-like workbook of a CSV folder: one sheet per `RVTools_tab<name>.csv`, named
/// `<name>`; cells that are plain numbers are written as numbers (as RVTools does), the rest
/// as text, empty cells not at all. Deterministic: fixed creation date.
fn workbook_of(folder: &Path) -> Vec<u8> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 11, 20).expect("date");
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    for file in csv_files(folder) {
        let stem = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let sheet_name = stem.trim_start_matches("RVTools_tab");
        let text = std::fs::read_to_string(&file).expect("fixture CSV");
        let text = text.trim_start_matches('\u{feff}');
        let sep = if text.lines().next().is_some_and(|l| l.contains(';')) {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let sheet = wb.add_worksheet();
        sheet.set_name(sheet_name).expect("sheet name");
        for (r, record) in reader.records().enumerate() {
            let record = record.expect("CSV record");
            for (c, cell) in record.iter().enumerate() {
                let (row, col) = (
                    u32::try_from(r).expect("row"),
                    u16::try_from(c).expect("column"),
                );
                if cell.is_empty() {
                    continue;
                }
                let numeric = cell.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
                    && cell.chars().filter(|ch| *ch == '.').count() <= 1
                    && !cell.starts_with('.');
                match cell.parse::<f64>() {
                    Ok(n) if numeric => sheet.write_number(row, col, n),
                    _ => sheet.write_string(row, col, cell),
                }
                .expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("workbook")
}

/// The workbook fixtures: made from their CSV folder, committed so the README and users can
/// try them.
const WORKBOOKS: &[&str] = &["rvtools-4x", "rvtools-3x", "rvtools-db", "rvtools-no-vhost"];

#[test]
fn fixtures_are_current() {
    for name in WORKBOOKS {
        let bytes = workbook_of(&fixtures().join(name));
        let path = fixtures().join(format!("{name}.xlsx"));
        if bless() {
            std::fs::write(&path, &bytes).expect("write workbook");
            continue;
        }
        let committed = std::fs::read(&path).unwrap_or_else(|_| {
            panic!("{name}.xlsx is missing: HYPERCOST_BLESS=1 cargo test -p hypercost-tests import_rvtools")
        });
        assert!(
            committed == bytes,
            "{name}.xlsx is not what its CSV folder makes: rerun with HYPERCOST_BLESS=1"
        );
    }
}

fn cluster(
    name: &str,
    hosts: u32,
    (sockets, cps): (u32, u32),
    ram: Option<u32>,
    vms: Option<u32>,
    vm_ram_gb: Option<&str>,
    group: Option<&str>,
) -> Cluster {
    Cluster {
        name: name.to_owned(),
        hosts,
        sockets_per_host: sockets,
        cores_per_socket: cps,
        ram_gb_per_host: ram,
        vms,
        vm_ram_gb: vm_ram_gb.map(|v| v.parse::<Decimal>().expect("decimal")),
        needs: Vec::new(),
        // Every fixture VM runs Windows Server 2022 (make-rvtools-csv.py), except the 3.x
        // export's CentOS guests: see `rvtools_3x_mb_era_workbook`.
        windows_vms: vms,
        vsan_tib: None,
        vcpus: None,
        group: group.map(str::to_owned),
    }
}

/// What one CLI import gave.
struct Run {
    estate: Estate,
    text: String,
    summary: String,
    path: String,
    _dir: TempDir,
}

/// `hypercost import rvtools ARG -o estate.toml --summary --date DATE`: exit 0, the estate
/// parses; then `hypercost quote` of it exits 0 or 1 (1: a starter plan is non-compliant),
/// never 2, and names every starter scenario.
fn import(arg: &Path) -> Run {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("estate.toml");
    let path = out.display().to_string();
    let run = cli(&[
        "import",
        "rvtools",
        &arg.display().to_string(),
        "-o",
        &path,
        "--summary",
        "--date",
        DATE,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&out).expect("estate written");
    let estate = parse_estate(&SourceFile::new("estate.toml", text.clone()), &BOOKS)
        .expect("the written estate parses");
    assert_eq!(estate.currency, "USD");
    assert_eq!(estate.purchase_date.to_string(), DATE);
    assert_eq!(estate.years, 3);
    let names: Vec<&str> = estate.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "VMware vSphere Foundation (VVF)",
            "VMware Cloud Foundation (VCF)",
            "VMware vSphere Standard (VVS, subscription)",
            "Azure Local",
            "Hyper-V on Windows Server 2025 Datacenter",
            "Proxmox VE Standard subscription",
        ]
    );
    for s in &estate.scenarios {
        assert_eq!(s.plans.len(), estate.clusters.len(), "{}", s.name);
    }
    let costs = estate.costs.as_ref().expect("[costs] with the EUR rate");
    assert_eq!(
        costs.fx.get("EUR").map(ToString::to_string).as_deref(),
        Some("1.08")
    );
    assert_eq!(costs.fx_date.map(|d| d.to_string()).as_deref(), Some(DATE));
    let q = cli(&["quote", &path]);
    assert!(
        q.code == 0 || q.code == 1,
        "quote exit {}: {}",
        q.code,
        q.stderr
    );
    let json = cli(&["quote", &path, "--format", "json"]);
    assert!(json.code <= 1, "{}", json.stderr);
    for n in &names {
        assert!(json.out().contains(n), "{n}");
    }
    Run {
        estate,
        text,
        summary: run.out(),
        path,
        _dir: dir,
    }
}

/// The summary's counts: hosts, sockets, physical cores, per-core licences under the floor.
fn assert_counts(summary: &str, hosts: u64, sockets: u64, cores: u64, floor16: u64) {
    for line in [
        format!("hosts            {hosts}\n"),
        format!("sockets          {sockets}\n"),
        format!("cores            {cores}\n"),
        format!("16-core-per-CPU floor: {floor16}\n"),
    ] {
        assert!(summary.contains(&line), "{line:?} not in\n{summary}");
    }
}

/// MiB in one TiB: 1 TiB = 2^40 bytes, 1 MiB = 2^20 bytes.
const MIB_PER_TIB: u64 = 1 << 20;

/// `mine` of `of` mounting hosts' share of a vsan datastore of `mib` MiB, in TiB rounded up
/// to 0.01 (the import's stated rule), as a string.
fn vsan_share(mib: u64, mine: u64, of: u64) -> String {
    (Decimal::from(mib * mine) / Decimal::from(of * MIB_PER_TIB))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero)
        .normalize()
        .to_string()
}

/// A cluster with `vcpus`: the vCPUs of its powered-on VMs, which the fixtures give as 2 per VM
/// unless `make-rvtools-csv.py` says otherwise (db01, app01 4; lab01 1); templates, vCLS agents
/// and SRM placeholders are not VMs. 4.x prod 2×16c: web01 2 + web02 2 + db01 4 + app01 4 = 12
/// (app02 off); dev: dev01 2 + dev02 2 = 4.
fn with_vcpus(c: Cluster, vcpus: u32) -> Cluster {
    Cluster {
        vcpus: Some(vcpus),
        ..c
    }
}

/// A cluster with `vsan_tib`.
fn with_vsan(c: Cluster, tib: &str) -> Cluster {
    Cluster {
        vsan_tib: Some(tib.parse().expect("decimal")),
        ..c
    }
}

/// The 4.x fixture's vsan datastore (make-rvtools-csv.py): 4 hosts × 6 × 3.84 TB devices =
/// 92.16 × 10^12 bytes = 87,890,625 MiB, mounted by esx-p1..p4.
const VSAN_4X_MIB: u64 = 92_160_000_000_000 / (1 << 20);

/// The 4.x export: a mixed cluster, a host in maintenance mode, a standalone host, custom
/// attribute columns mid-sheet, templates, vCLS agents, an SRM placeholder, powered-off and
/// suspended VMs.
fn assert_4x(r: &Run) {
    assert_eq!(
        r.estate.clusters,
        vec![
            // esx-s1: 1 × 10 cores; lab01 on (2,048 MiB) + lab02 off: 2 VMs, 2 GiB ÷ 2 = 1.
            with_vcpus(
                cluster(
                    "standalone / 1×10c 128 GiB",
                    1,
                    (1, 10),
                    Some(128),
                    Some(2),
                    Some("1"),
                    None
                ),
                1
            ),
            // esx-d1: dev01 4,096 + dev02 6,144 MiB on = 10 GiB ÷ 2 VMs = 5; vCLS not a VM.
            with_vcpus(
                cluster("dev", 1, (2, 8), Some(256), Some(2), Some("5"), None),
                4
            ),
            // esx-p4 (327,570 MiB → 320 GiB): old01 suspended + old02 on 4,096: 4 GiB ÷ 2 = 2.
            // vSAN: 1 of the 4 mounting hosts: 87,890,625 ÷ 4 MiB = 20.9547… TiB → 20.96.
            with_vsan(
                with_vcpus(
                    cluster(
                        "prod / 2×12c 320 GiB",
                        1,
                        (2, 12),
                        Some(320),
                        Some(2),
                        Some("2"),
                        Some("prod")
                    ),
                    2
                ),
                "20.96"
            ),
            // esx-p1..p3 (785,059 / 784,897 / 785,058 MiB → 768 GiB; p3 in maintenance):
            // web01 8 + web02 8 + db01 32 + app01 16 GiB on, app02 off = 64 GiB ÷ 5 VMs = 12.8;
            // the template, vCLS agent and SRM placeholder are not VMs.
            // vSAN: 3 of the 4 mounting hosts: 87,890,625 × 3 ÷ 4 MiB = 62.8642… TiB → 62.87.
            with_vsan(
                with_vcpus(
                    cluster(
                        "prod / 2×16c 768 GiB",
                        3,
                        (2, 16),
                        Some(768),
                        Some(5),
                        Some("12.8"),
                        Some("prod")
                    ),
                    12
                ),
                "62.87"
            ),
        ]
    );
    assert_eq!(VSAN_4X_MIB, 87_890_625);
    assert_eq!(vsan_share(VSAN_4X_MIB, 1, 4), "20.96");
    assert_eq!(vsan_share(VSAN_4X_MIB, 3, 4), "62.87");
    // The VMFS datastore (in Storage DRS cluster `dsc-prod`), the NFS share and dev's local
    // VMFS are not vSAN: dev and the standalone host have no vsan_tib.
    assert!(
        r.text.contains(
            "# vsan_tib ← vDatastore `Capacity MiB` of each datastore of `Type` vsan (MiB ÷ \
             1,048,576 = TiB, rounded up to 0.01 TiB), given to the vSphere cluster whose hosts \
             mount it (`Hosts`), shared by mounting hosts when that cluster is several estate \
             clusters."
        ),
        "{}",
        r.text
    );
    assert!(
        r.text.contains("; vsan_tib 62.87 ← vDatastore rows 2"),
        "{}",
        r.text
    );
    // Under the 16-core-per-CPU floor (sockets × max(cores per socket, 16)):
    //   standalone 1 × 1 × 16 (10 → 16) = 16;  dev 1 × 2 × 16 (8 → 16) = 32;
    //   prod 2×12c 1 × 2 × 16 (12 → 16) = 32;  prod 2×16c 3 × 2 × 16 = 96   → 176.
    // Physical: 10 + 16 + 24 + 96 = 146 cores on 1 + 2 + 2 + 6 = 11 sockets.
    assert_counts(&r.summary, 6, 11, 146, 176);
    assert!(
        r.summary
            .contains("in maintenance mode (counted): esx-p3.example.test")
    );
    assert!(
        r.summary
            .contains("standalone hosts (kept): esx-s1.example.test")
    );
    assert!(r.summary.contains(
        "VMs              11 (8 powered on); not counted: 1 template, 2 vCLS agents, 1 SRM placeholder"
    ), "{}", r.summary);
    // Custom attributes inserted mid-sheet (between `Object ID` and `UUID`) are named once per
    // tab and shift no column.
    assert!(
        r.summary
            .contains("unknown columns ignored: Backup status, Last backup")
            || r.summary.contains(
                "unknown columns ignored in RVTools_tabvHost.csv: Backup status, Last backup"
            ),
        "{}",
        r.summary
    );
    assert!(
        r.text
            .contains("version 4.7.1.4, written 2026-11-20 09:30:00 from vc1.example.test")
    );
    assert!(r.text.contains("#   prod / 2×16c 768 GiB: 3 host(s) ← vHost rows 2–4; vInfo rows 2–4, 7–8; 5 VMs, 4 powered on with 64 GiB"), "{}", r.text);
    assert!(
        r.text
            .contains("# In maintenance mode (counted for licensing): esx-p3.example.test.")
    );
}

#[test]
fn rvtools_4x_csv_folder() {
    let r = import(&fixtures().join("rvtools-4x"));
    assert_4x(&r);
    assert_eq!(r.estate.name, "Imported from rvtools-4x");
    assert!(r.text.contains("(RVTools CSV folder, version 4.7.1.4"));
    assert!(
        r.text
            .contains("RVTools_tabvHost.csv`: 6 host rows (rows 2–7)."),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("RVTools_tabvDatastore.csv`: 4 datastore rows (rows 2–5)."),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("# Not needed, not read: RVTools_tabvCluster.csv.")
    );
}

#[test]
fn rvtools_4x_workbook_gives_the_same_estate_as_its_csv_set() {
    let r = import(&fixtures().join("rvtools-4x.xlsx"));
    assert_4x(&r);
    assert_eq!(r.estate.name, "Imported from rvtools-4x.xlsx");
    assert!(r.text.contains("(RVTools workbook, version 4.7.1.4"));
    assert!(
        r.text
            .contains("# Read sheet `vHost`: 6 host rows (rows 2–7)."),
        "{}",
        r.text
    );
    assert!(r.text.contains("# Not needed, not read: vCluster."));
    let csv = import(&fixtures().join("rvtools-4x"));
    assert_eq!(r.estate.clusters, csv.estate.clusters);
}

#[test]
fn rvtools_3x_mb_era_workbook() {
    // RVTools 3.9: no `in Maintenance Mode`, no `# VMs total`, vInfo `Provisioned MB`, two
    // templates and two blank trailing vInfo rows (blank in the CSV; absent from the sheet).
    for arg in ["rvtools-3x.xlsx", "rvtools-3x"] {
        let r = import(&fixtures().join(arg));
        // Every VM of this export runs CentOS 7: no Windows Server guest. Its vsan datastore
        // (`Capacity MB`, MiB values) of 22 TiB = 23,068,672 MiB is mounted by all 6 hosts:
        // 2 of 6 → 7.333… → 7.34 TiB, 4 of 6 → 14.666… → 14.67 TiB.
        let vsan_mib = 22 * MIB_PER_TIB;
        assert_eq!(vsan_share(vsan_mib, 2, 6), "7.34");
        assert_eq!(vsan_share(vsan_mib, 4, 6), "14.67");
        let linux = |c: Cluster, tib: &str| Cluster {
            windows_vms: Some(0),
            ..with_vsan(c, tib)
        };
        assert_eq!(
            r.estate.clusters,
            vec![
                // esx05-06: 196,562 / 196,514 MiB → 192 GiB; vm-d 16 GiB on: 16 ÷ 1 = 16.
                linux(
                    with_vcpus(
                        cluster(
                            "Cluster01 / 2×12c 192 GiB",
                            2,
                            (2, 12),
                            Some(192),
                            Some(1),
                            Some("16"),
                            Some("Cluster01")
                        ),
                        2
                    ),
                    "7.34"
                ),
                // esx01-04: vm-a 4 + vm-b 8 GiB on, vm-c off: 12 GiB ÷ 3 = 4.
                linux(
                    with_vcpus(
                        cluster(
                            "Cluster01 / 2×14c 192 GiB",
                            4,
                            (2, 14),
                            Some(192),
                            Some(3),
                            Some("4"),
                            Some("Cluster01")
                        ),
                        4
                    ),
                    "14.67"
                ),
            ]
        );
        // 2 × 2 × 16 (12 → 16) = 64 + 4 × 2 × 16 (14 → 16) = 128 → 192 licensed;
        // physical 2 × 2 × 12 = 48 + 4 × 2 × 14 = 112 → 160 cores on 12 sockets.
        assert_counts(&r.summary, 6, 12, 160, 192);
        assert!(
            r.summary
                .contains("not counted: 2 templates, 0 vCLS agents")
        );
        // MB-era headers are standard RVTools columns, not unknown ones.
        assert!(!r.summary.contains("unknown columns"), "{}", r.summary);
        assert!(
            r.text.contains("`Capacity MB` of each datastore"),
            "{}",
            r.text
        );
    }
}

#[test]
fn rvtools_db_column_names_workbook() {
    // -DBColumnNames: vHostNumCpu, vHostCoresPerCPU, vInfoPowerstate, …; a nested ESXi host
    // with 4 sockets × 1 core, and a pre-7.0U3 vCLS agent `vCLS (1)`.
    let r = import(&fixtures().join("rvtools-db.xlsx"));
    assert_eq!(
        r.estate.clusters,
        vec![
            // nested-esx1: 16,128 MiB → 16 GiB; test01 1 GiB on.
            with_vcpus(
                cluster("lab", 1, (4, 1), Some(16), Some(1), Some("1"), None),
                2
            ),
            // 1,046,5xx MiB → 1,024 GiB; desk01-04 4 GiB on, desk05 off: 16 GiB ÷ 5 = 3.2.
            with_vcpus(
                cluster("vdi", 4, (2, 24), Some(1024), Some(5), Some("3.2"), None),
                8
            ),
        ]
    );
    // lab 1 × 4 × 16 (1 → 16: each of 4 sockets is licensed at 16) = 64;
    // vdi 4 × 2 × 24 = 192 → 256 licensed; physical 4 + 192 = 196 cores on 12 sockets.
    assert_counts(&r.summary, 5, 12, 196, 256);
    assert!(
        r.summary.contains("has 1 core per socket (4 sockets)"),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("cell K6"), "{}", r.summary);
    assert!(r.summary.contains("not counted: 0 templates, 1 vCLS agent"));
    assert!(r.text.contains("sockets_per_host ← vHost `vHostNumCpu`"));
    assert!(r.text.contains(
        "# vsan_tib left out: the export has no vDatastore tab, where the vSAN capacity is.\n"
    ));
    assert!(r.estate.clusters.iter().all(|c| c.vsan_tib.is_none()));
}

#[test]
fn rvtools_semicolon_csv_with_thousands_separators() {
    // German list separator `;`, `.` thousands separators in quoted text (`"523.999"`), BOM.
    let r = import(&fixtures().join("rvtools-semicolon"));
    assert_eq!(
        r.estate.clusters,
        vec![
            // 523,999 / 524,010 MiB → 512 GiB; vm1 8 + vm2 16 GiB on, vm3 off: 24 ÷ 3 = 8.
            with_vcpus(
                cluster(
                    "Produktion",
                    2,
                    (2, 20),
                    Some(512),
                    Some(3),
                    Some("8"),
                    None
                ),
                4
            ),
            // 196,514 MiB → 192 GiB; t1 2 GiB on.
            with_vcpus(
                cluster("Test", 1, (2, 8), Some(192), Some(1), Some("2"), None),
                2
            ),
        ]
    );
    // Produktion 2 × 2 × 20 = 80; Test 1 × 2 × 16 (8 → 16) = 32 → 112 licensed;
    // physical 80 + 16 = 96 cores on 6 sockets.
    assert_counts(&r.summary, 3, 6, 96, 112);
    assert!(!r.summary.contains("warning"), "{}", r.summary);
}

#[test]
fn rvtools_without_vhost_falls_back_to_vinfo_and_says_what_is_missing() {
    for arg in ["rvtools-no-vhost.xlsx", "rvtools-no-vhost"] {
        let r = import(&fixtures().join(arg));
        assert_eq!(
            r.estate.clusters,
            vec![
                // esx-n3 (no cluster): b1 4 GiB on.
                with_vcpus(
                    cluster(
                        "standalone / host facts missing (2×16c placeholder)",
                        1,
                        (2, 16),
                        None,
                        Some(1),
                        Some("4"),
                        None
                    ),
                    2
                ),
                // esx-n1, esx-n2: a1 8 + a2 8 GiB on, a3 off, tmpl-a not a VM: 16 ÷ 3 = 5.33…
                // rounded up to 5.34.
                with_vcpus(
                    cluster(
                        "prod / host facts missing (2×16c placeholder)",
                        2,
                        (2, 16),
                        None,
                        Some(3),
                        Some("5.34"),
                        None
                    ),
                    4
                ),
            ]
        );
        // Placeholder arithmetic, as the user is told: 3 hosts × 2 × 16 = 96 (= physical).
        assert_counts(&r.summary, 3, 6, 96, 96);
        assert!(
            r.summary
                .contains("no vHost tab: the 3 hosts found in vInfo"),
            "{}",
            r.summary
        );
        assert!(
            r.summary.contains("export the vHost tab too"),
            "{}",
            r.summary
        );
        assert!(
            r.summary
                .contains("with `hypercost import rvtools … --hosts FILE`"),
            "{}",
            r.summary
        );
        assert!(
            r.summary
                .contains("edit sockets_per_host, cores_per_socket"),
            "{}",
            r.summary
        );
        assert!(r.text.contains("# NO vHOST TAB"));
        assert!(r.text.contains(
            "# PLACEHOLDER shape (2×16) for hosts without socket/core data: esx-n1.example.test, esx-n2.example.test, esx-n3.example.test."
        ));
    }
}

#[test]
fn rvtools_import_exports_to_the_broadcom_cluster_csv_and_back() {
    let r = import(&fixtures().join("rvtools-4x.xlsx"));
    let dir = TempDir::new().expect("temp dir");
    let csv = dir.path().join("clusters.csv");
    let csv_s = csv.display().to_string();
    let e = cli(&["export", "cluster-csv", &r.path, "-o", &csv_s]);
    assert_eq!(e.code, 0, "{}", e.stderr);
    let text = std::fs::read_to_string(&csv).expect("CSV written");
    assert_eq!(
        text,
        "CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\r\n\
         standalone / 1×10c 128 GiB,1,1,10\r\ndev,1,2,8\r\nprod / 2×12c 320 GiB,1,2,12\r\n\
         prod / 2×16c 768 GiB,3,2,16\r\n"
    );
    let out = dir.path().join("again.toml");
    let again = cli(&[
        "import",
        "cluster-csv",
        &csv_s,
        "-o",
        &out.display().to_string(),
        "--date",
        DATE,
    ]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let back = parse_estate(
        &SourceFile::new("again.toml", std::fs::read_to_string(&out).expect("estate")),
        &BOOKS,
    )
    .expect("parses");
    let shape = |e: &Estate| -> Vec<(String, u32, u32, u32)> {
        e.clusters
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.hosts,
                    c.sockets_per_host,
                    c.cores_per_socket,
                )
            })
            .collect()
    };
    assert_eq!(shape(&back), shape(&r.estate));
    // And exporting the re-import gives the same bytes.
    let e2 = cli(&["export", "cluster-csv", &out.display().to_string()]);
    assert_eq!(e2.code, 0);
    assert_eq!(e2.out(), text);
}

#[test]
fn workbook_errors_name_file_sheet_row_and_column_with_exit_2() {
    let dir = TempDir::new().expect("temp dir");
    // A vHost with a bad socket count in row 3, column C.
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("vHost").expect("name");
    for (c, h) in ["Host", "Cluster", "# CPU", "Cores per CPU", "# Memory"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string(0, u16::try_from(c).expect("col"), *h)
            .expect("cell");
    }
    for (r, row) in [
        ["esx1", "c", "2", "16", "785059"],
        ["esx2", "c", "two", "16", "785059"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            sheet
                .write_string(
                    u32::try_from(r + 1).expect("row"),
                    u16::try_from(c).expect("col"),
                    *v,
                )
                .expect("cell");
        }
    }
    let path = dir.path().join("bad.xlsx");
    wb.save(&path).expect("save");
    let run = cli(&["import", "rvtools", &path.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.xlsx:3:3"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "sheet `vHost`, row 3, column `# CPU` (cell C3): `two` is not a whole number"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("a count such as 2"), "{}", run.stderr);

    // Not a workbook at all.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"not a zip").expect("write");
    let run = cli(&["import", "rvtools", &junk.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("junk.xlsx:1:1: file: not a readable xlsx workbook"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("export the tabs as CSV"),
        "{}",
        run.stderr
    );

    // A folder whose vHost lacks a socket column, and a bad power state in vInfo.
    let folder = dir.path().join("export");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::write(
        folder.join("RVTools_tabvHost.csv"),
        "Host,Cluster,Cores per CPU\nesx1,c,16\n",
    )
    .expect("write");
    let run = cli(&["import", "rvtools", &folder.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("RVTools_tabvHost.csv` has no socket count column"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("# cpu or #cpu or vhostnumcpu"),
        "{}",
        run.stderr
    );
    std::fs::write(
        folder.join("RVTools_tabvHost.csv"),
        "Host,Cluster,# CPU,Cores per CPU\nesx1,c,2,16\n",
    )
    .expect("write");
    std::fs::write(
        folder.join("RVTools_tabvInfo.csv"),
        "VM;Powerstate;Memory;Host\nvm1;poweredOn;4.096;esx1\nvm2;running;4096;esx1\n",
    )
    .expect("write");
    let run = cli(&["import", "rvtools", &folder.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("RVTools_tabvInfo.csv:3:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("row 3, column `Powerstate`: `running` is not a power state"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("poweredOn, poweredOff or suspended"),
        "{}",
        run.stderr
    );

    // An empty folder.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let run = cli(&["import", "rvtools", &empty.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no .csv files"), "{}", run.stderr);
}

fn opts() -> ImportOptions<'static> {
    ImportOptions::new(Date::new(2026, 11, 25).expect("date"))
}

/// A workbook with a vHost and a vInfo sheet of the given cells (row 0 is the header).
fn workbook(vhost: &[Vec<String>], vinfo: &[Vec<String>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    for (name, rows) in [("vHost", vhost), ("vInfo", vinfo)] {
        let sheet = wb.add_worksheet();
        sheet.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (
                    u32::try_from(r).expect("row"),
                    u16::try_from(c).expect("col"),
                );
                match v.parse::<f64>() {
                    Ok(n) if n.is_finite() && v.len() < 12 => sheet.write_number(r, c, n),
                    _ => sheet.write_string(r, c, v),
                }
                .expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("workbook")
}

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| (*s).to_owned()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary bytes are never a panic, only a diagnostic.
    #[test]
    fn arbitrary_bytes_are_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let r = import_rvtools_xlsx("x.xlsx", &bytes, opts(), &BOOKS);
        prop_assert!(r.is_err());
    }

    /// A real workbook with one byte changed: imports or fails with diagnostics, never panics.
    #[test]
    fn mutated_workbooks_never_panic(at in 0usize..100_000, byte in any::<u8>()) {
        let mut bytes = workbook(
            &[header(&["Host", "Cluster", "# CPU", "Cores per CPU", "# Memory"]), header(&["esx1", "c", "2", "16", "785059"])],
            &[header(&["VM", "Powerstate", "Memory", "Host"]), header(&["vm1", "poweredOn", "4096", "esx1"])],
        );
        let len = bytes.len();
        bytes[at % len] = byte;
        if let Err(d) = import_rvtools_xlsx("x.xlsx", &bytes, opts(), &BOOKS) {
            prop_assert!(!d.0.is_empty());
        }
    }

    /// Arbitrary cells under real headers, in a workbook and in a CSV folder: an estate or
    /// diagnostics naming the file, never a panic.
    #[test]
    fn arbitrary_cells_never_panic(
        hosts in proptest::collection::vec(proptest::collection::vec("[0-9a-zA-Z .,;\"-]{0,8}", 0..7), 0..6),
        vms in proptest::collection::vec(proptest::collection::vec("[0-9a-zA-Z .,;\"-]{0,8}|poweredOn|poweredOff|True", 0..7), 0..6),
    ) {
        let mut vhost = vec![header(&["Host", "Cluster", "# CPU", "Cores per CPU", "# Cores", "# Memory", "in Maintenance Mode"])];
        vhost.extend(hosts.iter().cloned());
        let mut vinfo = vec![header(&["VM", "Powerstate", "Template", "SRM Placeholder", "Memory", "Host", "Cluster"])];
        vinfo.extend(vms.iter().cloned());
        match import_rvtools_xlsx("x.xlsx", &workbook(&vhost, &vinfo), opts(), &BOOKS) {
            Ok(i) => prop_assert!(!i.estate.clusters.is_empty()),
            Err(d) => prop_assert!(d.0.iter().all(|x| x.file == "x.xlsx")),
        }
        let csv = |rows: &[Vec<String>]| {
            rows.iter()
                .map(|r| r.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let files = [
            SourceFile::new("d/RVTools_tabvHost.csv", csv(&vhost)),
            SourceFile::new("d/RVTools_tabvInfo.csv", csv(&vinfo)),
        ];
        if let Err(d) = import_rvtools_csv("d", &files, opts(), &BOOKS) {
            prop_assert!(d.0.iter().all(|x| x.file.starts_with("d")));
        }
    }

    /// Arbitrary text as the tab CSVs.
    #[test]
    fn arbitrary_csv_text_never_panics(a in "[a-zA-Z0-9#,;\t\"\n .-]{0,300}", b in "[a-zA-Z0-9#,;\t\"\n .-]{0,300}") {
        let files = [
            SourceFile::new("RVTools_tabvHost.csv", format!("Host,# CPU,Cores per CPU\n{a}")),
            SourceFile::new("RVTools_tabvInfo.csv", format!("VM,Powerstate,Memory,Host\n{b}")),
        ];
        let _ = import_rvtools_csv("d", &files, opts(), &BOOKS);
        let _ = import_rvtools_csv("d", &files[1..], opts(), &BOOKS);
        let _ = import_rvtools_csv("d", &[SourceFile::new("RVTools_tabvHost.csv", a)], opts(), &BOOKS);
    }
}

#[test]
fn workbook_reader_reads_numbers_stored_as_text_and_tab_sheet_names() {
    // Old .xls-era sheet names (`tabvHost`) and numbers stored as text with separators.
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("tabvHost").expect("name");
    let rows = [
        ["Host", "Cluster", "# CPU", "Cores per CPU", "# Memory"],
        ["esx1", "c", "2", "18", "785,059"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet
                .write_string(
                    u32::try_from(r).expect("row"),
                    u16::try_from(c).expect("col"),
                    *v,
                )
                .expect("cell");
        }
    }
    let bytes = wb.save_to_buffer().expect("workbook");
    let i = import_rvtools_xlsx("t.xlsx", &bytes, opts(), &BOOKS).expect("imports");
    assert_eq!(
        i.estate.clusters,
        vec![cluster("c", 1, (2, 18), Some(768), None, None, None)]
    );
}

/// The README's import walkthrough shows real output: every line of its `text` blocks (but
/// the `…` elisions) appears in what the three commands print or write.
#[test]
fn the_readme_walkthrough_shows_real_output() {
    let readme = std::fs::read_to_string(tests_dir().join("../README.md")).expect("README");
    let (_, walkthrough) = readme
        .split_once("A walkthrough on the synthetic 4.x workbook")
        .expect("the README has the import walkthrough");
    let walkthrough = walkthrough.split("\n### ").next().unwrap_or_default();
    let shown: Vec<&str> = walkthrough
        .split("```text\n")
        .skip(1)
        .filter_map(|b| b.split_once("\n```").map(|(body, _)| body))
        .collect();
    assert_eq!(
        shown.len(),
        3,
        "summary, provenance, quote and compare blocks"
    );
    let fixture = fixtures().join("rvtools-4x.xlsx");
    let r = import(&fixture);
    let quote = cli(&["quote", &r.path]);
    let compare = cli(&["compare", &r.path]);
    assert_eq!(compare.code, 0, "{}", compare.stderr);
    let all = format!("{}{}{}{}", r.summary, r.text, quote.out(), compare.out()).replace(
        &fixture.display().to_string(),
        "tests/fixtures/import/rvtools-4x.xlsx",
    );
    for block in shown {
        for line in block.lines().filter(|l| l.trim() != "…") {
            assert!(
                all.contains(line),
                "README line not in the real output:\n{line}"
            );
        }
    }
}

/// `hypercost import rvtools ARG --hosts HOSTS -o estate.toml --summary --date DATE`.
fn import_with_hosts(arg: &Path, hosts: &Path) -> (u8, String, String, TempDir) {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("estate.toml");
    let run = cli(&[
        "import",
        "rvtools",
        &arg.display().to_string(),
        "--hosts",
        &hosts.display().to_string(),
        "-o",
        &out.display().to_string(),
        "--summary",
        "--date",
        DATE,
    ]);
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    (run.code, text, format!("{}{}", run.out(), run.stderr), dir)
}

#[test]
fn hosts_file_supplies_the_facts_of_an_export_without_vhost() {
    let hosts = fixtures().join("rvtools-no-vhost-hosts.csv");
    for arg in ["rvtools-no-vhost.xlsx", "rvtools-no-vhost"] {
        let (code, text, summary, dir) = import_with_hosts(&fixtures().join(arg), &hosts);
        assert_eq!(code, 0, "{summary}");
        let estate =
            parse_estate(&SourceFile::new("estate.toml", text.clone()), &BOOKS).expect("parses");
        assert_eq!(
            estate.clusters,
            vec![
                // esx-n3.example.test (row 4: 1 × 12 cores, 191.7 GiB → 192), no cluster; b1
                // 4 GiB on.
                with_vcpus(
                    cluster(
                        "standalone / 1×12c 192 GiB",
                        1,
                        (1, 12),
                        Some(192),
                        Some(1),
                        Some("4"),
                        None
                    ),
                    2
                ),
                // ESX-N1.example.test (row 2, any case) and esx-n2 (row 3, short name of
                // esx-n2.example.test): 2 × 24 cores, 767.6 GiB → 768; esx-n4 (row 5) runs no
                // VM, so vInfo does not list it: added with 0 VMs. a1 8 + a2 8 GiB on, a3 off,
                // tmpl-a not a VM: 16 GiB ÷ 3 VMs = 5.33… rounded up to 5.34.
                with_vcpus(
                    cluster("prod", 3, (2, 24), Some(768), Some(3), Some("5.34"), None),
                    4
                ),
            ]
        );
        // Hand count under the 16-core-per-CPU floor: prod 3 hosts × 2 sockets × 24 = 144,
        // standalone 1 × 1 × 16 (12 lifted to 16) = 16: 160. Physical: 144 + 12 = 156 cores
        // on 6 + 1 = 7 sockets, 4 hosts.
        assert_counts(&summary, 4, 7, 156, 160);
        assert!(!summary.contains("PLACEHOLDER"), "{summary}");
        assert!(
            summary.contains("run no VM in vInfo (esx-n4.example.test): added with 0 VMs"),
            "{summary}"
        );
        assert!(!text.contains("host facts missing"), "{text}");
        assert!(
            text.contains("their facts come from the hosts file `")
                && text.contains(
                    "rvtools-no-vhost-hosts.csv` (given with --hosts; 4 host rows, rows 2–5)"
                ),
            "{text}"
        );
        assert!(
            text.contains("sockets_per_host ← `NUM_CPU_SOCKETS`; cores_per_socket ← `NUM_CPU_CORES_PER_SOCKET`; ram_gb_per_host ← `MemoryTotalGB`"),
            "{text}"
        );
        assert!(text.contains("# Hosts matched: 3 of 3 in vInfo"), "{text}");
        assert!(
            text.contains(
                "#   prod: 3 host(s) ← `rvtools-no-vhost-hosts.csv` rows 2–3, 5; vInfo rows 2–4"
            ),
            "{text}"
        );
        let q = cli(&[
            "quote",
            &dir.path().join("estate.toml").display().to_string(),
        ]);
        assert!(q.code <= 1, "{}", q.stderr);
    }
}

#[test]
fn hosts_missing_from_the_hosts_file_stay_placeholders_with_a_warning() {
    let dir = TempDir::new().expect("temp dir");
    // esx-n3 is left out; esx-n1 is given by its short name.
    let hosts = dir.path().join("hosts.csv");
    std::fs::write(
        &hosts,
        "VMHOST;NUM_CPU_SOCKETS;NUM_CPU_CORES_PER_SOCKET\nesx-n1;2;24\nesx-n2.example.test;2;24\n",
    )
    .expect("write");
    let (code, text, summary, _d) = import_with_hosts(&fixtures().join("rvtools-no-vhost"), &hosts);
    assert_eq!(code, 0, "{summary}");
    let estate =
        parse_estate(&SourceFile::new("estate.toml", text.clone()), &BOOKS).expect("parses");
    assert_eq!(
        estate.clusters,
        vec![
            with_vcpus(
                cluster(
                    "standalone / host facts missing (2×16c placeholder)",
                    1,
                    (2, 16),
                    None,
                    Some(1),
                    Some("4"),
                    None
                ),
                2
            ),
            // No RAM column in this hosts file: no ram_gb_per_host.
            with_vcpus(
                cluster("prod", 2, (2, 24), None, Some(3), Some("5.34"), None),
                4
            ),
        ]
    );
    // 2 × 2 × 24 = 96 + the placeholder 1 × 2 × 16 = 32: 128, as physical.
    assert_counts(&summary, 3, 6, 128, 128);
    assert!(
        summary.contains(
            "no vHost tab, and 1 of the 3 hosts are not in this hosts file (esx-n3.example.test)"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("PLACEHOLDER 2×16 cores (no socket/core data): esx-n3.example.test"),
        "{summary}"
    );
    assert!(text.contains("# Hosts matched: 2 of 3 in vInfo"), "{text}");
}

#[test]
fn hosts_file_is_refused_when_the_export_has_vhost() {
    let (code, _, out, _d) = import_with_hosts(
        &fixtures().join("rvtools-4x.xlsx"),
        &fixtures().join("rvtools-no-vhost-hosts.csv"),
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("a hosts file supplies host facts only for an RVTools export without vHost"),
        "{out}"
    );
    assert!(out.contains("leave the hosts file out (--hosts)"), "{out}");
}

#[test]
fn bad_cells_of_the_hosts_file_exit_2_naming_row_and_column() {
    let dir = TempDir::new().expect("temp dir");
    let hosts = dir.path().join("hosts.csv");
    std::fs::write(
        &hosts,
        "VMHOST,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\nesx-n1,2,24\nesx-n2,two,24\n",
    )
    .expect("write");
    let (code, _, out, _d) = import_with_hosts(&fixtures().join("rvtools-no-vhost.xlsx"), &hosts);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("row 3, column `NUM_CPU_SOCKETS`"), "{out}");
    assert!(out.contains("`two` is not a whole number"), "{out}");
}

#[test]
fn a_host_only_in_the_hosts_file_joins_its_vsphere_cluster() {
    // Issue 14: the hosts file names no vCenter; esx-n4 (maintenance mode) runs no VM, so only
    // this file lists it. It belonged to `prod` of vc3.example.test, as vInfo's hosts do; it
    // became a cluster `prod` beside `vc3.example.test: prod`.
    let dir = TempDir::new().expect("temp dir");
    let hosts = dir.path().join("hosts.csv");
    std::fs::write(
        &hosts,
        "VMHOST,CLUSTER,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET,MemoryTotalGB,InMaintenanceMode\n\
         esx-n1.example.test,prod,2,24,767.6,False\n\
         esx-n2.example.test,prod,2,24,767.6,False\n\
         esx-n3.example.test,,1,12,191.7,False\n\
         esx-n4.example.test,PROD,2,24,767.6,True\n",
    )
    .expect("write");
    let (code, text, summary, _d) = import_with_hosts(&fixtures().join("rvtools-no-vhost"), &hosts);
    assert_eq!(code, 0, "{summary}");
    let estate =
        parse_estate(&SourceFile::new("estate.toml", text.clone()), &BOOKS).expect("parses");
    let names: Vec<&str> = estate.clusters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["standalone / 1×12c 192 GiB", "prod"], "{text}");
    assert_eq!(estate.clusters[1].hosts, 3, "esx-n1, esx-n2 and esx-n4");
    assert!(
        text.contains("# In maintenance mode (counted for licensing): esx-n4.example.test."),
        "{text}"
    );
}

#[test]
fn a_hosts_file_cluster_in_several_vcenters_without_a_vcenter_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    let export = dir.path().join("export");
    std::fs::create_dir(&export).expect("folder");
    std::fs::write(
        export.join("RVTools_tabvInfo.csv"),
        "VM,Powerstate,Memory,Host,Cluster,VI SDK Server\n\
         a1,poweredOn,8192,e1,prod,vc1\n\
         b1,poweredOn,8192,f1,prod,vc2\n",
    )
    .expect("write");
    let hosts = dir.path().join("hosts.csv");
    std::fs::write(
        &hosts,
        "VMHOST,CLUSTER,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\n\
         e1,prod,2,16\nf1,prod,2,16\ne2,prod,2,16\n",
    )
    .expect("write");
    let (code, _, out, _d) = import_with_hosts(&export, &hosts);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("host `e2`: cluster `prod` is in several vCenters of vInfo (vc1, vc2)"),
        "{out}"
    );
    assert!(out.contains("row 4, column `CLUSTER`"), "{out}");
    assert!(out.contains("add a VCENTER column"), "{out}");
}

#[test]
fn windows_vms_counts_windows_server_guests_by_the_tools_os_else_the_configured_one() {
    let dir = TempDir::new().expect("temp dir");
    let export = dir.path().join("export");
    std::fs::create_dir(&export).expect("folder");
    let os = |config: &str, tools: &str| format!("{config},{tools}");
    let rows = [
        ("s19", os("Microsoft Windows Server 2019 (64-bit)", "")),
        ("s22", os("", "Microsoft Windows Server 2022 (64-bit)")),
        (
            "s25",
            os(
                "Microsoft Windows Server 2025 (64-bit)",
                "Microsoft Windows Server 2025 (64-bit)",
            ),
        ),
        // Windows client guests: not Windows Server licences' business.
        ("w10", os("Microsoft Windows 10 (64-bit)", "")),
        (
            "w11",
            os(
                "Microsoft Windows 11 (64-bit)",
                "Microsoft Windows 11 (64-bit)",
            ),
        ),
        ("lx", os("Ubuntu Linux (64-bit)", "Ubuntu 24.04 LTS")),
        ("none", os("", "")),
        // Disagreeing: upgraded in place; Tools reports what runs.
        (
            "upg",
            os(
                "Microsoft Windows Server 2016 (64-bit)",
                "Red Hat Enterprise Linux 9 (64-bit)",
            ),
        ),
        (
            "upg2",
            os(
                "Other Linux (64-bit)",
                "Microsoft Windows Server 2022 (64-bit)",
            ),
        ),
    ];
    let mut csv = "VM,Powerstate,Memory,Host,Cluster,OS according to the configuration file,\
                   OS according to the VMware Tools\n"
        .to_owned();
    for (i, (name, os)) in rows.iter().enumerate() {
        // Powered-off VMs count as VMs, and so as Windows VMs.
        let power = if i % 2 == 0 {
            "poweredOn"
        } else {
            "poweredOff"
        };
        csv.push_str(&format!("{name},{power},4096,e1,prod,{os}\n"));
    }
    std::fs::write(export.join("RVTools_tabvInfo.csv"), csv).expect("write");
    let r = import(&export);
    assert_eq!(r.estate.clusters.len(), 1);
    let c = &r.estate.clusters[0];
    assert_eq!(c.vms, Some(9));
    // s19, s22, s25, upg2.
    assert_eq!(c.windows_vms, Some(4));
    assert!(
        r.text
            .contains("OS: 4 Windows Server, 2 Windows client, 2 other, 1 unknown"),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(
            "# windows_vms ← the VMs above whose guest OS (`OS according to the VMware Tools`, \
             else `OS according to the configuration file`) is Windows Server"
        ),
        "{}",
        r.text
    );
}

#[test]
fn without_a_guest_os_column_windows_vms_is_left_out_and_said_so() {
    let dir = TempDir::new().expect("temp dir");
    let export = dir.path().join("export");
    std::fs::create_dir(&export).expect("folder");
    std::fs::write(
        export.join("RVTools_tabvInfo.csv"),
        "VM,Powerstate,Memory,Host,Cluster\na1,poweredOn,8192,e1,prod\n",
    )
    .expect("write");
    let r = import(&export);
    assert_eq!(r.estate.clusters[0].windows_vms, None);
    assert!(
        r.text
            .contains("vInfo has no guest OS column: windows_vms is left out"),
        "{}",
        r.text
    );
}
