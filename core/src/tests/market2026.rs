//! The 2026 market books (issue 14): every expected figure is derived here from the cited fact
//! (the source is named beside it), so a changed price in a book fails the test that cites it.

use super::*;

fn bundled() -> PricebookSet {
    PricebookSet::bundled().expect("bundled pricebooks are valid")
}

/// The scenario's lines for one `book/item`.
fn item_lines<'a>(s: &'a ScenarioQuote, item: &str) -> Vec<&'a Line> {
    s.lines.iter().filter(|l| &*l.item == item).collect()
}

/// Quotes one cluster `cluster` (TOML keys) with `plan` on `date` over `years`.
fn quote_plan(date: &str, years: u32, cluster: &str, plan: &str) -> Quote {
    let text = format!(
        "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = {date}\nyears = {years}\n\
         [[cluster]]\nname = \"c\"\n{cluster}\n\n[[scenario]]\nname = \"s\"\n\
         [[scenario.plan]]\ncluster = \"c\"\n{plan}\n"
    );
    quote_of(&bundled(), &text)
}

fn one_host_16_cores(vms: u32) -> String {
    format!("hosts = 1\nsockets_per_host = 1\ncores_per_socket = 16\nvms = {vms}")
}

/// Windows Server 2025 list, November 2024: Datacenter $6,771 per 16 cores [W, microsoft.com
/// pricing via a generated summary; pricing-facts §8.4 / §14]. 2 hosts × 2 CPUs × 12 cores:
/// max(2 × max(12, 8), 16) = 24 cores per host, 48 in all.
#[test]
fn ws2025_datacenter_is_6771_per_16_cores() {
    let per_core = dec("6771") / dec("16");
    let hosts = dec("2");
    let expected = per_core * dec("24") * hosts;
    let q = quote_plan(
        "2025-06-02",
        1,
        "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 12\nvms = 10",
        "edition = \"microsoft-windows-server-2025/datacenter\"",
    );
    let s = only(&q);
    assert!(s.compliant, "{:?}", s.problems);
    let l = item_lines(s, "microsoft-windows-server-2025/datacenter");
    assert_eq!(l.len(), 1);
    assert_eq!((l[0].quantity, l[0].amount), (dec("48"), expected));
    assert_eq!(expected, dec("20313.00"));
}

/// WS2025 on one 16-core host: Standard covers 2 VMs per full licensing ($1,176 per 16 cores),
/// Datacenter unlimited ($6,771) [W prices; P rights, productwiki / redresscompliance]. The
/// break-even is derived from the prices: the first VM count where ⌈VMs ÷ 2⌉ × 1,176 > 6,771.
#[test]
fn ws2025_standard_vs_datacenter_break_even_on_one_16_core_host() {
    let standard_16 = dec("1176");
    let datacenter_16 = dec("6771");
    let break_even = (1u32..)
        .find(|n| Decimal::from(n.div_ceil(2)) * standard_16 > datacenter_16)
        .unwrap();
    assert_eq!(
        break_even, 11,
        "11 VMs take ⌈11 ÷ 2⌉ = 6 licensings: 6 × 1,176 = 7,056 > 6,771 > 5 × 1,176 = 5,880"
    );
    for vms in [break_even - 2, break_even - 1, break_even, break_even + 1] {
        let total = |edition: &str| {
            let q = quote_plan(
                "2025-06-02",
                1,
                &one_host_16_cores(vms),
                &format!("edition = \"microsoft-windows-server-2025/{edition}\""),
            );
            let s = only(&q);
            assert!(s.compliant, "{edition} {vms}: {:?}", s.problems);
            s.total
        };
        let standard = total("standard");
        assert_eq!(standard, Decimal::from(vms.div_ceil(2)) * standard_16);
        assert_eq!(total("datacenter"), datacenter_16);
        assert_eq!(
            total("datacenter") < standard,
            vms >= break_even,
            "{vms} VMs"
        );
    }
}

