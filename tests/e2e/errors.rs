//! Bad input, end to end: every kind of estate problem of issue 3 point 4 (and bad pricebook
//! files) exits 2 with a report naming the file, the line, the field and what would be valid.
//!
//! Each test writes a small estate to a temporary file, runs `hypercost quote FILE` in-process
//! and reads the miette reports back from standard error (see `support::parse_reports`). The
//! expected line is found from the text itself (`line_of`), so the tests say which line is at
//! fault rather than counting by hand.

use crate::support::{Report, Run, Scratch, arg, cli, cli_with_stdin, edit, line_of};

/// A valid estate: one cluster, one owned licence, one scenario. Tests break it one way each.
const BASE: &str = r#"format = 1
name = "Error tests"
currency = "USD"
purchase_date = 2009-11-02
years = 3

[[cluster]]
name = "prod"
hosts = 8
sockets_per_host = 2
cores_per_socket = 4
ram_gb_per_host = 64
vms = 96
needs = ["live-migration", "ha"]

[[owned]]
licence = "vmware-vi3/enterprise"
quantity = 8
support_active = true

[[scenario]]
name = "Enterprise Plus"
[[scenario.plan]]
cluster = "prod"
edition = "vmware-vsphere-4.0/enterprise-plus"
support = "production"
addons = ["cisco-nexus-1000v-2009/nexus-1000v"]
use_owned = true
"#;

/// An estate the CLI refused, with its file and reports.
struct Rejected {
    _dir: Scratch,
    path: String,
    run: Run,
    reports: Vec<Report>,
}

/// Quotes `estate` from a temporary file and checks the common shape of a refusal: exit 2,
/// nothing on stdout, at least one report, every report located in this file, and a summary
/// line that counts them.
#[track_caller]
fn rejected(estate: impl AsRef<[u8]>) -> Rejected {
    let dir = Scratch::new();
    let path = dir.write("estate.toml", estate);
    let path = arg(&path).to_owned();
    let run = cli(&["quote", &path]);
    assert_eq!(
        run.code,
        2,
        "a bad estate exits 2; stderr:\n{}\nstdout:\n{}",
        run.stderr,
        run.out()
    );
    assert!(run.stdout.is_empty(), "nothing is printed on stdout");
    let reports = run.reports();
    assert!(!reports.is_empty(), "no report on stderr:\n{}", run.stderr);
    for r in &reports {
        assert_eq!(r.file, path, "report located in another file: {r:?}");
        assert!(
            r.line >= 1 && r.column >= 1,
            "report without a position: {r:?}"
        );
        assert!(!r.field.is_empty(), "report without a field: {r:?}");
        assert!(!r.message.is_empty(), "report without a message: {r:?}");
    }
    let n = reports.iter().filter(|r| r.mark == '×').count();
    let summary = format!(
        "hypercost: {n} problem{} in {path}; nothing was written",
        if n == 1 { "" } else { "s" }
    );
    assert_eq!(
        run.stderr.lines().last(),
        Some(summary.as_str()),
        "summary line; stderr:\n{}",
        run.stderr
    );
    Rejected {
        _dir: dir,
        path,
        run,
        reports,
    }
}

impl Rejected {
    /// The one report about `field` on `line`.
    #[track_caller]
    fn problem(&self, field: &str, line: usize) -> &Report {
        let found: Vec<&Report> = self
            .reports
            .iter()
            .filter(|r| r.field == field && r.line == line)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one report on `{field}` at {}:{line}:…; stderr:\n{}",
            self.path,
            self.run.stderr
        );
        assert!(
            self.run.stderr.contains(&format!("[{}:{line}:", self.path)),
            "the header names FILE:LINE"
        );
        found[0]
    }
}

/// Asserts the report's message and help contain these words.
#[track_caller]
fn says(r: &Report, message: &[&str], help: &[&str]) {
    for m in message {
        assert!(r.message.contains(m), "message lacks `{m}`: {r:#?}");
    }
    for h in help {
        assert!(r.help.contains(h), "help lacks `{h}`: {r:#?}");
    }
}

