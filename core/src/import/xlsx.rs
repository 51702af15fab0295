//! RVTools workbooks (.xlsx, RVTools 3.9 and later) read from bytes with calamine: the
//! `vHost`, `vInfo` and `vMetaData` sheets (or the old `tabvHost` names) become [`Tab`]s of
//! text cells ([`Table`]s) for [`rvtools`](super::rvtools). Feature `import-xlsx`: the web build leaves
//! calamine out.

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, Xlsx};

use crate::diag::{Diagnostic, Diagnostics};
use crate::pricebook::PricebookSet;

use super::rvtools::{Inventory, TabKind, file_error, import, tab_kind};
use super::table::{Cells, Row, Table};
use super::{ImportOptions, Imported, MAX_INPUT_BYTES};

/// Reads an RVTools workbook (`name` is its file name, for messages and the estate name) into
/// an estate; see [`import_rvtools_csv`](super::import_rvtools_csv) for what is read. A file
/// that is not an xlsx workbook, or a sheet that cannot be read, is an error naming it.
pub fn import_rvtools_xlsx(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
    books: &PricebookSet,
) -> Result<Imported, Diagnostics> {
    if let Some(e) = too_large(name, bytes, MAX_INPUT_BYTES) {
        return Err(Diagnostics(vec![e]));
    }
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
        vdatastore: None,
        other_tabs: Vec::new(),
    };
    let mut errors = Vec::new();
    for sheet in workbook.sheet_names() {
        let kind = tab_kind(&sheet);
        let slot = match kind {
            Some(TabKind::Host) => &mut inv.vhost,
            Some(TabKind::Info) => &mut inv.vinfo,
            Some(TabKind::MetaData) => &mut inv.meta,
            Some(TabKind::Datastore) => &mut inv.vdatastore,
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

/// Why a workbook may not be read, if it inflates to more than `limit` bytes: by the sizes its
/// zip directory declares (part by part and in all), then by inflating each part into
/// nothing, counting, in case the directory lies. Nothing is kept, so memory stays flat; a
/// file that is no zip is left for calamine to refuse.
fn too_large(name: &str, bytes: &[u8], limit: u64) -> Option<Diagnostic> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let refuse = |what: String| {
        Some(file_error(
            name,
            format!("{what} inflates to more than {} MiB", limit / (1024 * 1024)),
            Some(format!(
                "hypercost reads at most {} MiB from a workbook (MAX_INPUT_BYTES); export \
                 the vHost and vInfo tabs as CSV instead, or remove other sheets",
                MAX_INPUT_BYTES / (1024 * 1024)
            )),
        ))
    };
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).ok()?;
        declared = declared.saturating_add(part.size());
        if part.size() > limit {
            let part_name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            return refuse(format!("part `{part_name}`"));
        }
    }
    if declared > limit {
        return refuse("the workbook".to_owned());
    }
    let mut inflated: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).ok()?;
        let part_name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        // The zip reader itself stops a part at its declared size, with an error.
        let read = match std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink()) {
            Ok(n) => n,
            Err(e) => {
                return Some(file_error(
                    name,
                    format!("part `{part_name}` cannot be inflated: {e}"),
                    None,
                ));
            }
        };
        inflated = inflated.saturating_add(read);
        if read > limit {
            return refuse(format!("part `{part_name}` (its zip directory says less)"));
        }
        if inflated > limit {
            return refuse("the workbook (its zip directory says less)".to_owned());
        }
    }
    None
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
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = usize::try_from(first_row)
            .unwrap_or(usize::MAX)
            .saturating_add(i)
            .saturating_add(1);
        if have_header {
            tab.rows.push(Row {
                cells: Cells::new(cells.iter().map(String::as_str)),
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

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::too_large;

    /// A zip of parts of `sizes` bytes of zeros (deflated: a few bytes each).
    fn zip_of(sizes: &[usize]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (i, n) in sizes.iter().enumerate() {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), options)
                .expect("a part");
            w.write_all(&vec![0; *n]).expect("written");
        }
        w.finish().expect("a zip").into_inner()
    }

    /// Sets every uncompressed size the zip states (local headers and directory) to `size`.
    fn lie(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
        for (signature, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let starts: Vec<usize> = bytes
                .windows(4)
                .enumerate()
                .filter(|(_, w)| w == signature)
                .map(|(i, _)| i)
                .collect();
            for s in starts {
                bytes[s + at..s + at + 4].copy_from_slice(&size.to_le_bytes());
            }
        }
        bytes
    }

    #[test]
    fn a_workbook_inflating_past_the_limit_is_refused_before_and_while_inflating() {
        let limit = 4096;
        assert!(too_large("ok.xlsx", &zip_of(&[4000, 10]), limit).is_none());
        assert!(too_large("no zip", b"VMHOST,CLUSTER\n", limit).is_none());
        let one = too_large("big.xlsx", &zip_of(&[5000]), limit).expect("one part too large");
        assert_eq!(one.file, "big.xlsx");
        assert_eq!(
            one.message,
            "part `xl/worksheets/sheet1.xml` inflates to more than 0 MiB"
        );
        let all = too_large("all.xlsx", &zip_of(&[3000, 3000]), limit).expect("in all");
        assert!(
            all.message.starts_with("the workbook inflates"),
            "{}",
            all.message
        );
        let lying = lie(zip_of(&[50_000]), 100);
        let e = too_large("lying.xlsx", &lying, limit).expect("a lying directory");
        assert!(
            e.message
                .starts_with("part `xl/worksheets/sheet1.xml` cannot be inflated"),
            "{}",
            e.message
        );
    }
}