/// Azure Arc pay-as-you-go: ~$33.58 per core per month [W] → × 12 per core-year, the same
/// 16-core floor; a subscription, so every year of the horizon is billed.
#[test]
fn ws2025_payg_is_the_monthly_meter_times_twelve() {
    let per_core_year = dec("33.58") * dec("12");
    let q = quote_plan(
        "2025-06-02",
        3,
        &one_host_16_cores(2),
        "edition = \"microsoft-windows-server-2025/payg\"",
    );
    let s = only(&q);
    assert_eq!(s.total, per_core_year * dec("16") * dec("3"));
    assert!(
        lines(s, LineKind::Subscription)
            .iter()
            .all(|l| l.unit_price == dec("402.96"))
    );
}

/// The 2022 book's new sales end when 2025 goes on sale (2024-11-01): a quote dated before
/// that is unchanged; one dated after it is refused with "not on sale", and the 2025 book is
/// not on sale the day before.
#[test]
fn ws2022_is_sold_until_2024_10_31_and_ws2025_from_2024_11_01() {
    let plan = |book: &str| format!("edition = \"microsoft-windows-server-{book}/datacenter\"");
    let cluster = one_host_16_cores(4);
    let codes_on =
        |date: &str, book: &str| codes(only(&quote_plan(date, 1, &cluster, &plan(book))));
    assert_eq!(codes_on("2024-10-31", "2022"), vec![]);
    assert_eq!(codes_on("2024-11-01", "2022"), vec![ProblemCode::NotOnSale]);
    assert_eq!(codes_on("2024-10-31", "2025"), vec![ProblemCode::NotOnSale]);
    assert_eq!(codes_on("2024-11-01", "2025"), vec![]);
    // WS2022 Datacenter before its end of sale: still $6,155 per 16 cores [W].
    let q = quote_plan("2022-06-01", 1, &cluster, &plan("2022"));
    assert_eq!(only(&q).total, dec("6155"));
}

/// Azure Local host fee: $10 per physical core per month, on every physical core [P model, S $,
/// learn.microsoft.com "Azure Local billing"] — 144 cores for a year = 144 × $120 = $17,280.
#[test]
fn azure_local_on_144_cores_is_17280_per_year() {
    let per_core_year = dec("10") * dec("12");
    let cores = dec("144");
    let q = quote_plan(
        "2025-06-02",
        1,
        "hosts = 4\nsockets_per_host = 2\ncores_per_socket = 18",
        "edition = \"microsoft-azure-local-2025/azure-local\"",
    );
    let s = only(&q);
    assert!(s.compliant, "{:?}", s.problems);
    assert_eq!(s.total, per_core_year * cores);
    assert_eq!(s.total, dec("17280"));
}

/// No floors: a 1-CPU 8-core host pays for 8 cores (VCF's 16-core floor would bill 16); the
/// Windows Server guest subscription (~$23.30 per core per month [S]) adds × 12 per core-year.
#[test]
fn azure_local_bills_real_cores_and_the_guest_subscription_per_core() {
    let q = quote_plan(
        "2025-06-02",
        1,
        "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 8",
        "edition = \"microsoft-azure-local-2025/azure-local\"\naddons = [\"microsoft-azure-local-2025/windows-server-guests\"]",
    );
    let s = only(&q);
    let fee = item_lines(s, "microsoft-azure-local-2025/azure-local");
    let guests = item_lines(s, "microsoft-azure-local-2025/windows-server-guests");
    assert_eq!(fee[0].quantity, dec("8"));
    assert_eq!(fee[0].amount, dec("8") * dec("10") * dec("12"));
    assert_eq!(guests[0].amount, dec("8") * dec("23.30") * dec("12"));
}