#[test]
fn the_base_estate_of_these_tests_is_valid() {
    let dir = Scratch::new();
    let path = dir.write("estate.toml", BASE);
    let run = cli(&["quote", arg(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
}

#[test]
fn unknown_field_lists_the_valid_fields() {
    let text = edit(BASE, "years = 3\n", "years = 3\ncolour = \"blue\"\n");
    let r = rejected(&text);
    let p = r.problem("colour", line_of(&text, "colour"));
    says(
        p,
        &["unknown field `colour`"],
        &["valid fields:", "purchase_date", "years"],
    );
    assert_eq!(r.reports.len(), 1);
}

#[test]
fn misspelt_field_suggests_the_right_one() {
    let text = edit(BASE, "sockets_per_host = 2", "sockets_per_hots = 2");
    let r = rejected(&text);
    let p = r.problem(
        "cluster[0].sockets_per_hots",
        line_of(&text, "sockets_per_hots"),
    );
    says(
        p,
        &["unknown field"],
        &["did you mean `sockets_per_host`?", "valid fields:"],
    );
    // The real field is then missing, reported at its table.
    let m = r.problem("cluster[0].sockets_per_host", line_of(&text, "[[cluster]]"));
    says(m, &["missing field `sockets_per_host`"], &["whole number"]);
}

#[test]
fn wrong_type_names_what_was_found_and_what_is_expected() {
    let text = edit(BASE, "hosts = 8", "hosts = \"eight\"");
    let r = rejected(&text);
    let p = r.problem("cluster[0].hosts", line_of(&text, "hosts = \"eight\""));
    says(
        p,
        &["wrong type", "\"eight\""],
        &["a whole number from 1 to 1000000"],
    );

    let text = edit(BASE, "support_active = true", "support_active = \"yes\"");
    let r = rejected(&text);
    let p = r.problem("owned[0].support_active", line_of(&text, "support_active"));
    says(p, &["wrong type"], &["true or false"]);

    let text = edit(
        BASE,
        "needs = [\"live-migration\", \"ha\"]",
        "needs = \"live-migration\"",
    );
    let r = rejected(&text);
    let p = r.problem("cluster[0].needs", line_of(&text, "needs ="));
    says(p, &["wrong type"], &["an array of strings"]);
}

#[test]
fn impossible_date_february_30() {
    let text = edit(
        BASE,
        "purchase_date = 2009-11-02",
        "purchase_date = 2009-02-30",
    );
    let r = rejected(&text);
    let p = r.problem("purchase_date", line_of(&text, "purchase_date"));
    says(p, &["2009-02-30"], &["2009-11-02"]);
}

#[test]
fn impossible_date_february_29_in_a_common_year() {
    let text = edit(
        BASE,
        "purchase_date = 2009-11-02",
        "purchase_date = 2009-02-29",
    );
    let r = rejected(&text);
    let p = r.problem("purchase_date", line_of(&text, "purchase_date"));
    says(p, &["2009-02-29"], &["2009-11-02"]);
}

#[test]
fn impossible_date_is_at_least_located_on_its_line_today() {
    // What the two ignored tests above ask is the field path; the line is already right.
    for bad in ["2009-02-30", "2009-02-29", "2009-13-01"] {
        let text = edit(
            BASE,
            "purchase_date = 2009-11-02",
            &format!("purchase_date = {bad}"),
        );
        let r = rejected(&text);
        let line = line_of(&text, "purchase_date");
        assert!(
            r.reports.iter().any(|p| p.line == line),
            "{bad}: no report on line {line}:\n{}",
            r.run.stderr
        );
    }
}

#[test]
fn impossible_date_written_as_a_string_names_the_field() {
    for bad in ["2009-02-30", "2009-02-29", "2009-04-31", "2009-00-10"] {
        let text = edit(
            BASE,
            "purchase_date = 2009-11-02",
            &format!("purchase_date = \"{bad}\""),
        );
        let r = rejected(&text);
        let p = r.problem("purchase_date", line_of(&text, "purchase_date"));
        says(p, &["impossible date"], &["2009-11-02"]);
    }
}

#[test]
fn a_leap_day_in_a_leap_year_is_a_date() {
    let dir = Scratch::new();
    let text = edit(
        BASE,
        "purchase_date = 2009-11-02",
        "purchase_date = 2008-02-29",
    );
    let path = dir.write("estate.toml", text);
    let run = cli(&["quote", arg(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_date_with_a_time_is_refused() {
    let text = edit(
        BASE,
        "purchase_date = 2009-11-02",
        "purchase_date = 2009-11-02T10:00:00",
    );
    let r = rejected(&text);
    let p = r.problem("purchase_date", line_of(&text, "purchase_date"));
    says(p, &["time"], &["2009-11-02"]);
}

#[test]
fn zero_hosts() {
    let text = edit(BASE, "hosts = 8", "hosts = 0");
    let r = rejected(&text);
    let p = r.problem("cluster[0].hosts", line_of(&text, "hosts = 0"));
    says(p, &["0 must be positive"], &["from 1 to 1000000"]);
}

#[test]
fn zero_sockets_cores_and_years() {
    for (from, to, field) in [
        (
            "sockets_per_host = 2",
            "sockets_per_host = 0",
            "cluster[0].sockets_per_host",
        ),
        (
            "cores_per_socket = 4",
            "cores_per_socket = 0",
            "cluster[0].cores_per_socket",
        ),
        ("years = 3", "years = 0", "years"),
        ("quantity = 8", "quantity = 0", "owned[0].quantity"),
    ] {
        let text = edit(BASE, from, to);
        let r = rejected(&text);
        let p = r.problem(field, line_of(&text, to));
        says(p, &["must be positive"], &["from 1 to"]);
    }
}

#[test]
fn negative_numbers() {
    let text = edit(BASE, "hosts = 8", "hosts = -3");
    let r = rejected(&text);
    let p = r.problem("cluster[0].hosts", line_of(&text, "hosts = -3"));
    says(p, &["-3"], &["from 1 to 1000000"]);

    let text = edit(BASE, "vms = 96", "vms = -1");
    let r = rejected(&text);
    let p = r.problem("cluster[0].vms", line_of(&text, "vms = -1"));
    says(p, &["-1"], &["from 0 to"]);

    let text = format!("{BASE}\n[costs]\nhardware_per_host = \"-7097.00\"\n");
    let r = rejected(&text);
    let p = r.problem(
        "costs.hardware_per_host",
        line_of(&text, "hardware_per_host"),
    );
    // Amounts have a ceiling (money::AMOUNT_MAX) so that no product of inputs overflows.
    says(p, &["negative"], &["from 0 to 1000000000"]);
}

#[test]
fn absurd_numbers_hosts_years_sockets() {
    let text = edit(BASE, "hosts = 8", "hosts = 1000001");
    let text = edit(&text, "years = 3", "years = 31");
    let text = edit(&text, "sockets_per_host = 2", "sockets_per_host = 65");
    let r = rejected(&text);
    let p = r.problem("cluster[0].hosts", line_of(&text, "hosts = 1000001"));
    says(p, &["1000001", "beyond"], &["from 1 to 1000000"]);
    let p = r.problem("years", line_of(&text, "years = 31"));
    says(p, &["31", "beyond"], &["from 1 to 30"]);
    let p = r.problem(
        "cluster[0].sockets_per_host",
        line_of(&text, "sockets_per_host"),
    );
    says(p, &["65", "beyond"], &["from 1 to 64"]);
    assert_eq!(r.reports.len(), 3);
}

#[test]
fn absurd_numbers_beyond_i64_are_refused_too() {
    let text = edit(BASE, "hosts = 8", "hosts = 99999999999999999999999");
    let r = rejected(&text);
    let line = line_of(&text, "hosts = 9");
    assert!(
        r.reports.iter().any(|p| p.line == line),
        "no report on line {line}:\n{}",
        r.run.stderr
    );
}

#[test]
fn the_largest_accepted_numbers_are_accepted() {
    let text = edit(BASE, "hosts = 8", "hosts = 1000000");
    let text = edit(&text, "years = 3", "years = 30");
    let text = edit(&text, "sockets_per_host = 2", "sockets_per_host = 64");
    let dir = Scratch::new();
    let path = dir.write("estate.toml", text);
    let run = cli(&["quote", arg(&path), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn missing_required_field() {
    let text = edit(BASE, "cores_per_socket = 4\n", "");
    let r = rejected(&text);
    let p = r.problem("cluster[0].cores_per_socket", line_of(&text, "[[cluster]]"));
    says(
        p,
        &["missing field `cores_per_socket`"],
        &["a whole number from 1 to 1024"],
    );

    let text = edit(
        BASE,
        "edition = \"vmware-vsphere-4.0/enterprise-plus\"\n",
        "",
    );
    let r = rejected(&text);
    let p = r.problem(
        "scenario[0].plan[0].edition",
        line_of(&text, "[[scenario.plan]]"),
    );
    says(p, &["missing field `edition`"], &["string"]);
}

#[test]
fn missing_top_level_field() {
    let text = edit(BASE, "currency = \"USD\"\n", "");
    let r = rejected(&text);
    let p = r
        .reports
        .iter()
        .find(|p| p.field == "currency")
        .expect("a report on `currency`");
    says(p, &["missing field `currency`"], &["string"]);
}

#[test]
fn unknown_cluster_in_a_plan() {
    let text = edit(BASE, "cluster = \"prod\"", "cluster = \"prd\"");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].cluster", line_of(&text, "\"prd\""));
    says(
        p,
        &["unknown cluster `prd`"],
        &["did you mean `prod`?", "valid clusters: prod"],
    );
}

#[test]
fn unknown_edition_suggests_the_right_one() {
    let text = edit(BASE, "4.0/enterprise-plus", "4.0/enterprize-plus");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "enterprize"));
    says(
        p,
        &["unknown edition `enterprize-plus`", "vmware-vsphere-4.0"],
        &[
            "did you mean `enterprise-plus`?",
            "valid editions of vmware-vsphere-4.0:",
            "advanced",
        ],
    );
}

#[test]
fn unknown_pricebook() {
    let text = edit(
        BASE,
        "vmware-vsphere-4.0/enterprise-plus",
        "vmware-vsphere-4.9/enterprise-plus",
    );
    let r = rejected(&text);
    let p = r.problem(
        "scenario[0].plan[0].edition",
        line_of(&text, "vmware-vsphere-4.9"),
    );
    says(
        p,
        &["unknown pricebook `vmware-vsphere-4.9`"],
        &[
            "did you mean `vmware-vsphere-4.0`?",
            "valid pricebooks:",
            "citrix-xenserver-5.5",
        ],
    );
}

#[test]
fn an_item_reference_without_a_pricebook() {
    let text = edit(
        BASE,
        "vmware-vsphere-4.0/enterprise-plus",
        "enterprise-plus",
    );
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "edition = "));
    says(p, &[], &["write it with its book", "`vmware-vsphere-4.0`"]);
}

/// The base estate bought in 2026, its plan's lines (edition, support, add-ons) replaced by
/// `plan`.
fn plan_2026(plan: &str) -> String {
    edit(
        &BASE.replace("purchase_date = 2009-11-02", "purchase_date = 2026-03-01"),
        "edition = \"vmware-vsphere-4.0/enterprise-plus\"\nsupport = \"production\"\n\
         addons = [\"cisco-nexus-1000v-2009/nexus-1000v\"]\nuse_owned = true",
        plan,
    )
}

/// A starter's short name (what `init --compare` takes) in an estate: the help names the
/// editions it stands for, since an estate names editions by id.
#[test]
fn a_short_name_in_an_estate_names_its_editions() {
    let text = plan_2026("edition = \"hyperv\"");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "edition = "));
    says(
        p,
        &[],
        &[
            "short name `hypercost init --compare` takes",
            "microsoft-windows-server-2025/datacenter",
        ],
    );
}

/// `support` on a subscription: its book has no support plans, and the help says to leave
/// the key out rather than listing nothing.
#[test]
fn support_on_a_subscription_says_to_leave_it_out() {
    let text = plan_2026("edition = \"vmware-vcf-2024/vvf\"\nsupport = \"production\"");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].support", line_of(&text, "support = "));
    says(
        p,
        &["unknown support plan `production`"],
        &["has no support plans", "leave the key out"],
    );
}

