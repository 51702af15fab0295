//! `reshape` (issue 16): the sizing rule, each licensing regime's best shape, and the best
//! option against every catalogue shape priced one by one through `quote`.
//!
//! The catalogue here is small enough to check by hand: CPUs of 8 cores ($500, 100 W) and
//! 32 cores ($3,000, 250 W), a 2-socket server ($5,000, 200 W, up to 2,048 GB), RAM $5 per GB
//! in 256 and 2,048 GB.

use super::*;
use crate::Estate;
use crate::analysis::reshape::{Options, reshape};
use crate::hardware::{Catalogue, Cpu, Ram, Server};
use crate::pricebook::Confidence;

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

fn catalogue() -> Catalogue {
    let cpu = |id: &str, cores, watts, price: &str| Cpu {
        id: id.into(),
        name: format!("{cores}-core CPU"),
        cores,
        watts,
        price: dec(price),
        source: "test".into(),
        confidence: Confidence::Unverified,
    };
    Catalogue {
        id: "test".into(),
        currency: "USD".into(),
        cpus: vec![cpu("8c", 8, 100, "500"), cpu("32c", 32, 250, "3000")],
        servers: vec![Server {
            id: "2s".into(),
            name: "2-socket".into(),
            sockets: 2,
            base_price: dec("5000"),
            watts: 200,
            max_ram_gb: 2048,
            source: "test".into(),
            confidence: Confidence::Unverified,
        }],
        ram: Ram {
            price_per_gb: dec("5"),
            sizes_gb: vec![256, 2048],
            source: "test".into(),
            confidence: Confidence::Unverified,
        },
    }
}

/// One cluster with `workload` (vms, vcpus, vm_ram_gb lines), scenarios VVF and Proxmox.
fn estate_text(workload: &str) -> String {
    format!(
        "format = 1\nname = \"r\"\ncurrency = \"USD\"\npurchase_date = 2026-01-01\nyears = 3\nregion = \"emea\"\n\
         [[cluster]]\nname = \"prod\"\nhosts = 4\nsockets_per_host = 2\ncores_per_socket = 8\n{workload}\n\
         [costs]\nhardware_per_host = \"9000\"\nfx = {{ EUR = \"1.08\" }}\nfx_date = 2026-01-02\n\
         [[scenario]]\nname = \"VVF\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"vmware-vcf-2024/vvf\"\n\
         [[scenario]]\nname = \"Proxmox\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"proxmox-ve-2025/standard\"\n"
    )
}

fn parsed(text: &str, books: &PricebookSet) -> Estate {
    parse_estate(&SourceFile::new("r.toml", text), books).expect("valid")
}

/// 512 vCPUs, 64 VMs × 4 GB: CPU-bound. By hand, at 4 vCPUs per core:
/// - 8-core CPUs: ⌈512 ÷ (4 × 2 × 8)⌉ = 8 hosts; RAM 64 × 4 × 1.2 = 307.2 GB → 256 GB needs 2,
///   so 8 + 1 spare = 9 hosts. VVF bills 16 cores per CPU: 9 × 2 × 16 = 288 cores.
/// - 32-core CPUs: ⌈512 ÷ 256⌉ = 2 hosts (RAM 2), + 1 = 3 hosts. VVF: 3 × 64 = 192 cores.
///
/// VVF's 16-core floor makes 8-core CPUs pay twice their cores, so VVF's best is 32-core;
/// Proxmox pays per socket, so its best is the densest CPU too (3 hosts × 2 sockets = 6
/// against 18).
#[test]
fn each_regime_gets_its_best_shape_and_says_why() {
    let books = bundled();
    let e = parsed(
        &estate_text("vms = 64\nvcpus = 512\nvm_ram_gb = \"4\""),
        &books,
    );
    let r = reshape(
        &e,
        &books,
        &catalogue(),
        &Options {
            editions: Vec::new(),
            top: 5,
        },
    )
    .expect("reshaped");
    let c = &r.clusters[0];
    let best = |edition: &str| {
        c.options
            .iter()
            .find(|o| o.edition == edition)
            .unwrap_or_else(|| panic!("{edition} in {:?}", c.options))
    };
    let vvf = best("vmware-vcf-2024/vvf");
    assert_eq!(
        (vvf.cpu.as_str(), vvf.hosts, vvf.ram_gb_per_host),
        ("32c", 3, Some(256))
    );
    assert!(
        vvf.why
            .contains("3 hosts = max(⌈512 vCPUs ÷ (4 × 2 × 32 cores)⌉ = 2"),
        "{}",
        vvf.why
    );
    assert!(vvf.why.contains("192 cores"), "{}", vvf.why);
    let eight = c
        .options
        .iter()
        .find(|o| o.edition == "vmware-vcf-2024/vvf" && o.cpu == "8c")
        .expect("the 8-core shape");
    assert_eq!(eight.hosts, 9);
    assert!(
        eight.why.contains("16-core minimum per CPU"),
        "{}",
        eight.why
    );
    let pve = best("proxmox-ve-2025/standard");
    assert_eq!((pve.cpu.as_str(), pve.hosts), ("32c", 3));
    // Hardware: 5,000 + 2 × 3,000 + 256 × 5 = 12,280 per host, 3 hosts bought in year 1.
    assert_eq!(vvf.hardware_per_host, Some(dec("12280")));
    assert_eq!(vvf.hardware, dec("36840"));
    // The baseline is the cluster as it is, per edition.
    assert_eq!(c.baseline.len(), 2);
    assert!(
        c.baseline
            .iter()
            .all(|b| b.server == "current" && b.hosts == 4)
    );
}