/// Azure Hybrid Benefit waives the host fee and the guest subscription for Datacenter with
/// active SA on every physical core [S, MicrosoftDocs azure-hybrid-benefit-hci]: an optional
/// `discount` rule, off unless a qualifying estate switches it on — then the 144 cores cost 0,
/// each line saying why, and a scenario without the switch still pays $17,280.
#[test]
fn azure_hybrid_benefit_waives_azure_local_when_the_estate_qualifies() {
    let text = "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2025-06-02\nyears = 1\n\
        [[cluster]]\nname = \"c\"\nhosts = 4\nsockets_per_host = 2\ncores_per_socket = 18\n\
        [[scenario]]\nname = \"with AHB\"\n\
        [[scenario.rule]]\nrule = \"microsoft-azure-local-2025/azure-hybrid-benefit\"\nenabled = true\nreason = \"Datacenter + SA on every core\"\n\
        [[scenario.plan]]\ncluster = \"c\"\nedition = \"microsoft-azure-local-2025/azure-local\"\naddons = [\"microsoft-azure-local-2025/windows-server-guests\"]\n\
        [[scenario]]\nname = \"without\"\n\
        [[scenario.plan]]\ncluster = \"c\"\nedition = \"microsoft-azure-local-2025/azure-local\"\n";
    let q = quote_of(&bundled(), text);
    let with = &q.scenarios[0];
    assert_eq!(with.total, Decimal::ZERO);
    for l in &with.lines {
        assert_eq!(l.quantity, dec("144"));
        let step = l
            .discounts
            .iter()
            .find(|d| d.kind == crate::quote::StepKind::Discount);
        let step = step.expect("the benefit is a discount step on every line");
        assert_eq!(step.percent, dec("100"));
        assert!(
            step.label.starts_with("Azure Hybrid Benefit"),
            "{}",
            step.label
        );
    }
    assert!(
        with.notes
            .iter()
            .any(|n| n.ends_with("switched on by this scenario: Datacenter + SA on every core"))
    );
    assert_eq!(q.scenarios[1].total, dec("10") * dec("12") * dec("144"));
}

/// Nutanix NCI and OpenShift Virtualization Engine publish no list price: buying them says
/// "price unknown" and never prices them at 0 silently; NCI keeps one edition per cluster
/// group [S, virtuallifestyle.nl]; OVE counts one subscription per socket-pair per server
/// [P, Red Hat subscription guide].
#[test]
fn unpublished_prices_are_unknown_not_zero() {
    let q = quote_plan(
        "2025-06-02",
        1,
        "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 16",
        "edition = \"nutanix-nci-2025/pro\"",
    );
    assert_eq!(codes(only(&q)), vec![ProblemCode::PriceUnknown]);
    let q = quote_plan(
        "2025-06-02",
        1,
        "hosts = 3\nsockets_per_host = 4\ncores_per_socket = 16",
        "edition = \"redhat-openshift-virt-2025/ove\"",
    );
    let s = only(&q);
    assert_eq!(codes(s), vec![ProblemCode::PriceUnknown]);
    assert_eq!(
        item_lines(s, "redhat-openshift-virt-2025/ove")[0].quantity,
        dec("6"),
        "3 hosts × ⌈4 sockets ÷ 2⌉"
    );
    let text = "format = 1\nname = \"ntnx\"\ncurrency = \"USD\"\npurchase_date = 2025-06-01\nyears = 1\n\
        [[cluster]]\nname = \"a\"\ngroup = \"n1\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 16\n\
        [[cluster]]\nname = \"b\"\ngroup = \"n1\"\nhosts = 1\nsockets_per_host = 2\ncores_per_socket = 32\n\
        [[scenario]]\nname = \"mixed\"\n[[scenario.plan]]\ncluster = \"a\"\nedition = \"nutanix-nci-2025/pro\"\n\
        [[scenario.plan]]\ncluster = \"b\"\nedition = \"nutanix-nci-2025/ultimate\"\n";
    let c = codes(only(&quote_of(&bundled(), text)));
    assert!(c.contains(&ProblemCode::MixedEditions), "{c:?}");
}

