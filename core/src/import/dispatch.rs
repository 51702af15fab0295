//! One entry point for every front end: which importer reads a set of files, decided once.
//! The CLI (`hypercost import KIND`) and the page (*Import an inventory*) both hand over file
//! names and bytes and get the estate or the diagnostics back.

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::pricebook::PricebookSet;
use crate::source::SourceFile;

use super::columns::Col;
use super::rvtools::file_error;
use super::table::Table;
use super::{
    ImportOptions, Imported, decode_text, import_cluster_csv, import_hosts, import_rvtools_csv,
    is_rvtools_tab,
};

/// What kind of inventory an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// Told from the files: a workbook, RVTools tab CSVs or several files are RVTools; one
    /// other CSV is a cluster CSV when it has a host-count column, else a per-host CSV.
    Auto,
    /// An RVTools export: a workbook or tab CSVs, and at most one per-host CSV beside them
    /// for host facts when the export has no vHost.
    Rvtools,
    /// A per-host CSV (KB 313548 / PowerCLI).
    Hosts,
    /// The Broadcom cluster CSV.
    ClusterCsv,
}

impl ImportKind {
    /// Every kind, by the name `hypercost import` and the page give it.
    pub const ALL: [(ImportKind, &'static str); 4] = [
        (ImportKind::Auto, "auto"),
        (ImportKind::Rvtools, "rvtools"),
        (ImportKind::Hosts, "hosts"),
        (ImportKind::ClusterCsv, "cluster-csv"),
    ];

    /// The kind's name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("auto", |(_, n)| n)
    }

    /// The kind named `name`; the error lists the valid names.
    pub fn parse(name: &str) -> Result<ImportKind, String> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(k, _)| *k)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(_, n)| *n).collect();
                format!(
                    "unknown inventory kind `{name}`; valid kinds: {}",
                    names.join(", ")
                )
            })
    }
}

/// Whether a file is a workbook: a zip (xlsx) by its first bytes, or named like one, so an
/// old binary `.xls` gets the workbook reader's advice rather than a CSV error.
fn is_workbook(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    bytes.starts_with(b"PK\x03\x04")
        || [".xlsx", ".xlsm", ".xls"]
            .iter()
            .any(|x| lower.ends_with(x))
}

/// The text files of an import (every file that is not a workbook), decoded as the importers
/// read them: what a front end shows diagnostics against.
pub fn text_files(files: &[(&str, &[u8])]) -> Vec<SourceFile> {
    files
        .iter()
        .filter(|(n, b)| !is_workbook(n, b))
        .map(|(n, b)| SourceFile::new(*n, decode_text(b)))
        .collect()
}

/// An error about the set of files handed over, not one of them.
fn request_error(message: &str) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        severity: Severity::Error,
        file: String::new(),
        span: 0..0,
        line: 0,
        column: 0,
        field: "import".to_owned(),
        message: message.to_owned(),
        help: None,
    }])
}