/// 32 vCPUs but 100 VMs × 16 GB: RAM-bound. 100 × 16 × 1.2 = 1,920 GB: on 256 GB hosts
/// ⌈7.5⌉ = 8, on 2,048 GB hosts 1; CPUs need 1 host. So 2,048 GB hosts win: 1 + 1 spare = 2
/// hosts, against 9 of 256 GB.
#[test]
fn a_memory_bound_workload_is_sized_by_memory() {
    let books = bundled();
    let e = parsed(
        &estate_text("vms = 100\nvcpus = 32\nvm_ram_gb = \"16\""),
        &books,
    );
    let r = reshape(
        &e,
        &books,
        &catalogue(),
        &Options {
            editions: Vec::new(),
            top: 10,
        },
    )
    .expect("reshaped");
    let c = &r.clusters[0];
    let best = &c.options[0];
    assert_eq!(
        (best.hosts, best.ram_gb_per_host),
        (2, Some(2048)),
        "{best:?}"
    );
    assert!(
        best.why.contains("⌈100 VMs × 16 GB × 1.2 ÷ 2048 GB⌉ = 1"),
        "{}",
        best.why
    );
    let small = c
        .options
        .iter()
        .find(|o| o.ram_gb_per_host == Some(256))
        .expect("256 GB");
    assert_eq!(small.hosts, 9);
}

/// The best option is the cheapest of every catalogue shape, each priced by `quote` as a
/// scenario with `[scenario.plan.shape]` (no pruning, no shortcut), and the estate it writes
/// re-prices to the best option's total.
#[test]
fn the_best_is_the_brute_force_minimum_and_reprices_through_quote() {
    let books = bundled();
    for workload in [
        "vms = 64\nvcpus = 512\nvm_ram_gb = \"4\"",
        "vms = 100\nvcpus = 32\nvm_ram_gb = \"16\"",
        "vms = 10\nvcpus = 900\nvm_ram_gb = \"2\"",
    ] {
        let e = parsed(&estate_text(workload), &books);
        let k = catalogue();
        let r = reshape(
            &e,
            &books,
            &k,
            &Options {
                editions: Vec::new(),
                top: 1,
            },
        )
        .expect("ok");
        let c = &r.clusters[0];
        let written = r.estate_with_shapes.as_ref().expect("an estate");
        let q = quote(written, &books);
        for (si, edition) in ["vmware-vcf-2024/vvf", "proxmox-ve-2025/standard"]
            .iter()
            .enumerate()
        {
            let best = c
                .options
                .iter()
                .find(|o| o.edition == *edition)
                .expect("best");
            // Brute force: every server × CPU × RAM shape as a shaped plan.
            let mut min: Option<Decimal> = None;
            for cpu in &k.cpus {
                for &ram in &k.ram.sizes_gb {
                    let vcpus = e.clusters[0].vcpus.unwrap_or(0);
                    let vms = e.clusters[0].vms.unwrap_or(0);
                    let gb = e.clusters[0].vm_ram_gb.unwrap_or_default();
                    let by_cpu = (Decimal::from(vcpus) / Decimal::from(4 * 2 * cpu.cores)).ceil();
                    let by_ram = (Decimal::from(vms) * gb * dec("1.2") / Decimal::from(ram)).ceil();
                    let hosts = by_cpu.max(by_ram).max(Decimal::ONE) + Decimal::ONE;
                    let hw = dec("5000")
                        + Decimal::from(2u32) * cpu.price
                        + Decimal::from(ram) * dec("5");
                    let watts = 200 + 2 * cpu.watts;
                    let text = estate_text(workload).replace(
                        &format!("edition = \"{edition}\"\n"),
                        &format!(
                            "edition = \"{edition}\"\n[scenario.plan.shape]\nhosts = {hosts}\nsockets_per_host = 2\ncores_per_socket = {}\nram_gb_per_host = {ram}\nhardware_per_host = \"{hw}\"\nwatts_per_host = \"{watts}\"\n",
                            cpu.cores
                        ),
                    );
                    let qq = quote_of(&books, &text);
                    let s = &qq.scenarios[si];
                    if s.compliant {
                        min = Some(min.map_or(s.total, |m: Decimal| m.min(s.total)));
                    }
                }
            }
            assert_eq!(Some(best.total), min, "{edition} on {workload}");
            let written_scenario = q
                .scenarios
                .iter()
                .find(|s| s.name == format!("reshaped for {edition}"))
                .expect("written scenario");
            assert_eq!(written_scenario.total, best.total, "{edition} re-priced");
        }
    }
}