#[test]
fn addon_used_as_edition_is_named_as_such() {
    let text = edit(
        BASE,
        "edition = \"vmware-vsphere-4.0/enterprise-plus\"",
        "edition = \"cisco-nexus-1000v-2009/nexus-1000v\"",
    );
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "edition = "));
    says(p, &["is an add-on"], &["valid editions"]);
}

#[test]
fn addon_used_as_edition_says_what_would_be_valid() {
    let text = edit(
        BASE,
        "edition = \"vmware-vsphere-4.0/enterprise-plus\"",
        "edition = \"cisco-nexus-1000v-2009/nexus-1000v\"",
    );
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "edition = "));
    // Either point to `addons` or name at least one edition: not an empty list.
    assert!(
        p.help.contains("addons") || !p.help.trim_end().ends_with(':'),
        "the help names nothing valid: {p:#?}"
    );
}

#[test]
fn edition_used_as_addon_is_named_as_such() {
    let text = edit(
        BASE,
        "addons = [\"cisco-nexus-1000v-2009/nexus-1000v\"]",
        "addons = [\"vmware-vsphere-4.0/enterprise\"]",
    );
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].addons", line_of(&text, "addons = "));
    says(p, &["is an edition"], &["valid add-ons"]);
}

#[test]
fn unknown_addon() {
    let text = edit(
        BASE,
        "cisco-nexus-1000v-2009/nexus-1000v",
        "cisco-nexus-1000v-2009/nexus-1000",
    );
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].addons", line_of(&text, "addons = "));
    says(
        p,
        &["unknown add-on `nexus-1000`"],
        &[
            "did you mean `nexus-1000v`?",
            "valid add-ons of cisco-nexus-1000v-2009: nexus-1000v",
        ],
    );
}

