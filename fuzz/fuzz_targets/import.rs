//! Every importer through the one dispatch both shells call (`import::import_files`): per-host
//! CSV, cluster CSV, RVTools tab CSVs, RVTools workbooks. On success the estate text parses
//! back to the imported estate, which quotes with every invariant; a refusal has an error.
//!
//! Input: the first byte picks the kind (`ImportKind::ALL`); the rest is files, each
//! `\0FILE\0NAME\n` and then its bytes (`fuzz/seed` writes the corpus this way).
#![no_main]

use hypercost_core::Date;
use hypercost_core::import::{ImportKind, ImportOptions, import_files};
use hypercost_fuzz::{BOOKS, check_estate_text};
use libfuzzer_sys::fuzz_target;

const MARK: &[u8] = b"\0FILE\0";

/// The files of an input: (name, bytes), empty pieces left out.
fn files(data: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    let mut rest = data;
    loop {
        let end = rest
            .windows(MARK.len())
            .position(|w| w == MARK)
            .unwrap_or(rest.len());
        let piece = &rest[..end];
        if !piece.is_empty() {
            let (name, bytes) = match piece.iter().position(|b| *b == b'\n') {
                Some(nl) => (&piece[..nl], &piece[nl + 1..]),
                None => (piece, &[][..]),
            };
            out.push((String::from_utf8_lossy(name).into_owned(), bytes));
        }
        if end == rest.len() {
            return out;
        }
        rest = &rest[end + MARK.len()..];
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let (kind, _) = ImportKind::ALL[usize::from(kind) % ImportKind::ALL.len()];
    let owned = files(rest);
    let files: Vec<(&str, &[u8])> = owned.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let options = ImportOptions::new(Date::new(2026, 11, 25).expect("a date"));
    match import_files(kind, "export", &files, options, &BOOKS) {
        Ok((read, imported)) => {
            assert_ne!(read, ImportKind::Auto, "the kind read is told");
            let estate = check_estate_text("imported.toml", &imported.toml, &BOOKS)
                .unwrap_or_else(|| panic!("the imported estate is refused:\n{}", imported.toml));
            assert_eq!(
                estate, imported.estate,
                "the estate text is the imported estate"
            );
            let hosts: u64 = estate.clusters.iter().map(|c| u64::from(c.hosts)).sum();
            assert_eq!(
                hosts, imported.summary.hosts,
                "the summary counts the estate's hosts"
            );
        }
        Err(d) => {
            assert!(d.has_errors(), "a refused import has an error: {d}");
            assert!(d.0.iter().all(|e| !e.message.is_empty()), "{d}");
        }
    }
});
