//! `cargo bench -p hypercost-core`: quote of the embedded example, and of a generated estate of
//! 1,000 clusters × 10 scenarios × 5 years (plus parsing it, since users pay for both), the
//! scaling of quote and validation at 1,000 / 4,000 / 16,000 clusters,
//! `cheapest` for 100 clusters, the what-if sweeps (points per second) and sensitivity of the
//! example, and `schedule` of 20 moving clusters over 36 months.

#![allow(missing_docs, reason = "criterion macros generate undocumented items")]

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hypercost_core::analysis::cheapest::{Search, cheapest};
use hypercost_core::analysis::schedule::{self, Objective};
use hypercost_core::analysis::sensitivity::{Options, sensitivity};
use hypercost_core::analysis::sweep::SweepPlan;
use hypercost_core::analysis::uncertainty;
use hypercost_core::import::{ImportOptions, import_hosts};
use hypercost_core::{Date, PricebookSet, SourceFile, example_estate, parse_estate, quote};

/// A large estate: every metric path of the 2009 books, owned licences, add-ons.
fn generated_estate(clusters: usize, scenarios: usize) -> SourceFile {
    let mut t = String::from(
        "format = 1\nname = \"generated\"\ncurrency = \"USD\"\npurchase_date = 2009-11-02\nyears = 5\n",
    );
    for i in 0..clusters {
        let _ = write!(
            t,
            "\n[[cluster]]\nname = \"c{i}\"\nhosts = {}\nsockets_per_host = {}\ncores_per_socket = {}\nram_gb_per_host = 128\nvms = {}\nneeds = [\"live-migration\", \"ha\"]\n",
            2 + i % 30,
            1 + i % 4,
            2 + i % 12,
            10 + i % 200
        );
    }
    t.push_str("\n[[owned]]\nlicence = \"vmware-vi3/enterprise\"\nquantity = 2000\nsupport_active = true\n");
    let editions = [
        (
            "vmware-vsphere-4.0/enterprise-plus",
            "support = \"production\"\naddons = [\"cisco-nexus-1000v-2009/nexus-1000v\"]\nuse_owned = true",
        ),
        ("vmware-vsphere-4.0/advanced", "support = \"production\""),
        (
            "vmware-vsphere-4.0/essentials-plus",
            "support = \"production\"",
        ),
        ("citrix-xenserver-5.5/essentials-enterprise", ""),
        ("microsoft-hyperv-2008r2/windows-server-enterprise", ""),
    ];
    for s in 0..scenarios {
        let _ = write!(t, "\n[[scenario]]\nname = \"s{s}\"\n");
        for i in 0..clusters {
            let (edition, extra) = editions[(s + i) % editions.len()];
            let _ = write!(
                t,
                "[[scenario.plan]]\ncluster = \"c{i}\"\nedition = \"{edition}\"\n{extra}\n"
            );
        }
    }
    SourceFile::new("generated.toml", t)
}