/// OpenShift Virtualization Engine: one subscription per bare-metal socket-pair, at least one
/// per server, covering up to 128 cores, stackable [P, Red Hat self-managed OpenShift
/// subscription guide]. Per server max(⌈sockets ÷ 2⌉, ⌈sockets × cores ÷ 128⌉); the expected
/// counts are derived here from those two numbers.
#[test]
fn openshift_counts_socket_pairs_and_stacks_above_128_cores() {
    let (pair, cap) = (2u32, 128u32);
    for (sockets, cores, hosts) in [
        (1u32, 32u32, 3u32),
        (2, 64, 3),
        (2, 96, 3),
        (4, 48, 2),
        (2, 128, 1),
    ] {
        let per_host = sockets.div_ceil(pair).max((sockets * cores).div_ceil(cap));
        let q = quote_plan(
            "2025-06-02",
            1,
            &format!("hosts = {hosts}\nsockets_per_host = {sockets}\ncores_per_socket = {cores}"),
            "edition = \"redhat-openshift-virt-2025/ove\"",
        );
        let s = only(&q);
        let l = item_lines(s, "redhat-openshift-virt-2025/ove");
        assert_eq!(
            l[0].quantity,
            Decimal::from(hosts * per_host),
            "{hosts} hosts × {sockets} × {cores} cores: {}",
            l[0].rule.0
        );
    }
    // The two cases that differ: 2 × 96 = 192 cores stack to 2 per server; 2 × 64 fit in one.
    let rule = |sockets: u32, cores: u32| {
        let q = quote_plan(
            "2025-06-02",
            1,
            &format!("hosts = 1\nsockets_per_host = {sockets}\ncores_per_socket = {cores}"),
            "edition = \"redhat-openshift-virt-2025/ove\"",
        );
        item_lines(only(&q), "redhat-openshift-virt-2025/ove")[0]
            .rule
            .0
            .clone()
    };
    assert!(rule(2, 96).contains("ceil(2 sockets × 96 cores / 128 cores per licence)"));
    assert!(rule(2, 64).contains("128 cores within 128 per licence"));
}

/// XenServer 8.4 docs [P]: Standard is no longer sold to new customers; the Trial covers at
/// most 3 hosts for 90 days.
#[test]
fn xenserver_8_standard_is_not_sold_and_the_trial_stops_at_three_hosts() {
    let q = quote_plan(
        "2025-06-02",
        1,
        "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 16",
        "edition = \"xenserver-8/standard\"",
    );
    assert!(codes(only(&q)).contains(&ProblemCode::EndOfSale));
    // Every trial is refused for a 1-year horizon (90 days); only the 4-host pool also breaks
    // the 3-host limit.
    let trial = |hosts: u32| {
        let q = quote_plan(
            "2025-06-02",
            1,
            &format!("hosts = {hosts}\nsockets_per_host = 2\ncores_per_socket = 16"),
            "edition = \"xenserver-8/trial\"",
        );
        let s = only(&q);
        assert!(
            s.problems
                .iter()
                .any(|p| p.message.contains("90 days only"))
        );
        s.problems
            .iter()
            .any(|p| p.message.contains("allows at most 3 hosts"))
    };
    assert!(!trial(3));
    assert!(trial(4));
}