/// A catalogue past [`MAX_SHAPES`] is refused before anything is priced, saying how many.
#[test]
fn a_catalogue_with_too_many_shapes_is_refused() {
    use crate::analysis::reshape::MAX_SHAPES;
    let books = bundled();
    let e = parsed(
        &estate_text("vms = 64\nvcpus = 512\nvm_ram_gb = \"4\""),
        &books,
    );
    let mut k = catalogue();
    // 1 server × 2 CPUs × n sizes: one size past the limit.
    let n = MAX_SHAPES / 2 + 1;
    k.ram.sizes_gb = (1..=n as u32).collect();
    k.servers[0].max_ram_gb = n as u32;
    let d = reshape(
        &e,
        &books,
        &k,
        &Options {
            editions: Vec::new(),
            top: 1,
        },
    )
    .expect_err("too many shapes");
    let msg = d.to_string();
    assert!(
        msg.contains(&format!("makes {} shapes", 2 * n)) && msg.contains("at most 20000"),
        "{msg}"
    );
    // A small one prices.
    k.ram.sizes_gb = vec![256, 2048];
    assert!(
        reshape(
            &e,
            &books,
            &k,
            &Options {
                editions: Vec::new(),
                top: 1
            }
        )
        .is_ok()
    );
}

#[test]
fn a_cluster_without_its_workload_is_refused_naming_the_field() {
    let books = bundled();
    let e = parsed(&estate_text("vms = 64\nvm_ram_gb = \"4\""), &books);
    let d = reshape(
        &e,
        &books,
        &catalogue(),
        &Options {
            editions: Vec::new(),
            top: 1,
        },
    )
    .expect_err("no vcpus");
    let msg = d.to_string();
    assert!(
        msg.contains("prod.vcpus") && msg.contains("gives no `vcpus`"),
        "{msg}"
    );
}

mod random {
    //! The same checks over random workloads, catalogues and sizing: the best option per
    //! edition is the minimum over every shape priced one by one as a shaped plan, every
    //! option meets the sizing rule's capacity, and the written estate re-prices to it.

    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    struct Case {
        vms: u32,
        vcpus: u32,
        vm_ram_gb: u32,
        /// (cores, price) per CPU.
        cpus: Vec<(u32, u32)>,
        /// (sockets, base price, max RAM) per server.
        servers: Vec<(u32, u32, u32)>,
        sizes: Vec<u32>,
        vcpu_per_core: u32,
        spare: u32,
    }

    fn case() -> impl Strategy<Value = Case> {
        (
            1u32..300,
            1u32..3000,
            1u32..64,
            prop::collection::vec(
                (
                    prop::sample::select(vec![8u32, 16, 24, 32, 64]),
                    200u32..15000,
                ),
                1..=3,
            ),
            prop::collection::vec(
                (
                    1u32..=2,
                    2000u32..9000,
                    prop::sample::select(vec![512u32, 2048]),
                ),
                1..=2,
            ),
            prop::collection::btree_set(
                prop::sample::select(vec![64u32, 256, 512, 1024, 2048]),
                1..=3,
            ),
            1u32..=8,
            0u32..=2,
        )
            .prop_map(
                |(vms, vcpus, vm_ram_gb, cpus, servers, sizes, vcpu_per_core, spare)| Case {
                    vms,
                    vcpus,
                    vm_ram_gb,
                    cpus,
                    servers,
                    sizes: sizes.into_iter().collect(),
                    vcpu_per_core,
                    spare,
                },
            )
    }

