//! A scenario that runs a cluster on other hosts (`[scenario.plan.shape]`, issue 16): it
//! prices exactly as an estate whose cluster and `[costs]` are those hosts, the other
//! scenarios keep the estate's hosts, and the file round-trips through the writer.

use super::*;
use crate::estate::write_estate;

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

const COSTS: &str = "[costs]\nhardware_per_host = \"9000\"\nwatts_per_host = \"400\"\nkwh_price = \"0.2\"\nfacilities_per_host_year = \"1000\"\n";

/// Two clusters, two scenarios: VVF on the estate's hosts, and VVF with `prod` on `shape`.
fn with_shape(shape: &str) -> String {
    format!(
        "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = 3\nregion = \"emea\"\n\
         [[cluster]]\nname = \"prod\"\nhosts = 6\nsockets_per_host = 2\ncores_per_socket = 8\nvms = 200\n\
         [[cluster]]\nname = \"dev\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 16\nvms = 20\n\
         {COSTS}\
         [[scenario]]\nname = \"as is\"\n\
         [[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vcf-2024/vvf\"\n\
         [[scenario.plan]]\ncluster = \"dev\"\nedition = \"vmware-vcf-2024/vvf\"\n\
         [[scenario]]\nname = \"reshaped\"\n\
         [[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vcf-2024/vvf\"\n[scenario.plan.shape]\n{shape}\n\
         [[scenario.plan]]\ncluster = \"dev\"\nedition = \"vmware-vcf-2024/vvf\"\n"
    )
}

/// The same estate with `prod` on 3 hosts of 2 × 32 cores at 21,000 and 700 W: one scenario.
const BY_HAND: &str = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = 3\nregion = \"emea\"\n\
     [[cluster]]\nname = \"prod\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 32\nvms = 200\nram_gb_per_host = 1024\n\
     [[cluster]]\nname = \"dev\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 16\nvms = 20\n";

const SHAPE: &str = "hardware = \"2s-2u, 2 × 32c, 1024 GB\"\nhosts = 3\nsockets_per_host = 2\ncores_per_socket = 32\nram_gb_per_host = 1024\nhardware_per_host = \"21000\"\nwatts_per_host = \"700\"";

#[test]
fn a_shaped_plan_prices_as_the_estate_on_those_hosts() {
    let books = bundled();
    let q = quote_of(&books, &with_shape(SHAPE));
    let reshaped = q
        .scenarios
        .iter()
        .find(|s| s.name == "reshaped")
        .expect("reshaped");
    let as_is = q
        .scenarios
        .iter()
        .find(|s| s.name == "as is")
        .expect("as is");
    // prod alone on its hosts: 3 × 9,000 hardware in the estate's [costs] vs 21,000 in the
    // shape. The reference estate states the shape's costs for both clusters, so compare prod.
    let prod_costs = format!(
        "{BY_HAND}[costs]\nhardware_per_host = \"21000\"\nwatts_per_host = \"700\"\nkwh_price = \"0.2\"\nfacilities_per_host_year = \"1000\"\n\
         [[scenario]]\nname = \"reshaped\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vcf-2024/vvf\"\n\
         [[scenario.plan]]\ncluster = \"dev\"\nedition = \"vmware-vcf-2024/vvf\"\n"
    );
    let by_hand = quote_of(&books, &prod_costs);
    let prod = |s: &ScenarioQuote| -> Decimal {
        s.lines
            .iter()
            .filter(|l| &*l.cluster == "prod")
            .map(|l| l.amount)
            .sum()
    };
    let dev = |s: &ScenarioQuote| -> Decimal {
        s.lines
            .iter()
            .filter(|l| {
                &*l.cluster == "dev" && !matches!(l.kind, LineKind::Hardware | LineKind::Power)
            })
            .map(|l| l.amount)
            .sum()
    };
    assert_eq!(prod(reshaped), prod(&by_hand.scenarios[0]));
    assert_eq!(dev(reshaped), dev(&by_hand.scenarios[0]));
    // VVF bills 16 cores per CPU at least: 6 × 2 × 8-core CPUs bill 192 cores, 3 × 2 × 32
    // bill 192 too; the hardware is 3 × 21,000 = 63,000 against 6 × 9,000 = 54,000.
    let hw = |s: &ScenarioQuote| -> Decimal {
        s.lines
            .iter()
            .filter(|l| &*l.cluster == "prod" && l.kind == LineKind::Hardware)
            .map(|l| l.amount)
            .sum()
    };
    assert_eq!(hw(reshaped), dec("63000"));
    assert_eq!(hw(as_is), dec("54000"));
    // The scenario says which hosts, and its reshaped lines carry numbers, not the estate's
    // cells.
    assert!(
        reshaped.notes.iter().any(|n| n.contains("`prod` runs on other hosts in this scenario (2s-2u, 2 × 32c, 1024 GB): 3 × 2 × 32 cores, 1024 GB RAM per host")),
        "{:?}",
        reshaped.notes
    );
    let stale = |e: &Option<std::sync::Arc<crate::quote::Expr>>| {
        e.as_ref().is_some_and(|e| {
            e.inputs().iter().any(|i| {
                matches!(
                    i,
                    crate::quote::Input::Cluster { cluster: 0, .. }
                        | crate::quote::Input::Cost(
                            crate::estate::CostField::HardwarePerHost
                                | crate::estate::CostField::WattsPerHost
                        )
                )
            })
        })
    };
    let prod_lines = || reshaped.lines.iter().filter(|l| &*l.cluster == "prod");
    assert!(prod_lines().all(|l| !stale(&l.quantity_formula) && !stale(&l.unit_formula)));
    // Facilities keep the estate's cell: the shape does not change it.
    assert!(prod_lines().any(|l| l.kind == LineKind::Facilities && l.unit_formula.is_some()));
    // The other scenario keeps the estate's hosts and formulas.
    assert!(as_is.lines.iter().any(|l| l.quantity_formula.is_some()));
}