/// Imports `files` (name and bytes each, in any encoding [`decode_text`] reads) as `kind`;
/// returns the kind read (never `Auto`) with the estate. `export_name` names a set of RVTools
/// CSVs (the folder) in the estate and its header; a workbook is named by its file. Beside an
/// RVTools export, one CSV that is not a tab supplies the host facts unless
/// `options.host_facts` already does (then such CSVs are listed as not read).
pub fn import_files(
    kind: ImportKind,
    export_name: &str,
    files: &[(&str, &[u8])],
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<(ImportKind, Imported), Diagnostics> {
    if files.is_empty() {
        return Err(request_error("no file chosen"));
    }
    let workbooks: Vec<&(&str, &[u8])> = files.iter().filter(|(n, b)| is_workbook(n, b)).collect();
    let csvs = text_files(files);
    let kind = match kind {
        ImportKind::Auto
            if !workbooks.is_empty()
                || files.len() > 1
                || csvs.iter().any(|f| is_rvtools_tab(&f.name)) =>
        {
            ImportKind::Rvtools
        }
        ImportKind::Auto => match csvs.first().map(Table::from_csv) {
            Some(Ok(t)) if t.column(Col::ClusterHosts).is_some() => ImportKind::ClusterCsv,
            _ => ImportKind::Hosts,
        },
        other => other,
    };
    let result = match kind {
        ImportKind::Rvtools => rvtools(export_name, &workbooks, csvs, options, books),
        _ if files.len() > 1 => Err(request_error("a per-host or cluster CSV is one file")),
        _ => match (csvs.first(), workbooks.first()) {
            (Some(file), _) if kind == ImportKind::ClusterCsv => {
                import_cluster_csv(file, options, books)
            }
            (Some(file), _) => import_hosts(file, options, books),
            (None, Some((name, _))) => Err(Diagnostics(vec![file_error(
                name,
                format!("a workbook, not a {} CSV", kind.name()),
                Some("import an RVTools workbook as `rvtools`".to_owned()),
            )])),
            (None, None) => Err(request_error("no file chosen")),
        },
    };
    result.map(|i| (kind, i))
}

/// An RVTools export: one workbook or one export's tab CSVs, and the host facts beside it.
fn rvtools(
    export_name: &str,
    workbooks: &[&(&str, &[u8])],
    csvs: Vec<SourceFile>,
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    let (tabs, others): (Vec<SourceFile>, Vec<SourceFile>) =
        csvs.into_iter().partition(|f| is_rvtools_tab(&f.name));
    if options.host_facts.is_some() {
        // The host facts are given: every CSV is the export's (the tabs it does not read are
        // listed as such).
        return match workbooks.first() {
            Some((name, bytes)) => workbook(name, bytes, options, books),
            None => import_rvtools_csv(export_name, &[tabs, others].concat(), options, books),
        };
    }
    if workbooks.len() + usize::from(!tabs.is_empty()) > 1 || others.len() > 1 {
        return Err(request_error(
            "choose one RVTools workbook or the tab CSVs of one export, and at most one \
             per-host CSV for its host facts",
        ));
    }
    if workbooks.is_empty() && tabs.is_empty() {
        // No export at all: the reader says which tabs it needs and what it found.
        return import_rvtools_csv(export_name, &others, options, books);
    }
    let options = ImportOptions {
        host_facts: others.first(),
        ..options
    };
    match workbooks.first() {
        Some((name, bytes)) => workbook(name, bytes, options, books),
        None => import_rvtools_csv(export_name, &tabs, options, books),
    }
}

#[cfg(feature = "import-xlsx")]
fn workbook(
    name: &str,
    bytes: &[u8],
    options: ImportOptions<'_>,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    super::import_rvtools_xlsx(name, bytes, options, books)
}

#[cfg(not(feature = "import-xlsx"))]
fn workbook(
    name: &str,
    _: &[u8],
    _: ImportOptions<'_>,
    _: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    Err(Diagnostics(vec![Diagnostic {
        severity: Severity::Error,
        file: name.to_owned(),
        span: 0..0,
        line: 0,
        column: 0,
        field: "import".to_owned(),
        message: "this build reads no workbooks (feature `xlsx`)".to_owned(),
        help: None,
    }]))
}

#[cfg(test)]
mod tests {
    use super::{ImportKind, import_files};
    use crate::date::Date;
    use crate::import::ImportOptions;
    use crate::pricebook::PricebookSet;

    fn run(kind: ImportKind, files: &[(&str, &[u8])]) -> Result<ImportKind, String> {
        let books = PricebookSet::bundled().expect("bundled pricebooks are valid");
        let options = ImportOptions::new(Date::new(2026, 11, 25).expect("valid"));
        import_files(kind, "export", files, options, &books)
            .map(|(k, _)| k)
            .map_err(|d| d.to_string())
    }

    #[test]
    fn kinds_are_named_once_and_unknown_names_list_the_valid_ones() {
        for (kind, name) in ImportKind::ALL {
            assert_eq!(kind.name(), name);
            assert_eq!(ImportKind::parse(name), Ok(kind));
        }
        let e = ImportKind::parse("pdf").expect_err("unknown");
        assert!(
            e.ends_with("valid kinds: auto, rvtools, hosts, cluster-csv"),
            "{e}"
        );
    }

    const HOSTS: &[u8] = b"VMHOST,CLUSTER,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\ne1,c,2,16\n";
    const CLUSTERS: &[u8] =
        b"CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\nc,4,2,16\n";

    #[test]
    fn auto_tells_a_cluster_csv_from_a_per_host_csv_and_an_export() {
        assert_eq!(
            run(ImportKind::Auto, &[("h.csv", HOSTS)]),
            Ok(ImportKind::Hosts)
        );
        // The cluster CSV's sockets and cores columns would read as one host per cluster.
        assert_eq!(
            run(ImportKind::Auto, &[("c.csv", CLUSTERS)]),
            Ok(ImportKind::ClusterCsv)
        );
        let vinfo: &[u8] = b"VM,Powerstate,Memory,Host,Cluster\na1,poweredOn,8192,e1,c\n";
        assert_eq!(
            run(
                ImportKind::Auto,
                &[("RVTools_tabvInfo.csv", vinfo), ("h.csv", HOSTS)]
            ),
            Ok(ImportKind::Rvtools),
            "a per-host CSV beside vInfo gives its host facts"
        );
        let both = run(
            ImportKind::Rvtools,
            &[
                ("RVTools_tabvInfo.csv", vinfo),
                ("h.csv", HOSTS),
                ("c.csv", CLUSTERS),
            ],
        )
        .expect_err("two candidate hosts files");
        assert!(both.contains("at most one per-host CSV"), "{both}");
    }

    #[test]
    fn a_workbook_is_not_a_per_host_csv_and_the_error_names_it() {
        let e = run(ImportKind::Hosts, &[("inv.xlsx", b"PK\x03\x04junk")]).expect_err("xlsx");
        assert!(
            e.contains("inv.xlsx") && e.contains("a workbook, not a hosts CSV"),
            "{e}"
        );
        let e = run(ImportKind::Hosts, &[("a.csv", HOSTS), ("b.csv", HOSTS)]).expect_err("two");
        assert!(e.contains("one file"), "{e}");
    }

    #[test]
    fn a_windows_1252_csv_reads_its_names_right() {
        let mut csv = b"VMHOST,CLUSTER,NUM_CPU_SOCKETS,NUM_CPU_CORES_PER_SOCKET\ne1,Z".to_vec();
        // `ü` (0xFC) and `’` (0x92, a C1 control character if read as Latin-1).
        csv.extend_from_slice(b"\xFCrich\x92s,2,16\n");
        let books = PricebookSet::bundled().expect("valid");
        let options = ImportOptions::new(Date::new(2026, 11, 25).expect("valid"));
        let (_, i) = import_files(ImportKind::Hosts, "x", &[("h.csv", &csv)], options, &books)
            .expect("imports");
        assert_eq!(i.estate.clusters[0].name, "Zürich’s");
    }
}