    fn catalogue_of(c: &Case) -> Catalogue {
        let mut k = catalogue();
        k.cpus = c
            .cpus
            .iter()
            .enumerate()
            .map(|(i, (cores, price))| Cpu {
                id: format!("c{i}"),
                name: format!("{cores}-core"),
                cores: *cores,
                watts: 100 + cores,
                price: Decimal::from(*price),
                source: "test".into(),
                confidence: Confidence::Unverified,
            })
            .collect();
        k.servers = c
            .servers
            .iter()
            .enumerate()
            .map(|(i, (sockets, base, max))| Server {
                id: format!("s{i}"),
                name: format!("{sockets}-socket"),
                sockets: *sockets,
                base_price: Decimal::from(*base),
                watts: 150,
                max_ram_gb: *max,
                source: "test".into(),
                confidence: Confidence::Unverified,
            })
            .collect();
        k.ram.sizes_gb = c.sizes.clone();
        k
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn the_best_shape_is_the_minimum_and_meets_capacity(c in case()) {
            let books = bundled();
            let text = format!(
                "{}\n[sizing]\nvcpu_per_core = \"{}\"\nspare_hosts = {}\n",
                estate_text(&format!("vms = {}\nvcpus = {}\nvm_ram_gb = \"{}\"", c.vms, c.vcpus, c.vm_ram_gb)),
                c.vcpu_per_core,
                c.spare
            );
            let e = parsed(&text, &books);
            let k = catalogue_of(&c);
            let r = reshape(&e, &books, &k, &Options { editions: Vec::new(), top: 50 }).expect("ok");
            let cl = &r.clusters[0];
            let need = Decimal::from(c.vms) * Decimal::from(c.vm_ram_gb) * dec("1.2");
            for o in &cl.options {
                let work = o.hosts - c.spare;
                prop_assert!(u64::from(work) * u64::from(o.sockets_per_host) * u64::from(o.cores_per_socket) * u64::from(c.vcpu_per_core) >= u64::from(c.vcpus), "{o:?}");
                prop_assert!(Decimal::from(work) * Decimal::from(o.ram_gb_per_host.unwrap_or(0)) >= need, "{o:?}");
            }
            let q = r.estate_with_shapes.as_ref().map(|w| quote(w, &books));
            for (si, edition) in ["vmware-vcf-2024/vvf", "proxmox-ve-2025/standard"].iter().enumerate() {
                let mut min: Option<Decimal> = None;
                for server in &k.servers {
                    for cpu in &k.cpus {
                        for &ram in k.ram.sizes_gb.iter().filter(|r| **r <= server.max_ram_gb) {
                            let per_host = Decimal::from(c.vcpu_per_core * server.sockets * cpu.cores);
                            let by_cpu = (Decimal::from(c.vcpus) / per_host).ceil();
                            let by_ram = (need / Decimal::from(ram)).ceil();
                            let hosts = by_cpu.max(by_ram).max(Decimal::ONE) + Decimal::from(c.spare);
                            let hw = server.base_price + Decimal::from(server.sockets) * cpu.price + Decimal::from(ram) * dec("5");
                            let watts = server.watts + server.sockets * cpu.watts;
                            let shaped = text.replace(
                                &format!("edition = \"{edition}\"\n"),
                                &format!(
                                    "edition = \"{edition}\"\n[scenario.plan.shape]\nhosts = {hosts}\nsockets_per_host = {}\ncores_per_socket = {}\nram_gb_per_host = {ram}\nhardware_per_host = \"{hw}\"\nwatts_per_host = \"{watts}\"\n",
                                    server.sockets, cpu.cores
                                ),
                            );
                            let s = &quote_of(&books, &shaped).scenarios[si];
                            if s.compliant {
                                min = Some(min.map_or(s.total, |m: Decimal| m.min(s.total)));
                            }
                        }
                    }
                }
                let best = cl.options.iter().find(|o| o.edition == *edition).map(|o| o.total);
                prop_assert_eq!(best, min, "{}", edition);
                if let (Some(b), Some(q)) = (best, &q) {
                    let written = q.scenarios.iter().find(|s| s.name == format!("reshaped for {edition}")).expect("written");
                    prop_assert_eq!(written.total, b);
                }
            }
        }
    }
}