/// Broadcom per-core subscriptions [W, redresscompliance 2026]: vSphere Standard ~$50 and
/// Enterprise Plus ~$150 per core-year with the 16-core-per-CPU floor [P, KB 313548]; free
/// ESXi 8 (from 8.0 U3e, 2025-04-10 [S]) costs nothing and gives no HA.
#[test]
fn vsphere_standard_enterprise_plus_and_free_esxi_subscriptions() {
    let cluster = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 12\nneeds = [\"ha\"]";
    // 3 hosts × 2 CPUs × max(12, 16) = 96 cores ≥ the 72-core minimum of the day.
    let cores = dec("3") * dec("2") * dec("16");
    for (item, per_core) in [("vvs", dec("50")), ("vvep", dec("150"))] {
        let q = quote_plan(
            "2025-06-02",
            1,
            cluster,
            &format!("edition = \"vmware-vcf-2024/{item}\""),
        );
        let s = only(&q);
        assert!(s.compliant, "{item}: {:?}", s.problems);
        assert_eq!(s.total, cores * per_core, "{item}");
    }
    let q = quote_plan(
        "2025-06-02",
        1,
        cluster,
        "edition = \"vmware-vcf-2024/esxi-free\"",
    );
    let s = only(&q);
    assert_eq!(s.total, Decimal::ZERO);
    assert!(!s.compliant, "free ESXi has no HA");
    let q = quote_plan(
        "2025-06-02",
        1,
        cluster,
        "edition = \"vmware-vcf-2024/vsep\"",
    );
    assert_eq!(codes(only(&q)), vec![ProblemCode::PriceUnknown]);
}

/// VI3 list prices per 2-CPU licence (ComputerworldUK 2008 [S]): Foundation $995, Standard
/// $2,995. 3 hosts × 2 CPUs = 3 licences.
#[test]
fn vi3_foundation_and_standard_prices() {
    for (item, per_licence) in [("foundation", dec("995")), ("standard", dec("2995"))] {
        let q = quote_plan(
            "2009-01-15",
            1,
            "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 4",
            &format!("edition = \"vmware-vi3/{item}\""),
        );
        let s = only(&q);
        assert_eq!(s.total, dec("3") * per_licence, "{item}");
        assert!(!codes(s).contains(&ProblemCode::PriceUnknown), "{item}");
    }
}

/// vSphere 4.0 and 5.0 offer Basic SnS (12×5) beside Production; its price was not found, so
/// choosing it is "price unknown", and either level meets the mandatory-support rule.
#[test]
fn basic_sns_is_offered_with_an_unknown_price() {
    let set = bundled();
    for book in ["vmware-vsphere-4.0", "vmware-vsphere-5.0"] {
        let b = set.get(&crate::PricebookId(book.into())).unwrap();
        let basic = b.support_plan("basic").unwrap();
        assert!(basic.first_year_mandatory, "{book}");
        assert!(
            matches!(&basic.basis, crate::pricebook::SupportBasis::Price(p) if p.amount.is_none()),
            "{book}"
        );
    }
    let q = quote_plan(
        "2009-11-02",
        1,
        "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 4",
        "edition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"basic\"",
    );
    assert_eq!(codes(only(&q)), vec![ProblemCode::PriceUnknown]);
}

/// Proxmox: the last primary list (agreement V3.3 [P]) is its own dated book, on sale in 2018;
/// the third-party 2025 figures [W/C] from 2025-01-01. The windows do not overlap.
#[test]
fn proxmox_primary_list_and_2025_defaults_have_separate_windows() {
    let set = bundled();
    let get = |id: &str| set.get(&crate::PricebookId(id.into())).unwrap();
    let (old, new) = (get("proxmox-ve-2018"), get("proxmox-ve-2025"));
    assert!(old.on_sale_until.unwrap() < new.on_sale_from.unwrap());
    assert!(old.uniform_edition);
    let price = |id: &str| old.item(id).unwrap().price.amount.unwrap();
    assert_eq!(
        ["community", "basic", "standard", "premium"].map(price),
        ["74.90", "249.90", "398", "796"].map(dec)
    );
    for day in [
        old.on_sale_from.unwrap(),
        old.on_sale_until.unwrap(),
        new.on_sale_from.unwrap(),
    ] {
        assert_eq!(
            [old.on_sale(day), new.on_sale(day)]
                .iter()
                .filter(|on| **on)
                .count(),
            1,
            "exactly one Proxmox book on sale on {day}"
        );
    }
}

/// VVF is priced by term: ~$135 per core-year on a 3-year term, the book's default, and ~$190
/// on a 1-year term [W, redresscompliance VVF guide; vmwaremadesimple, March 2026; pricing-facts
/// §14]. 3 hosts × 2 CPUs × 16 cores = 96 cores; the quote states the term of each line.
#[test]
fn vvf_is_priced_by_its_term_and_the_quote_says_which() {
    let cluster = "hosts = 3\nsockets_per_host = 2\ncores_per_socket = 16";
    let cores = Decimal::from(3 * 2 * 16);
    let plan = |term: &str| format!("edition = \"vmware-vcf-2024/vvf\"\n{term}");
    let default = quote_plan("2025-06-02", 1, cluster, &plan(""));
    let s = only(&default);
    assert_eq!(s.total, cores * dec("135"));
    assert!(
        s.lines[0].rule.0.ends_with(", year 1, 3-year term"),
        "{}",
        s.lines[0].rule.0
    );
    assert!(
        s.notes.iter().any(|n| n == "VMware vSphere Foundation (VVF): priced on a 3-year term (the pricebook's default term); terms sold, in years: 1, 3"),
        "{:?}",
        s.notes
    );
    let one = quote_plan("2025-06-02", 1, cluster, &plan("term_years = 1"));
    let s = only(&one);
    assert_eq!(s.total, cores * dec("190"));
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("priced on a 1-year term (the plan's term)"))
    );
    assert!(
        s.lines[0]
            .source
            .source
            .starts_with("https://vmwaremadesimple.com/")
    );
}

