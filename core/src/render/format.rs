//! The format registry: every output format's name, file extensions, whether it is binary and
//! what it is for, declared once. The CLI's `--format` values, its `-o FILE` inference and the
//! web API's format names all come from here.

use std::path::Path;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A report for people, readable in 100 columns.
    Table,
    /// The versioned JSON contract (`format: 1`).
    Json,
    /// Rows for spreadsheets: raw numbers, text neutralised against formula injection.
    Csv,
    /// Markdown tables, for a ticket or a wiki.
    Markdown,
    /// The report as one self-contained HTML page (inline CSS and SVG charts, no network).
    Html,
    /// A workbook with live formulas over named inputs (feature `xlsx`; the variant exists
    /// only with it, so a build without rust_xlsxwriter cannot ask for a workbook).
    #[cfg(feature = "xlsx")]
    Xlsx,
}

/// One row of the registry.
struct Spec {
    format: Format,
    name: &'static str,
    extensions: &'static [&'static str],
    binary: bool,
    about: &'static str,
}

/// The registry, in the order formats are listed to people.
const SPECS: &[Spec] = &[
    Spec {
        format: Format::Table,
        name: "table",
        extensions: &["txt"],
        binary: false,
        about: "A report for people, 100 columns wide",
    },
    Spec {
        format: Format::Json,
        name: "json",
        extensions: &["json"],
        binary: false,
        about: "The versioned JSON contract (`format: 1`)",
    },
    Spec {
        format: Format::Csv,
        name: "csv",
        extensions: &["csv"],
        binary: false,
        about: "Rows for spreadsheets, raw numbers (formula injection neutralised)",
    },
    Spec {
        format: Format::Markdown,
        name: "md",
        extensions: &["md", "markdown"],
        binary: false,
        about: "Markdown tables, for a ticket or a wiki",
    },
    Spec {
        format: Format::Html,
        name: "html",
        extensions: &["html", "htm"],
        binary: false,
        about: "One self-contained HTML page (inline CSS and SVG charts), for screen and print",
    },
    #[cfg(feature = "xlsx")]
    Spec {
        format: Format::Xlsx,
        name: "xlsx",
        extensions: &["xlsx"],
        binary: true,
        about: "An Excel/LibreOffice workbook with live formulas (needs -o FILE.xlsx)",
    },
];

impl Format {
    /// Every format this build has, in registry order.
    pub const ALL: &'static [Format] = &[
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Html,
        #[cfg(feature = "xlsx")]
        Format::Xlsx,
    ];

    fn spec(self) -> &'static Spec {
        // Every variant has a row; the registry test checks it, and `Table` is the first row.
        SPECS.iter().find(|s| s.format == self).unwrap_or(&SPECS[0])
    }

    /// The name people type (`--format md`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// File extensions that ask for this format, without the dot, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        self.spec().extensions
    }

    /// True when the bytes are not text (and so do not belong on a terminal).
    pub fn is_binary(self) -> bool {
        self.spec().binary
    }

    /// What the format is for, in a line.
    pub fn about(self) -> &'static str {
        self.spec().about
    }

    /// The format of a name (`table`, `json`, `csv`, `md`, `html`, `xlsx`).
    pub fn from_name(name: &str) -> Option<Format> {
        SPECS.iter().find(|s| s.name == name).map(|s| s.format)
    }

    /// The format a file's extension asks for (any case); `None` without a known extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        SPECS
            .iter()
            .find(|s| s.extensions.contains(&ext.as_str()))
            .map(|s| s.format)
    }

    /// Every known extension with its dot, in registry order (`.txt, .json, …`), for messages.
    pub fn known_extensions() -> String {
        let all: Vec<String> = SPECS
            .iter()
            .flat_map(|s| s.extensions.iter().map(|e| format!(".{e}")))
            .collect();
        all.join(", ")
    }

    /// Names joined for messages: `table, json, csv`.
    pub fn names(formats: &[Format]) -> String {
        let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
        names.join(", ")
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A result asked for in a format it does not render to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{kind} cannot be written as {format}; it renders as {}",
    Format::names(supported)
)]
pub struct Unsupported {
    /// What the result is (`explain`).
    pub kind: &'static str,
    /// The format asked for.
    pub format: Format,
    /// The formats it does render to.
    pub supported: &'static [Format],
}