#[test]
fn unknown_support_plan() {
    // Gold / Platinum were VMware's older SnS names; neither is a plan of the 4.0 book.
    let text = edit(BASE, "support = \"production\"", "support = \"gold\"");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].support", line_of(&text, "support = "));
    says(
        p,
        &["unknown support plan `gold`"],
        &["valid support plans of vmware-vsphere-4.0: production, basic"],
    );

    let text = edit(BASE, "support = \"production\"", "support = \"prodution\"");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].support", line_of(&text, "support = "));
    says(p, &[], &["did you mean `production`?"]);
}

#[test]
fn unknown_feature_in_needs() {
    let text = edit(
        BASE,
        "needs = [\"live-migration\", \"ha\"]",
        "needs = [\"live-migration\", \"vmotoin\"]",
    );
    let r = rejected(&text);
    let p = r.problem("cluster[0].needs", line_of(&text, "vmotoin"));
    says(
        p,
        &["unknown feature `vmotoin`"],
        &[
            "did you mean `vmotion`?",
            "valid features:",
            "central-management",
        ],
    );
}

#[test]
fn owned_licence_unknown() {
    let text = edit(BASE, "vmware-vi3/enterprise", "vmware-vi3/enterprize");
    let r = rejected(&text);
    let p = r.problem("owned[0].licence", line_of(&text, "enterprize"));
    says(
        p,
        &["unknown licence `enterprize`", "vmware-vi3"],
        &[
            "did you mean `enterprise`?",
            "valid licences of vmware-vi3:",
            "foundation",
        ],
    );

    let text = edit(BASE, "vmware-vi3/enterprise", "vmware-vi2/enterprise");
    let r = rejected(&text);
    let p = r.problem("owned[0].licence", line_of(&text, "vmware-vi2"));
    says(
        p,
        &["unknown pricebook `vmware-vi2`"],
        &["did you mean `vmware-vi3`?"],
    );
}