/// A term the book does not sell is an input error at its line, naming the terms sold; an
/// item sold without terms says so.
#[test]
fn a_term_the_book_does_not_sell_is_an_error_naming_the_terms() {
    let cluster = "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 16";
    let text = |plan: &str| {
        format!(
            "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2025-06-02\nyears = 1\n\
             [[cluster]]\nname = \"c\"\n{cluster}\n\n[[scenario]]\nname = \"s\"\n\
             [[scenario.plan]]\ncluster = \"c\"\n{plan}\n"
        )
    };
    let err =
        |plan: &str| parse_estate(&SourceFile::new("e.toml", text(plan)), &bundled()).unwrap_err();
    let d = err("edition = \"vmware-vcf-2024/vvf\"\nterm_years = 5");
    assert_eq!(d.0[0].field, "scenario[0].plan[0].term_years");
    assert_eq!(
        d.0[0].message,
        "vmware-vcf-2024/vvf is not sold on a 5-year term"
    );
    assert_eq!(
        d.0[0].help.as_deref(),
        Some("terms of vmware-vcf-2024/vvf, in years: 1, 3")
    );
    let d = err("edition = \"vmware-vcf-2024/vcf\"\nterm_years = 3");
    assert_eq!(
        d.0[0].help.as_deref(),
        Some("vmware-vcf-2024/vcf is not sold on terms: leave `term_years` out")
    );
    // A plan's term reads back as written.
    let ok = text("edition = \"vmware-vcf-2024/vvf\"\nterm_years = 1");
    let e = parse_estate(&SourceFile::new("e.toml", ok), &bundled()).unwrap();
    let again = crate::estate::write_estate(&e);
    assert!(again.contains("term_years = 1\n"), "{again}");
    assert_eq!(
        parse_estate(&SourceFile::new("w.toml", again), &bundled()).unwrap(),
        e
    );
}

/// vSAN in VCF: 1 TiB of raw claimed capacity per licensed core, pooled, the excess bought per
/// TiB [P, Broadcom KB 313548]. 3 hosts × 2 CPUs × 16 cores = 96 cores → 96 TiB entitled: 80 TiB
/// needs nothing; 120.4 TiB (rounded up to 121) needs 121 − 96 = 25 TiB of the add-on, whose
/// price nobody publishes: a "price unknown" problem, never a silent 0.
#[test]
fn vcf_vsan_entitlement_covers_or_buys_the_excess() {
    let cluster = |tib: &str| {
        format!("hosts = 3\nsockets_per_host = 2\ncores_per_socket = 16\nvsan_tib = {tib}")
    };
    let vcf = "edition = \"vmware-vcf-2024/vcf\"";
    let covered = quote_plan("2025-06-02", 1, &cluster("80"), vcf);
    let s = only(&covered);
    assert!(s.compliant, "{:?}", s.problems);
    assert!(
        s.lines
            .iter()
            .all(|l| l.item != "vmware-vcf-2024/vsan-capacity")
    );
    assert!(
        s.notes.iter().any(|n| n.starts_with(
            "VMware Cloud Foundation (VCF): 80 TiB of vSAN used (each cluster rounded up) vs 96 cores × 1 TiB = 96 TiB entitled"
        ) && n.ends_with("no capacity to buy")),
        "{:?}",
        s.notes
    );
    let short = quote_plan("2025-06-02", 1, &cluster("120.4"), vcf);
    let s = only(&short);
    let extra = item_lines(s, "vmware-vcf-2024/vsan-capacity");
    assert_eq!(extra.len(), 1);
    assert_eq!(extra[0].quantity, Decimal::from(121 - 96));
    assert!(
        extra[0].rule.0.contains("the excess is bought: 25 TiB"),
        "{}",
        extra[0].rule.0
    );
    assert_eq!(codes(s), vec![ProblemCode::PriceUnknown]);
}

