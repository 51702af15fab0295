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
            "Proxmox VE Standard subscription",
            "Hyper-V on Windows Server 2022 Datacenter",
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
    assert!(text.contains("In maintenance mode (counted): esx-a3.example.test."));
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