#[test]
fn duplicate_cluster_name() {
    let text = edit(
        BASE,
        "[[owned]]",
        "[[cluster]]\nname = \"prod\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[owned]]",
    );
    let r = rejected(&text);
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "name = \"prod\"")
        .map(|(i, _)| i + 1)
        .nth(1)
        .expect("two clusters named prod");
    let p = r.problem("cluster[1].name", second);
    says(
        p,
        &["duplicate cluster name `prod`"],
        &["cluster names must be unique"],
    );
}

#[test]
fn duplicate_scenario_name() {
    let text = format!(
        "{BASE}\n[[scenario]]\nname = \"Enterprise Plus\"\n[[scenario.plan]]\ncluster = \"prod\"\nedition = \"citrix-xenserver-5.5/free\"\n"
    );
    let r = rejected(&text);
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "name = \"Enterprise Plus\"")
        .map(|(i, _)| i + 1)
        .nth(1)
        .expect("two scenarios with one name");
    let p = r.problem("scenario[1].name", second);
    says(p, &["duplicate scenario name"], &["unique"]);
}

#[test]
fn scenario_missing_a_plan_for_a_cluster() {
    let text = edit(
        BASE,
        "[[owned]]",
        "[[cluster]]\nname = \"dev\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[owned]]",
    );
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan", line_of(&text, "[[scenario]]"));
    says(
        p,
        &["no plan for cluster `dev`", "Enterprise Plus"],
        &["cluster = \"dev\""],
    );
}

#[test]
fn scenario_missing_a_plan_is_reported_alongside_other_problems() {
    let text = edit(
        BASE,
        "[[owned]]",
        "[[cluster]]\nname = \"dev\"\nhosts = 2\nsockets_per_host = 2\ncores_per_socket = 4\n\n[[owned]]",
    );
    let text = edit(&text, "years = 3", "years = 0");
    let r = rejected(&text);
    r.problem("years", line_of(&text, "years = 0"));
    let p = r.problem("scenario[0].plan", line_of(&text, "[[scenario]]"));
    says(p, &["no plan for cluster `dev`"], &["cluster = \"dev\""]);
}

#[test]
fn a_second_plan_for_the_same_cluster() {
    let text = format!(
        "{BASE}[[scenario.plan]]\ncluster = \"prod\"\nedition = \"citrix-xenserver-5.5/free\"\n"
    );
    let r = rejected(&text);
    assert!(
        r.reports.iter().any(
            |p| p.field.starts_with("scenario[0].plan[1]") && p.message.contains("second plan")
        ),
        "{}",
        r.run.stderr
    );
}

#[test]
fn toml_syntax_error_and_the_other_problems_of_the_file() {
    let text = edit(BASE, "sockets_per_host = 2", "sockets_per_host = 2 2");
    let text = edit(&text, "hosts = 8", "hosts = 0");
    let text = edit(&text, "4.0/enterprise-plus", "4.0/enterprize-plus");
    let text = edit(&text, "years = 3\n", "years = 3\ncolour = \"blue\"\n");
    let r = rejected(&text);
    // A syntax error names the key of its line as the field.
    let s = r.problem(
        "cluster[0].sockets_per_host",
        line_of(&text, "sockets_per_host = 2 2"),
    );
    says(s, &["invalid TOML"], &["toml.io"]);
    // Problems elsewhere in the same file are reported in the same run.
    let p = r.problem("cluster[0].hosts", line_of(&text, "hosts = 0"));
    says(p, &["must be positive"], &["from 1 to"]);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "enterprize"));
    says(p, &[], &["did you mean `enterprise-plus`?"]);
    let p = r.problem("colour", line_of(&text, "colour"));
    says(p, &["unknown field"], &["valid fields"]);
    assert_eq!(r.reports.len(), 4, "{}", r.run.stderr);
}