/// vSAN in VVF, both vintages: until 2024 100 GiB per core, and once exceeded the WHOLE
/// capacity is bought [P, KB 326663]; from 2025 0.25 TiB per core and only the excess [S].
/// 2 hosts × 2 CPUs × 16 cores = 64 cores: 6.25 TiB then 16 TiB entitled; 10 TiB used.
#[test]
fn vvf_vsan_entitlement_changed_from_whole_capacity_to_the_excess() {
    let cluster = "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 16\nvsan_tib = 10";
    let vvf = "edition = \"vmware-vcf-2024/vvf\"";
    let cores = Decimal::from(64);
    let early = quote_plan("2024-06-03", 1, cluster, vvf);
    let s = only(&early);
    let bought = item_lines(s, "vmware-vcf-2024/vsan-capacity");
    assert_eq!(
        cores * dec("100") / dec("1024"),
        dec("6.25"),
        "100 GiB per core"
    );
    assert_eq!(
        bought[0].quantity,
        dec("10"),
        "the whole 10 TiB, not 10 − 6.25"
    );
    assert!(bought[0].rule.0.contains("the whole capacity is bought"));
    let later = quote_plan("2025-06-02", 1, cluster, vvf);
    let s = only(&later);
    assert!(
        s.lines
            .iter()
            .all(|l| l.item != "vmware-vcf-2024/vsan-capacity")
    );
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("vs 64 cores × 0.25 TiB = 16 TiB entitled")),
        "{:?}",
        s.notes
    );
}

/// Free ESXi came back with 8.0 Update 3e on 2025-04-10 [S, release notes], inside a book on
/// sale from 2023: the item's own `on_sale_from`. The day before, buying it is "not on sale";
/// on the day, it is free and compliant.
#[test]
fn free_esxi_is_on_sale_from_2025_04_10_only() {
    let cluster = "hosts = 1\nsockets_per_host = 1\ncores_per_socket = 8";
    let plan = "edition = \"vmware-vcf-2024/esxi-free\"";
    let before = quote_plan("2025-04-09", 1, cluster, plan);
    let s = only(&before);
    assert_eq!(codes(s), vec![ProblemCode::NotOnSale]);
    assert!(
        s.problems[0]
            .message
            .contains("is on sale from 2025-04-10; it cannot be bought on 2025-04-09"),
        "{:?}",
        s.problems
    );
    let on = quote_plan("2025-04-10", 1, cluster, plan);
    assert!(only(&on).compliant, "{:?}", only(&on).problems);
    assert_eq!(only(&on).total, Decimal::ZERO);
}

/// Windows Server licensed by individual VM (with SA or subscription): each VM needs max(8,
/// its vCPUs) core licences, at least 16 per customer [P, samexpert.com; MicrosoftDocs
/// azure-hybrid-benefit.md]. Priced at Standard's $1,176 / 16 per core [W].
/// - 10 Windows VMs of 20 on a cluster with 160 vCPUs: their share is 80 vCPUs ≤ 10 × 8, so
///   80 cores.
/// - 1 Windows VM: 8 cores, topped up to the 16-core customer minimum.
/// - 30 vCPUs on 2 VMs: max(16, 30) = 30 cores.
#[test]
fn windows_server_per_vm_counts_max_of_8_or_vcpus_per_vm_and_16_per_customer() {
    let per_core = dec("1176") / dec("16");
    let plan = "edition = \"microsoft-hyperv-2008r2/hyper-v-server\"\nguest_os = \"microsoft-windows-server-2025/standard-per-vm\"";
    let cluster = |vms: u32, windows: u32, vcpus: u32| {
        format!(
            "hosts = 2\nsockets_per_host = 2\ncores_per_socket = 16\nvms = {vms}\nwindows_vms = {windows}\nvcpus = {vcpus}"
        )
    };
    let cores = |q: &Quote| -> Decimal {
        only(q)
            .lines
            .iter()
            .filter(|l| l.item == "microsoft-windows-server-2025/standard-per-vm")
            .map(|l| l.quantity)
            .sum()
    };
    let ten = quote_plan("2025-06-02", 1, &cluster(20, 10, 160), plan);
    assert_eq!(cores(&ten), dec("80"));
    assert_eq!(only(&ten).total, dec("80") * per_core);
    let one = quote_plan("2025-06-02", 1, &cluster(1, 1, 2), plan);
    assert_eq!(
        cores(&one),
        dec("16"),
        "8 cores, topped up to the customer minimum of 16"
    );
    let big = quote_plan("2025-06-02", 1, &cluster(2, 2, 30), plan);
    assert_eq!(cores(&big), dec("30"));
    let rule = &only(&big).lines[only(&big).lines.len() - 1].rule.0;
    assert!(
        only(&big).lines.iter().any(|l| l
            .rule
            .0
            .contains("max(2 VMs × 8-core minimum = 16, 30 vCPUs)")),
        "{rule}"
    );
}