#[test]
fn a_shape_round_trips_through_the_writer() {
    let books = bundled();
    let text = with_shape(SHAPE);
    let e = parse_estate(&SourceFile::new("t.toml", text), &books).expect("valid");
    let written = write_estate(&e);
    assert!(
        written
            .contains("[scenario.plan.shape]\nhardware = \"2s-2u, 2 × 32c, 1024 GB\"\nhosts = 3\n"),
        "{written}"
    );
    let again = parse_estate(&SourceFile::new("w.toml", written.clone()), &books).expect("valid");
    assert_eq!(again.scenarios, e.scenarios, "{written}");
}

#[test]
fn a_bad_shape_names_its_field_and_what_is_valid() {
    let books = bundled();
    for (shape, field, says) in [
        ("hosts = 0", "shape.hosts", "1"),
        ("cores_per_socket = 2000", "shape.cores_per_socket", "1024"),
        (
            "hardware_per_host = \"-5\"",
            "shape.hardware_per_host",
            "negative",
        ),
        ("cpu = \"32c\"", "shape.cpu", "unknown"),
    ] {
        let text = with_shape(shape);
        let d = parse_estate(&SourceFile::new("t.toml", text), &books).expect_err(shape);
        let msg = d.to_string();
        assert!(msg.contains(field) && msg.contains(says), "{shape}: {msg}");
        assert!(msg.contains("t.toml:"), "{msg}");
    }
}

/// `[sizing]`: read with its declarations, defaults used when left out, written back.
#[test]
fn sizing_reads_its_defaults_and_round_trips() {
    use crate::estate::{InputTable, Origin, SizingField};
    let books = bundled();
    let text = format!(
        "{}\n[sizing]\nvcpu_per_core = \"6\"\nmax_hosts_per_cluster = 16\n",
        with_shape(SHAPE)
    );
    let e = parse_estate(&SourceFile::new("t.toml", text), &books).expect("valid");
    let s = e.sizing.clone().expect("sizing");
    assert_eq!(
        s.used(SizingField::VcpuPerCore),
        Some((dec("6"), Origin::Estate))
    );
    assert_eq!(
        s.used(SizingField::RamHeadroom),
        Some((dec("0.2"), Origin::Default))
    );
    assert_eq!(
        s.used(SizingField::SpareHosts),
        Some((dec("1"), Origin::Default))
    );
    assert_eq!(s.max_hosts_per_cluster, Some(16));
    let written = write_estate(&e);
    assert!(
        written.contains("[sizing]\nvcpu_per_core = \"6\"\nmax_hosts_per_cluster = 16\n"),
        "{written}"
    );
    let again = parse_estate(&SourceFile::new("w.toml", written), &books).expect("valid");
    assert_eq!(again.sizing, e.sizing);
    let bad = format!(
        "{}\n[sizing]\nram_headroom = \"-0.1\"\nvcpu_per_core = \"0\"\n",
        with_shape(SHAPE)
    );
    let d = parse_estate(&SourceFile::new("t.toml", bad), &books).expect_err("refused");
    let msg = d.to_string();
    assert!(
        msg.contains("sizing.ram_headroom") && msg.contains("sizing.vcpu_per_core"),
        "{msg}"
    );
}

/// Structural edits keep each shape with its plan: removing a cluster removes its plans'
/// shapes, renaming keeps them, and the text still reads as the same estate otherwise.
#[test]
fn structure_changes_carry_the_shapes_with_their_plans() {
    use crate::estate::{Change, change_edits, edit_text};
    let books = bundled();
    let text = with_shape(SHAPE);
    let e = parse_estate(&SourceFile::new("t.toml", text.clone()), &books).expect("valid");
    // Remove `prod` (index 0): its shaped plan goes with its shape; `dev` stays unshaped.
    let edits = change_edits(&e, &Change::RemoveCluster(0)).expect("edits");
    let after = edit_text(&text, &edits).expect("applied");
    let back = parse_estate(&SourceFile::new("t.toml", after.clone()), &books)
        .unwrap_or_else(|d| panic!("{d}\n{after}"));
    assert_eq!(back.clusters.len(), 1);
    assert!(
        back.scenarios
            .iter()
            .all(|s| s.plans.iter().all(|p| p.shape.is_none())),
        "{after}"
    );
    // Remove `dev` (index 1): prod keeps its shape.
    let edits = change_edits(&e, &Change::RemoveCluster(1)).expect("edits");
    let after = edit_text(&text, &edits).expect("applied");
    let back = parse_estate(&SourceFile::new("t.toml", after.clone()), &books)
        .unwrap_or_else(|d| panic!("{d}\n{after}"));
    let shaped = &back.scenarios[1].plans[0];
    assert_eq!(shaped.shape, e.scenarios[1].plans[0].shape, "{after}");
    // Rename prod: the shape stays on its plan.
    let edits = change_edits(&e, &Change::RenameCluster(0, "web".into())).expect("edits");
    let after = edit_text(&text, &edits).expect("applied");
    let back = parse_estate(&SourceFile::new("t.toml", after.clone()), &books)
        .unwrap_or_else(|d| panic!("{d}\n{after}"));
    assert_eq!(
        back.scenarios[1].plans[0].shape, e.scenarios[1].plans[0].shape,
        "{after}"
    );
}