#[test]
fn toml_syntax_error_unclosed_string_and_table() {
    for (from, to, at, field) in [
        (
            "name = \"prod\"",
            "name = \"prod",
            "name = \"prod",
            "cluster[0].name",
        ),
        (
            "[[scenario.plan]]",
            "[[scenario.plan]",
            "[[scenario.plan]",
            "TOML syntax",
        ),
        ("years = 3", "years = ", "years = ", "years"),
    ] {
        let text = edit(BASE, from, to);
        let r = rejected(&text);
        let line = line_of(&text, at);
        assert!(
            r.reports.iter().any(|p| p.field == field
                && p.line == line
                && p.message.starts_with("invalid TOML")),
            "`{to}`: no syntax report on line {line}:\n{}",
            r.run.stderr
        );
    }
}

/// A broken value is one problem, at its line: not a second syntax error for the same line, nor
/// the reader's verdict on the placeholder the parser recovered (`years: 0 must be positive`
/// at line 1, as it once was).
#[test]
fn toml_syntax_error_is_reported_once() {
    let text = edit(BASE, "years = 3", "years = = 3");
    let r = rejected(&text);
    assert_eq!(r.reports.len(), 1, "{}", r.run.stderr);
    let p = r.problem("years", line_of(&text, "years = = 3"));
    says(p, &["invalid TOML"], &["toml.io"]);
}

#[test]
fn currency_mismatch() {
    let text = edit(BASE, "currency = \"USD\"", "currency = \"EUR\"");
    let r = rejected(&text);
    let p = r.problem("scenario[0].plan[0].edition", line_of(&text, "edition = "));
    says(
        p,
        &[
            "vmware-vsphere-4.0 prices in USD",
            "estate is in EUR",
            "no USD → EUR rate",
        ],
        &["fx = { USD = ", "fx_date"],
    );
    let p = r.problem("scenario[0].plan[0].addons", line_of(&text, "addons = "));
    says(p, &["cisco-nexus-1000v-2009 prices in USD"], &[]);
}

#[test]
fn currency_that_is_not_a_code() {
    let text = edit(BASE, "currency = \"USD\"", "currency = \"dollars\"");
    let r = rejected(&text);
    let p = r.problem("currency", line_of(&text, "currency = "));
    says(p, &["not an ISO 4217 currency code"], &["USD"]);
}

#[test]
fn unsupported_format() {
    let text = edit(BASE, "format = 1", "format = 2");
    let r = rejected(&text);
    let p = r.problem("format", line_of(&text, "format = 2"));
    says(p, &["format 2"], &["format = 1"]);
}

/// The base estate with a byte that is not UTF-8 (Latin-1 `é`) in the name on line 2.
fn latin1_estate() -> Vec<u8> {
    let mut bytes = Vec::from(&BASE.as_bytes()[..BASE.find('\n').expect("line 1") + 1]);
    bytes.extend_from_slice(b"name = \"Caf\xe9\"\n");
    let rest = &BASE[BASE.find("currency").expect("currency")..];
    bytes.extend_from_slice(rest.as_bytes());
    bytes
}