fn bench(c: &mut Criterion) {
    let books = PricebookSet::bundled().expect("bundled pricebooks");
    let example = parse_estate(&example_estate(), &books).expect("example");
    c.bench_function("quote example (1 cluster × 5 scenarios × 3 years)", |b| {
        b.iter(|| quote(black_box(&example), black_box(&books)))
    });

    let big_file = generated_estate(1000, 10);
    let big = parse_estate(&big_file, &books).expect("generated estate");
    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    g.bench_function("quote 1,000 clusters × 10 scenarios × 5 years", |b| {
        b.iter(|| quote(black_box(&big), black_box(&books)))
    });
    g.bench_function("parse + validate the same estate", |b| {
        b.iter(|| parse_estate(black_box(&big_file), black_box(&books)))
    });
    // Every edition × support × add-on of every book on sale, quoted for each cluster.
    let hundred = parse_estate(&generated_estate(100, 1), &books).expect("generated estate");
    let search = Search {
        vendors: Vec::new(),
        top: 3,
    };
    g.bench_function("cheapest 100 clusters (all vendors, 2009-11-02)", |b| {
        b.iter(|| cheapest(black_box(&hundred), black_box(&books), black_box(&search)))
    });
    g.finish();

    // Scaling (issue 13): quote and validate at 1,000 / 4,000 / 16,000 clusters, one scenario,
    // 5 years. Linear means 16,000 within about 16× (target: within 20×) of 1,000.
    let mut sc = c.benchmark_group("scaling");
    sc.sample_size(10);
    for n in [1_000, 4_000, 16_000] {
        let file = generated_estate(n, 1);
        let estate = parse_estate(&file, &books).expect("generated estate");
        sc.throughput(Throughput::Elements(n as u64));
        sc.bench_function(format!("quote {n} clusters"), |b| {
            b.iter(|| quote(black_box(&estate), black_box(&books)))
        });
        sc.bench_function(format!("validate {n} clusters"), |b| {
            b.iter(|| parse_estate(black_box(&file), black_box(&books)))
        });
        // One bad field in the last cluster: every problem found, none quadratic.
        let bad = SourceFile::new(
            "bad.toml",
            file.text.replacen(
                &format!("name = \"c{}\"\nhosts = ", n - 1),
                &format!("name = \"c{}\"\nhosts = 9999999", n - 1),
                1,
            ),
        );
        sc.bench_function(format!("validate {n} clusters, one bad field"), |b| {
            b.iter(|| parse_estate(black_box(&bad), black_box(&books)))
        });
    }
    // A per-host CSV (the densest import: every row a host) at 10,000 / 40,000 / 160,000
    // rows, 500 clusters: line numbers were once counted from the file's start for every row.
    for n in [10_000, 40_000, 160_000] {
        let mut csv = String::from("Host;Cluster;# CPU;Cores per CPU;# Memory;# VMs\n");
        for i in 0..n {
            let _ = writeln!(csv, "esx-{i}.example.test;c{};2;16;785059;40", i % 500);
        }
        let file = SourceFile::new("hosts.csv", csv);
        let options = ImportOptions::new(Date::new(2026, 11, 25).expect("a date"));
        sc.throughput(Throughput::Elements(n as u64));
        sc.bench_function(format!("import {n} hosts"), |b| {
            b.iter(|| import_hosts(black_box(&file), options, black_box(&books)))
        });
    }
    sc.finish();

    // What-if: a sweep point is a full quote of the changed estate.
    let mut w = c.benchmark_group("what-if");
    let hosts = SweepPlan::new(&example, &books, &["hosts=1..100"]).expect("sweep");
    w.throughput(Throughput::Elements(hosts.len() as u64));
    w.bench_function("sweep example hosts=1..100 (100 points)", |b| {
        b.iter(|| black_box(&hosts).run(black_box(&books)))
    });
    let grid =
        SweepPlan::new(&example, &books, &["hosts=1..10", "cores_per_socket=1..10"]).expect("grid");
    w.throughput(Throughput::Elements(grid.len() as u64));
    w.bench_function("sweep example 10 × 10 grid (100 points)", |b| {
        b.iter(|| black_box(&grid).run(black_box(&books)))
    });
    // The compiled evaluator beside the old path (a full quote per point), on the same grids:
    // an arithmetic 100 × 100 grid (discount and escalation) and a structural line (hosts).
    let arithmetic = SweepPlan::new(
        &example,
        &books,
        &[
            "discount.vmware=0..0.99:0.01",
            "escalation_per_year=0..0.99:0.01",
        ],
    )
    .expect("grid");
    let quoted = |plan: &SweepPlan| -> usize {
        (0..plan.len())
            .map(|i| quote(&plan.estate_at(i), &books).scenarios.len())
            .sum()
    };
    w.sample_size(10);
    w.throughput(Throughput::Elements(arithmetic.len() as u64));
    w.bench_function(
        "sweep example discount × escalation 100 × 100, compiled",
        |b| b.iter(|| black_box(&arithmetic).run(black_box(&books))),
    );
    w.bench_function(
        "sweep example discount × escalation 100 × 100, quote per point",
        |b| b.iter(|| quoted(black_box(&arithmetic))),
    );
    w.throughput(Throughput::Elements(hosts.len() as u64));
    w.bench_function("sweep example hosts=1..100, quote per point", |b| {
        b.iter(|| quoted(black_box(&hosts)))
    });
    let hundred = parse_estate(&generated_estate(100, 10), &books).expect("valid");
    let wide = SweepPlan::new(
        &hundred,
        &books,
        &["c7.hosts=1..30", "discount.vmware=0..0.99:0.01"],
    )
    .expect("grid");
    w.throughput(Throughput::Elements(wide.len() as u64));
    w.bench_function(
        "sweep 100 clusters × 10 scenarios, hosts × discount 30 × 100, compiled",
        |b| b.iter(|| black_box(&wide).run(black_box(&books))),
    );
    // Uncertainty: 10,000 seeded draws of every uncertain price, each priced by the evaluator.
    let exit = parse_estate(
        &SourceFile::new(
            "exit-2026.toml",
            include_str!("../../examples/exit-2026.toml").to_owned(),
        ),
        &books,
    )
    .expect("valid");
    w.throughput(Throughput::Elements(10_000));
    w.bench_function("uncertainty exit-2026, 10,000 draws", |b| {
        b.iter(|| {
            uncertainty::uncertainty(black_box(&exit), &books, uncertainty::Options::default())
        })
    });
    w.bench_function("uncertainty example, 10,000 draws", |b| {
        b.iter(|| {
            uncertainty::uncertainty(black_box(&example), &books, uncertainty::Options::default())
        })
    });
    w.throughput(Throughput::Elements(1));
    w.bench_function("sensitivity example ±10 %", |b| {
        b.iter(|| sensitivity(black_box(&example), black_box(&books), &Options::default()))
    });
    w.finish();

    // The migration schedule: 20 clusters leaving one contract, each free to start in any of
    // 34 to 36 months, proven optimal: without a limit (total and NPV), and in the Americas,
    // where bridge renewals under 72 cores are topped up, at most 150 VMs a month.
    let fixture = |text: &str| {
        parse_estate(
            &SourceFile::new("twenty-moves.toml", text.to_owned()),
            &books,
        )
        .expect("valid")
    };
    let emea = fixture(include_str!(
        "../../tests/fixtures/schedule/twenty-moves-emea.toml"
    ));
    let americas = fixture(include_str!(
        "../../tests/fixtures/schedule/twenty-moves-americas.toml"
    ));
    let mut s = c.benchmark_group("schedule");
    s.sample_size(10);
    let runs = [
        (
            &emea,
            None,
            Objective::Total,
            "schedule 20 clusters × 36 months (total)",
        ),
        (
            &emea,
            None,
            Objective::Npv,
            "schedule 20 clusters × 36 months (npv)",
        ),
        (
            &americas,
            Some(150),
            Objective::Total,
            "schedule 20 clusters × 36 months, 72-core orders, ≤ 150 VMs a month (total)",
        ),
    ];
    for (estate, cap, objective, name) in runs {
        let options = schedule::Options {
            scenario: "move".into(),
            deadline: None,
            max_vms_per_month: cap,
            objective,
            node_limit: None,
        };
        s.bench_function(name, |b| {
            b.iter(|| schedule::schedule(black_box(estate), black_box(&books), &options))
        });
    }
    s.finish();

    // Reshape: 100 clusters × 6 editions over a 200-shape catalogue (issue 16: under 2 s).
    let shaped = parse_estate(
        &SourceFile::new(
            "bench-100x6.toml",
            include_str!("../../tests/fixtures/reshape/bench-100x6.toml"),
        ),
        &books,
    )
    .expect("valid");
    let catalogue = hypercost_core::hardware::parse_catalogue(&SourceFile::new(
        "bench-200.toml",
        include_str!("../../tests/fixtures/reshape/bench-200.toml"),
    ))
    .expect("valid");
    let mut r = c.benchmark_group("reshape");
    r.sample_size(10);
    let options = hypercost_core::analysis::reshape::Options {
        editions: Vec::new(),
        top: 3,
    };
    r.bench_function("reshape 100 clusters × 6 editions × 200 shapes", |b| {
        b.iter(|| {
            hypercost_core::analysis::reshape::reshape(
                black_box(&shaped),
                black_box(&books),
                &catalogue,
                &options,
            )
        })
    });
    r.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

/// The command's allocator (see `cli/src/main.rs`), so the figures are what users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