/// Windows Server CALs: one per user or device of the estate, whatever the clusters, bought
/// once per scenario: user CAL ~$46, device CAL ~$38 [W, hyper-v-renaissance post 2,
/// pricing-facts §14]. Two Hyper-V clusters and 250 users buy 250 user CALs once; 40 shared
/// devices buy 40 device CALs. CALs are perpetual: the purchase falls in year 1.
#[test]
fn windows_cals_are_bought_once_per_scenario_per_user_or_device() {
    let (user_cal, device_cal) = (dec("46"), dec("38"));
    let (users, devices) = (250u32, 40u32);
    let text = |addons: &str, costs: &str| {
        format!(
            "format = 1\nname = \"t\"\ncurrency = \"USD\"\npurchase_date = 2025-06-02\nyears = 3\n\
             [[cluster]]\nname = \"a\"\nhosts = 2\nsockets_per_host = 1\ncores_per_socket = 16\nvms = 4\n\
             [[cluster]]\nname = \"b\"\nhosts = 1\nsockets_per_host = 1\ncores_per_socket = 16\nvms = 2\n\
             [[scenario]]\nname = \"s\"\n\
             [[scenario.plan]]\ncluster = \"a\"\nedition = \"microsoft-windows-server-2025/datacenter\"\naddons = [{addons}]\n\
             [[scenario.plan]]\ncluster = \"b\"\nedition = \"microsoft-windows-server-2025/datacenter\"\naddons = [{addons}]\n\
             [costs]\n{costs}\n"
        )
    };
    let q = quote_of(
        &bundled(),
        &text(
            "\"microsoft-windows-server-2025/user-cal\", \"microsoft-windows-server-2025/device-cal\"",
            &format!("users = {users}\ndevices = {devices}"),
        ),
    );
    let s = only(&q);
    assert!(s.compliant, "{:?}", s.problems);
    let u = item_lines(s, "microsoft-windows-server-2025/user-cal");
    assert_eq!(u.len(), 1, "bought once for both clusters: {u:?}");
    assert_eq!(
        (u[0].quantity, u[0].amount, u[0].year),
        (Decimal::from(users), Decimal::from(users) * user_cal, 1)
    );
    assert!(
        u[0].rule.0.contains("250 users ([costs] users)"),
        "{}",
        u[0].rule.0
    );
    let d = item_lines(s, "microsoft-windows-server-2025/device-cal");
    assert_eq!(
        (d.len(), d[0].amount),
        (1, Decimal::from(devices) * device_cal)
    );
    assert_eq!(Decimal::from(users) * user_cal, dec("11500"));
    // Without the count the plan is an input error at `addons`, naming what to add.
    let err = parse_estate(
        &SourceFile::new(
            "e.toml",
            text("\"microsoft-windows-server-2025/user-cal\"", "devices = 3"),
        ),
        &bundled(),
    )
    .unwrap_err();
    assert_eq!(err.0[0].field, "scenario[0].plan[0].addons");
    assert_eq!(
        err.0[0].message,
        "microsoft-windows-server-2025/user-cal is counted per user, but [costs] does not say how many users use the servers"
    );
    assert_eq!(err.0[0].help.as_deref(), Some("add `users = N` to [costs]"));
}

/// A metric bought once per scenario prices an add-on, never an edition: the book is refused
/// at the metric's kind.
#[test]
fn a_per_user_edition_is_refused() {
    let file = SourceFile::new(
        "t.toml",
        format!(
            "{HEAD}[[edition]]\nid = \"e\"\nname = \"E\"\nmetric = {{ kind = \"per-user\" }}\nterm = \"perpetual\"\n\
             [edition.price]\namount = \"1\"\nsource = \"s\"\nconfidence = \"P\"\n"
        ),
    );
    let d = crate::pricebook::parse_pricebook(&file, "test").unwrap_err();
    assert_eq!(d.0[0].field, "edition[0].metric.kind");
    assert_eq!(
        d.0[0].message,
        "`per-user` is bought once per scenario, so it prices an add-on, not an edition"
    );
}
