//! `hypercost reshape` end to end on the golden case `reshape-2026` (figures in its NOTES.md):
//! the estate `-o` writes re-prices through `quote` to the sum of each edition's best shapes,
//! and bad input is refused at its place with exit 2.

use serde_json::Value;

use crate::support::{Scratch, arg, cli, tests_dir};

fn case(file: &str) -> std::path::PathBuf {
    tests_dir().join("cases/reshape-2026").join(file)
}

/// The written estate: per edition one scenario, app and db on their cheapest shapes; `quote`
/// gives 238,440.00 + 99,680.00 for VCF and 47,337.60 + 39,478.40 for Proxmox VE, and each
/// equals the sum of the report's best options.
#[test]
fn the_written_estate_reprices_to_the_best_shapes() {
    let scratch = Scratch::new();
    let out = scratch.path().join("reshaped.toml");
    let (estate, hardware) = (case("estate.toml"), case("hardware.toml"));
    let run = cli(&[
        "reshape",
        arg(&estate),
        "--hardware",
        arg(&hardware),
        "--format",
        "json",
        "-o",
        arg(&out),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_slice(&run.stdout).expect("the report as JSON");
    let text = std::fs::read_to_string(&out).expect("the estate");
    assert!(text.contains("[scenario.plan.shape]"), "{text}");
    let q = cli(&["quote", arg(&out), "--format", "json"]);
    assert_eq!(q.code, 0, "{}", q.stderr);
    let quoted: Value = serde_json::from_slice(&q.stdout).expect("JSON");
    for (edition, want) in [
        ("vmware-vcf-2024/vcf", "338120.00"),
        ("proxmox-ve-2025/standard", "86816.00"),
    ] {
        let s = quoted["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .find(|s| s["name"] == format!("reshaped for {edition}"))
            .expect("the scenario");
        assert_eq!(s["total"], want, "{edition}");
        // The report's best option of each cluster for the edition adds up to it.
        let best: rust_decimal::Decimal = report["clusters"]
            .as_array()
            .expect("clusters")
            .iter()
            .map(|c| {
                let o = c["options"]
                    .as_array()
                    .expect("options")
                    .iter()
                    .find(|o| o["edition"] == edition)
                    .expect("a best option");
                o["total"]
                    .as_str()
                    .expect("text")
                    .parse::<rust_decimal::Decimal>()
                    .expect("money")
            })
            .sum();
        assert_eq!(best.to_string(), want);
    }
}

#[test]
fn bad_input_is_refused_at_its_place() {
    let scratch = Scratch::new();
    let estate = std::fs::read_to_string(case("estate.toml")).expect("estate");
    let no_vcpus = scratch.write("no-vcpus.toml", estate.replace("vcpus = 512\n", ""));
    let hardware = case("hardware.toml");
    let run = cli(&["reshape", arg(&no_vcpus), "--hardware", arg(&hardware)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("app.vcpus") && run.stderr.contains("gives no `vcpus`"),
        "{}",
        run.stderr
    );

    let euro = scratch.write(
        "euro.toml",
        std::fs::read_to_string(&hardware)
            .expect("catalogue")
            .replace("currency = \"USD\"", "currency = \"EUR\""),
    );
    let run = cli(&[
        "reshape",
        arg(&case("estate.toml")),
        "--hardware",
        arg(&euro),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("prices in EUR, the estate in USD"),
        "{}",
        run.stderr
    );

    let run = cli(&[
        "reshape",
        arg(&case("estate.toml")),
        "--edition",
        "vmware-vcf-2024/nope",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no edition `vmware-vcf-2024/nope`"),
        "{}",
        run.stderr
    );

    let broken = scratch.write("broken.toml", "format = 1\nid = \"x\"\n");
    let run = cli(&[
        "reshape",
        arg(&case("estate.toml")),
        "--hardware",
        arg(&broken),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("broken.toml"), "{}", run.stderr);
}