#[test]
fn non_utf8_file() {
    let dir = Scratch::new();
    let path = dir.write("estate.toml", latin1_estate());
    let path = arg(&path);
    let run = cli(&["quote", path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains(path), "names the file: {}", run.stderr);
    assert!(run.stderr.contains("UTF-8"), "says why: {}", run.stderr);
}

#[test]
fn non_utf8_file_names_the_line_of_the_bad_byte() {
    let dir = Scratch::new();
    let path = dir.write("estate.toml", latin1_estate());
    let path = arg(&path);
    let run = cli(&["quote", path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The bad byte is the 11th character of line 2.
    assert!(
        run.stderr.contains(&format!("{path}:2:")),
        "names FILE:LINE: {}",
        run.stderr
    );
}

#[test]
fn missing_file() {
    let dir = Scratch::new();
    let path = dir.path().join("no-such-estate.toml");
    let path = arg(&path);
    let run = cli(&["quote", path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains(path), "names the file: {}", run.stderr);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
}

#[test]
fn a_directory_as_estate() {
    let dir = Scratch::new();
    let run = cli(&["quote", arg(dir.path())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(arg(dir.path())), "{}", run.stderr);
}

#[test]
fn bad_estate_on_stdin_is_named_stdin() {
    let text = edit(BASE, "hosts = 8", "hosts = 0");
    let run = cli_with_stdin(&["quote", "-"], text.as_bytes());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let line = line_of(&text, "hosts = 0");
    let reports = run.reports();
    assert!(
        reports
            .iter()
            .any(|r| r.file == "<stdin>" && r.line == line && r.field == "cluster[0].hosts"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with("in <stdin>; nothing was written\n"));
}

#[test]
fn one_file_with_many_problems_reports_every_one() {
    let text = edit(BASE, "years = 3\n", "years = 0\ncolour = \"blue\"\n");
    let text = edit(&text, "hosts = 8", "hosts = \"eight\"");
    let text = edit(&text, "cores_per_socket = 4", "cores_per_socket = 2000");
    let text = edit(&text, "\"ha\"]", "\"hha\"]");
    let text = edit(&text, "vmware-vi3/enterprise", "vmware-vi3/enterprize");
    let text = edit(&text, "4.0/enterprise-plus", "4.0/enterprize-plus");
    let text = edit(&text, "support = \"production\"", "support = \"gold\"");
    let text = edit(&text, "nexus-1000v\"]", "nexus-1000\"]");
    let r = rejected(&text);
    let expected = [
        ("years", "years = 0"),
        ("colour", "colour"),
        ("cluster[0].hosts", "hosts = \"eight\""),
        ("cluster[0].cores_per_socket", "cores_per_socket"),
        ("cluster[0].needs", "hha"),
        ("owned[0].licence", "vmware-vi3/enterprize"),
        ("scenario[0].plan[0].edition", "4.0/enterprize-plus"),
        ("scenario[0].plan[0].support", "gold"),
        ("scenario[0].plan[0].addons", "nexus-1000\""),
    ];
    for (field, at) in expected {
        r.problem(field, line_of(&text, at));
    }
    assert_eq!(
        r.reports.len(),
        expected.len(),
        "one report per problem:\n{}",
        r.run.stderr
    );
    assert!(
        r.run
            .stderr
            .contains(&format!("hypercost: {} problems in", expected.len()))
    );
    // Reports come in file order.
    let lines: Vec<usize> = r.reports.iter().map(|p| p.line).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "reports are in file order");
}

// ---------------------------------------------------------------------------------------------
// Bad --pricebook files

/// The bundled vSphere 4.0 book with `edit` applied to the Enterprise Plus price table.
fn vsphere_book_with(edit_price: impl Fn(&str) -> String) -> String {
    let text = std::fs::read_to_string(
        crate::support::repo_root().join("pricebooks/vmware-vsphere-4.0.toml"),
    )
    .expect("the bundled vSphere 4.0 book");
    let start = text
        .find("amount = \"3495.00\"")
        .expect("Enterprise Plus price");
    let end = start + text[start..].find("\n\n").expect("end of the price table");
    format!(
        "{}{}{}",
        &text[..start],
        edit_price(&text[start..end]),
        &text[end..]
    )
}

/// Runs the example quote with one user pricebook and checks the refusal's common shape.
#[track_caller]
fn rejected_book(book: &str) -> (Scratch, String, Run, Vec<Report>) {
    let dir = Scratch::new();
    let path = dir.write("vmware-vsphere-4.0.toml", book);
    let path = arg(&path).to_owned();
    let run = cli(&["quote", "--pricebook", &path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let reports = run.reports();
    assert!(!reports.is_empty(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("in {path}; nothing was written")),
        "{}",
        run.stderr
    );
    (dir, path, run, reports)
}

#[test]
fn pricebook_price_without_source() {
    let book = vsphere_book_with(|price| {
        price
            .lines()
            .filter(|l| !l.starts_with("source = "))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (_dir, path, run, reports) = rejected_book(&book);
    let line = line_of(&book, "amount = \"3495.00\"") - 1; // the [edition.price] header
    let p = reports
        .iter()
        .find(|r| r.field.ends_with("price.source"))
        .unwrap_or_else(|| panic!("no report on price.source:\n{}", run.stderr));
    assert_eq!(p.file, path);
    assert_eq!(p.line, line, "{p:#?}");
    assert_eq!(p.field, "edition[5].price.source");
    says(p, &["missing field `source`"], &["string"]);
}

#[test]
fn pricebook_price_without_source_is_the_only_problem_reported() {
    let book = vsphere_book_with(|price| {
        price
            .lines()
            .filter(|l| !l.starts_with("source = "))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (_dir, _path, run, reports) = rejected_book(&book);
    assert_eq!(reports.len(), 1, "{}", run.stderr);
    assert!(reports.iter().all(|r| r.line > 1), "{}", run.stderr);
}

#[test]
fn pricebook_invalid_confidence_mark() {
    let book = vsphere_book_with(|price| price.replace("confidence = \"P\"", "confidence = \"Q\""));
    let (_dir, path, run, reports) = rejected_book(&book);
    let line = line_of(&book, "confidence = \"Q\"");
    let p = reports
        .iter()
        .find(|r| r.field.ends_with("price.confidence"))
        .unwrap_or_else(|| panic!("no report on price.confidence:\n{}", run.stderr));
    assert_eq!(p.file, path);
    assert_eq!(p.line, line, "{p:#?}");
    assert_eq!(p.field, "edition[5].price.confidence");
    says(p, &["`Q`"], &["P", "S", "W", "C", "UNVERIFIED"]);
}

#[test]
fn pricebook_with_a_toml_syntax_error() {
    let book =
        vsphere_book_with(|price| price.replace("amount = \"3495.00\"", "amount = 3495.00.00"));
    let (_dir, path, _run, reports) = rejected_book(&book);
    let line = line_of(&book, "3495.00.00");
    assert!(
        reports.iter().any(|r| r.file == path && r.line == line),
        "{reports:#?}"
    );
}

#[test]
fn missing_pricebook_file() {
    let dir = Scratch::new();
    let path = dir.path().join("nowhere.toml");
    let run = cli(&["quote", "--pricebook", arg(&path)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(arg(&path)), "{}", run.stderr);
}

#[test]
fn a_table_where_an_array_of_tables_is_expected() {
    let text = edit(BASE, "[[cluster]]", "[cluster]");
    let r = rejected(&text);
    let p = r.problem("cluster", line_of(&text, "[cluster]"));
    says(p, &["wrong type"], &["[[cluster]]"]);
}

#[test]
fn a_table_where_an_array_of_tables_is_expected_is_not_also_missing() {
    let text = edit(BASE, "[[cluster]]", "[cluster]");
    let r = rejected(&text);
    assert!(
        !r.reports
            .iter()
            .any(|p| p.message.contains("missing field `cluster`")),
        "{}",
        r.run.stderr
    );
}

#[test]
fn an_empty_file_reports_every_missing_field() {
    let r = rejected("");
    for field in [
        "format",
        "name",
        "currency",
        "purchase_date",
        "years",
        "cluster",
        "scenario",
    ] {
        let p = r.problem(field, 1);
        says(p, &["missing field"], &["expected"]);
    }
    assert_eq!(r.reports.len(), 7, "{}", r.run.stderr);
}

#[test]
fn missing_format_says_format_1() {
    let text = edit(BASE, "format = 1\n", "");
    let r = rejected(&text);
    let p = r.problem("format", 1);
    says(p, &["missing field `format`"], &["format = 1"]);
}

// ---------------------------------------------------------------------------------------------
// Refused options and arguments: reported like problems in files

/// A bad option value, an unreadable file or a refused format is one miette report titled by
/// where it came from, with what would be valid, then the summary line; exit 2.
#[test]
fn every_refused_option_is_a_report_titled_by_its_option() {
    let dir = Scratch::new();
    let missing = dir.path().join("missing.toml");
    let cases: &[(&[&str], &str, &str, &str)] = &[
        (
            &["compare", "--baseline", "Xen"],
            "--baseline",
            "unknown scenario `Xen`",
            "scenarios:",
        ),
        (
            &["sweep", "--vary", "prdo.hosts=1..4"],
            "--vary prdo.hosts=1..4",
            "unknown cluster `prdo`",
            "did you mean `prod`?",
        ),
        (
            &["sensitivity", "--vs", "Xen"],
            "--vs",
            "unknown scenario `Xen`",
            "scenarios:",
        ),
        (
            &["cheapest", "--vendor", "vmwar"],
            "--vendor",
            "unknown vendor `vmwar`",
            "did you mean `vmware`?",
        ),
        (
            &["explain", "--cluster", "prd"],
            "--cluster",
            "no lines for cluster `prd`",
            "did you mean `prod`?",
        ),
        (
            &["explain", "--format", "html"],
            "--format",
            "explain cannot be written as html",
            "",
        ),
        (
            &["quote", "--format", "xlsx"],
            "--format",
            "xlsx is a binary format",
            "",
        ),
        (
            &["quote", "-o", "quote.pdf"],
            "-o",
            "cannot tell the format of quote.pdf",
            "known extensions:",
        ),
        (&["quote", arg(&missing)], arg(&missing), "cannot read", ""),
    ];
    for (args, origin, message, help) in cases {
        let run = cli(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
        let reports = run.reports();
        assert_eq!(reports.len(), 1, "{args:?}: {}", run.stderr);
        let r = &reports[0];
        assert_eq!((r.mark, r.field.as_str()), ('×', *origin), "{}", run.stderr);
        assert!(r.message.starts_with(message), "{args:?}: {}", run.stderr);
        assert!(r.help.contains(help), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.ends_with(&format!(
                "hypercost: 1 problem in {origin}; nothing was written\n"
            )),
            "{args:?}: {}",
            run.stderr
        );
    }
}
