//! RVTools workbooks (.xlsx, RVTools 3.9 and later) read from bytes with calamine: the
//! `vHost`, `vInfo` and `vMetaData` sheets (or the old `tabvHost` names) become [`Tab`]s of
//! text cells ([`Table`]s) for [`rvtools`](super::rvtools). Feature `import-xlsx`: the web build leaves
//! calamine out.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::diag::Diagnostics;
use crate::pricebook::PricebookSet;

use super::rvtools::{Inventory, TabKind, file_error, import, tab_kind};
use super::table::{Row, Table};
use super::{ImportOptions, Imported};

/// Reads an RVTools workbook (`name` is its file name, for messages and the estate name) into
/// an estate; see [`import_rvtools_csv`](super::import_rvtools_csv) for what is read. A file
/// that is not an xlsx workbook, or a sheet that cannot be read, is an error naming it.
pub fn import_rvtools_xlsx(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            return Err(Diagnostics(vec![file_error(
                name,
                format!("not a readable xlsx workbook: {e}"),
                Some(
                    "RVTools 3.9 and later save .xlsx; for an older .xls, or any other file, \
                     export the tabs as CSV (RVTools_tabvHost.csv, RVTools_tabvInfo.csv) and \
                     import the folder"
                        .to_owned(),
                ),
            )]));
        }
    };
    let mut inv = Inventory {
        name: name.to_owned(),
        kind: "workbook",
        vhost: None,
        vinfo: None,
        meta: None,
        other_tabs: Vec::new(),
    };
    let mut errors = Vec::new();
    for sheet in workbook.sheet_names() {
        let kind = tab_kind(&sheet);
        let slot = match kind {
            Some(TabKind::Host) => &mut inv.vhost,
            Some(TabKind::Info) => &mut inv.vinfo,
            Some(TabKind::MetaData) => &mut inv.meta,
            None => {
                inv.other_tabs.push(sheet);
                continue;
            }
        };
        if slot.is_some() {
            inv.other_tabs.push(sheet);
            continue;
        }
        match workbook.worksheet_range(&sheet) {
            Ok(range) => *slot = Some(tab_of(name, &sheet, &range)),
            Err(e) => errors.push(file_error(
                name,
                format!("sheet `{sheet}` cannot be read: {e}"),
                None,
            )),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    import(inv, options, books)
}

/// A worksheet as a table: the first non-blank row is the header.
fn tab_of(file: &str, sheet: &str, range: &Range<Data>) -> Table {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut tab = Table {
        file: file.to_owned(),
        sheet: Some(sheet.to_owned()),
        separator: None,
        headers: Vec::new(),
        header_row: 1,
        rows: Vec::new(),
        first_col,
    };
    let mut have_header = false;
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let number = usize::try_from(first_row)
            .unwrap_or(usize::MAX)
            .saturating_add(i)
            .saturating_add(1);
        if have_header {
            tab.rows.push(Row {
                cells,
                number,
                offset: 0,
            });
        } else {
            have_header = true;
            tab.headers = cells;
            tab.header_row = number;
        }
    }
    tab
}

/// A cell as the text a CSV export would hold: numbers in full (`785059`, `0.5`, never in
/// scientific notation), booleans as `True`/`False` like RVTools' own strings.
fn text(cell: &Data) -> String {
    match cell {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format!("{f}"),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        Data::DateTime(d) => format!("{}", d.as_f64()),
        Data::Error(e) => format!("#{e}"),
        Data::Empty => String::new(),
    }
}
