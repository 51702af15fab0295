//! `hypercost import`: synthetic inventory CSVs → estates, asserted field by field, then quoted.

use hypercost_core::estate::Cluster;
use hypercost_core::{SourceFile, parse_estate};
use tempfile::TempDir;

use crate::support::{BOOKS, cli, tests_dir};

fn fixture(name: &str) -> String {
    tests_dir()
        .join("fixtures/import")
        .join(name)
        .display()
        .to_string()
}

fn cluster(
    name: &str,
    hosts: u32,
    sockets: u32,
    cps: u32,
    ram: Option<u32>,
    vms: Option<u32>,
    group: Option<&str>,
) -> Cluster {
    Cluster {
        name: name.to_owned(),
        hosts,
        sockets_per_host: sockets,
        cores_per_socket: cps,
        ram_gb_per_host: ram,
        vms,
        vm_ram_gb: None,
        needs: Vec::new(),
        windows_vms: None,
        vsan_tib: None,
        vcpus: None,
        group: group.map(str::to_owned),
    }
}

/// Imports `fixture` with `kind`, checks exit 0, and returns the estate text and stdout.
fn import(kind: &str, fixture_name: &str, dir: &TempDir) -> (String, String, String) {
    let out = dir.path().join("estate.toml");
    let out_s = out.display().to_string();
    let run = cli(&[
        "import",
        kind,
        &fixture(fixture_name),
        "-o",
        &out_s,
        "--summary",
        "--date",
        "2026-11-25",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&out).expect("estate written");
    (text, run.out(), out_s)
}

#[test]
fn semicolon_hosts_csv_becomes_clusters_of_identical_hosts() {
    let dir = TempDir::new().expect("temp dir");
    let (text, summary, path) = import("hosts", "hosts-semicolon.csv", &dir);
    let estate = parse_estate(&SourceFile::new("estate.toml", text.clone()), &BOOKS)
        .expect("the written estate parses");
    assert_eq!(estate.name, "Imported from hosts-semicolon.csv");
    assert_eq!(estate.currency, "USD");
    assert_eq!(estate.purchase_date.to_string(), "2026-11-25");
    assert_eq!(estate.years, 3);
    // `# Memory` in MiB with `.` thousands separators, rounded up to 16 GiB:
    // 785.059 / 784.897 / 785.058 MiB → 768; 327.570 → 320; 131.012 → 128; 262.098 → 256.
    assert_eq!(
        estate.clusters,
        vec![
            cluster(
                "standalone / 1×10c 128 GiB",
                1,
                1,
                10,
                Some(128),
                Some(8),
                None
            ),
            cluster("dev", 1, 2, 8, Some(256), Some(12), None),
            cluster(
                "prod / 2×12c 320 GiB",
                1,
                2,
                12,
                Some(320),
                Some(20),
                Some("prod")
            ),
            // esx-a3 is in maintenance mode: counted.
            cluster(
                "prod / 2×16c 768 GiB",
                3,
                2,
                16,
                Some(768),
                Some(75),
                Some("prod")
            ),
        ]
    );
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
    // Proxmox prices in EUR: the import states an illustrative rate so the quote runs.
    let costs = estate.costs.as_ref().expect("[costs] fx");
    assert_eq!(
        costs.fx.get("EUR").map(ToString::to_string).as_deref(),
        Some("1.08")
    );
    assert!(text.contains("ILLUSTRATIVE EUR rate"));
    assert!(estate.scenarios.iter().all(|s| s.plans.len() == 4));
    assert!(text.contains("hosts-semicolon.csv`: 6 host rows (rows 2–7), `;` separator"));
    assert!(text.contains("In maintenance mode (counted for licensing): esx-a3.example.test."));
    assert!(text.contains("Standalone hosts (kept as their own clusters): esx-s1.example.test."));

    // Hand count under the 16-core-per-CPU floor (sockets × max(cores per socket, 16)):
    //   standalone 1 host × 1 socket × 16 (10 cores lifted to 16) =  16
    //   dev        1 × 2 × 16 (8 → 16)                              =  32
    //   prod 2×12c 1 × 2 × 16 (12 → 16)                             =  32
    //   prod 2×16c 3 × 2 × 16                                       =  96
    //                                                          total = 176
    // Physical cores: 10 + 16 + 24 + 96 = 146; sockets 1 + 2 + 2 + 6 = 11.
    assert!(summary.contains("hosts            6"), "{summary}");
    assert!(summary.contains("sockets          11"), "{summary}");
    assert!(summary.contains("cores            146"), "{summary}");
    assert!(summary.contains("16-core-per-CPU floor: 176"), "{summary}");
    assert!(
        summary.contains("unknown columns ignored: Backup status"),
        "{summary}"
    );
    assert!(summary.contains("in maintenance mode (counted): esx-a3.example.test"));

    let q = cli(&["quote", &path]);
    assert_eq!(q.code, 0, "{}", q.stderr);
    let json = cli(&["quote", &path, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert!(json.out().contains("VMware Cloud Foundation (VCF)"));
}

#[test]
fn broadcom_cluster_csv_becomes_one_cluster_per_row() {
    let dir = TempDir::new().expect("temp dir");
    let (text, summary, path) = import("cluster-csv", "broadcom-clusters.csv", &dir);
    let estate = parse_estate(&SourceFile::new("estate.toml", text), &BOOKS)
        .expect("the written estate parses");
    assert_eq!(
        estate.clusters,
        vec![
            cluster("HCI1", 5, 2, 18, None, None, None),
            cluster("HCI1_8C", 2, 1, 8, None, None, None),
            cluster("edge, branch", 1, 1, 12, None, None, None),
        ]
    );
    // 5×2×18 + 2×1×16 + 1×1×16 = 180 + 32 + 16 = 228 (physical 180 + 16 + 12 = 208).
    assert!(summary.contains("cores            208"), "{summary}");
    assert!(summary.contains("16-core-per-CPU floor: 228"), "{summary}");
    let q = cli(&["quote", &path]);
    assert_eq!(q.code, 0, "{}", q.stderr);
}

#[test]
fn bad_cells_are_named_by_file_row_and_column_with_exit_2() {
    let dir = TempDir::new().expect("temp dir");
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "VMHOST;CLUSTER;NUM_CPU_SOCKETS;NUM_CPU_CORES_PER_SOCKET\nesx1;c;2;16\nesx2;c;two;16\n",
    )
    .expect("write");
    let run = cli(&["import", "hosts", &file.display().to_string()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.csv:3:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("row 3, column `NUM_CPU_SOCKETS`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`two` is not a whole number"),
        "{}",
        run.stderr
    );
}

#[test]
fn fx_rate_given_on_import_replaces_the_illustrative_one_and_prices_proxmox() {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("estate.toml");
    let out_s = out.display().to_string();
    let run = cli(&[
        "import",
        "hosts",
        &fixture("hosts-semicolon.csv"),
        "-o",
        &out_s,
        "--date",
        "2026-11-25",
        "--fx",
        "EUR=1.09",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&out).expect("estate written");
    assert!(text.contains("fx = { EUR = \"1.09\" }"), "{text}");
    assert!(
        text.contains("fx_source = \"EUR given with --fx on import, 2026-11-25\""),
        "{text}"
    );
    assert!(!text.contains("ILLUSTRATIVE"), "{text}");
    assert!(
        text.contains(
            "Proxmox VE Standard subscription (priced in EUR at USD 1.09 per EUR, given with --fx)"
        ),
        "{text}"
    );
    let estate = parse_estate(&SourceFile::new("estate.toml", text), &BOOKS).expect("parses");
    let costs = estate.costs.as_ref().expect("[costs]");
    assert_eq!(
        costs.fx.get("EUR").map(ToString::to_string).as_deref(),
        Some("1.09")
    );
    assert_eq!(
        costs.fx_date.map(|d| d.to_string()).as_deref(),
        Some("2026-11-25")
    );
    // The quote converts Proxmox at 1.09: Proxmox VE Standard is EUR 540.00 per CPU socket
    // a year; the prod 2×16c cluster has 3 hosts × 2 sockets = 6 sockets, so year 1 is
    // 6 × 540.00 × 1.09 = 6 × 588.60 = USD 3,531.60.
    let json = cli(&["quote", &out_s, "--format", "json"]);
    assert!(json.code <= 1, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.out()).expect("quote JSON");
    let proxmox = v["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .find(|s| s["name"] == "Proxmox VE Standard subscription")
        .expect("Proxmox scenario");
    let line = proxmox["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["cluster"] == "prod / 2×16c 768 GiB" && l["year"] == 1)
        .expect("prod year-1 line");
    assert_eq!(line["quantity"], "6");
    assert_eq!(line["fx"]["unit_price"], "540.00");
    assert_eq!(line["fx"]["rate"], "1.09");
    assert_eq!(line["unit_price"], "588.60");
    assert_eq!(line["amount"], "3531.60");
}

#[test]
fn fx_for_a_currency_no_starter_uses_is_written_with_a_warning() {
    let dir = TempDir::new().expect("temp dir");
    let out = dir.path().join("estate.toml");
    let out_s = out.display().to_string();
    let run = cli(&[
        "import",
        "cluster-csv",
        &fixture("broadcom-clusters.csv"),
        "-o",
        &out_s,
        "--date",
        "2026-11-25",
        "--fx",
        "GBP=1.27",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no starter scenario is priced in GBP: GBP=1.27 is written to [costs] fx"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(&out).expect("estate written");
    // EUR keeps its illustrative rate, said so; GBP is the user's.
    assert!(
        text.contains("fx = { EUR = \"1.08\", GBP = \"1.27\" }"),
        "{text}"
    );
    assert!(
        text.contains("fx_source = \"ILLUSTRATIVE EUR rate"),
        "{text}"
    );
    assert!(
        text.contains("; GBP given with --fx on import, 2026-11-25\""),
        "{text}"
    );
    assert!(
        text.contains("# [costs] fx also holds USD 1.27 per GBP, given with --fx"),
        "{text}"
    );
    parse_estate(&SourceFile::new("estate.toml", text), &BOOKS).expect("parses");
}

#[test]
fn bad_fx_values_exit_2_naming_the_option() {
    for (value, says) in [
        ("EUR", "is not CUR=RATE"),
        ("EUR=abc", "`abc` is not a rate"),
        ("EUR=-1", "`-1` is not a rate"),
        ("EUR=0", "`0` is not a rate"),
        ("EUR=1e3", "`1e3` is not a rate"),
        ("eur=1.1", "`eur` is not a currency code"),
        ("EURO=1.1", "`EURO` is not a currency code"),
        ("USD=1", "USD is the estate currency"),
    ] {
        for kind in ["hosts", "cluster-csv", "rvtools"] {
            let run = cli(&[
                "import",
                kind,
                &fixture("hosts-semicolon.csv"),
                &format!("--fx={value}"),
            ]);
            assert_eq!(run.code, 2, "{kind} --fx {value}: {}", run.stderr);
            assert!(run.stderr.contains("--fx"), "{value}: {}", run.stderr);
            assert!(run.stderr.contains(says), "{value}: {}", run.stderr);
            assert!(run.out().is_empty(), "{value}");
        }
    }
    let twice = cli(&[
        "import",
        "hosts",
        &fixture("hosts-semicolon.csv"),
        "--fx",
        "EUR=1.09",
        "--fx",
        "EUR=1.1",
    ]);
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    assert!(
        twice.stderr.contains("--fx EUR is given twice"),
        "{}",
        twice.stderr
    );
}
