//! A text file's bytes → text, in whatever encoding the tool that wrote it used.
//!
//! Written by hand rather than with `encoding_rs`: hypercost needs three of the WHATWG
//! encodings (UTF-8, UTF-16 and Windows-1252), and `encoding_rs` links the tables of all of
//! them (CJK included) into the page's WebAssembly, about 145 KiB gzipped over its 400 KiB
//! budget. The decoder is tested byte for byte against `encoding_rs` (a dev-dependency).

/// Windows-1252's 0x80–0x9F, as the WHATWG Encoding Standard maps them (the five bytes the
/// code page leaves undefined map to the C1 control of the same value). Every other byte is
/// the Unicode code point of the same value.
const WINDOWS_1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// CSV text in whatever encoding the tool wrote: UTF-8 (with or without BOM, kept for the
/// table reader to step over), else UTF-16 LE or BE or UTF-8 by their BOM, else the Windows
/// code page RVTools and PowerCLI write on western systems, Windows-1252 (so 0x80–0x9F are
/// `€`, `‘`, `”`…, not control characters). Never fails: a byte a decoder cannot map becomes
/// U+FFFD. Shared by the CLI and the browser page, which both start from a file's bytes.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => bytes.iter().map(|b| windows_1252(*b)).collect(),
    }
}

fn windows_1252(b: u8) -> char {
    match b {
        0x80..=0x9F => WINDOWS_1252_80_9F[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// UTF-16 code units from byte pairs; unpaired surrogates and an odd last byte become U+FFFD
/// (one for a lead surrogate and the odd byte after it, as the Encoding Standard decodes an
/// unfinished stream).
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let pairs = bytes.chunks_exact(2);
    let odd = !pairs.remainder().is_empty();
    let units: Vec<u16> = pairs.map(|p| unit([p[0], p[1]])).collect();
    let mut out: String = char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    let ends_in_lead = units.last().is_some_and(|u| (0xD800..0xDC00).contains(u));
    if odd && !ends_in_lead {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

#[cfg(test)]
mod tests {
    use encoding_rs::{Encoding, WINDOWS_1252};
    use proptest::prelude::*;

    use super::decode_text;

    /// What `encoding_rs` makes of the same bytes: the reference.
    fn reference(bytes: &[u8]) -> String {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_owned();
        }
        let (text, _) = match Encoding::for_bom(bytes) {
            Some((encoding, bom)) => encoding.decode_without_bom_handling(&bytes[bom..]),
            None => WINDOWS_1252.decode_without_bom_handling(bytes),
        };
        text.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom_is_kept() {
        assert_eq!(decode_text("Zürich".as_bytes()), "Zürich");
        assert_eq!(decode_text(b"\xEF\xBB\xBFa;b"), "\u{feff}a;b");
    }

    #[test]
    fn utf16_is_read_by_its_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Host;€".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Host;€".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(&le), "Host;€");
        assert_eq!(decode_text(&be), "Host;€");
    }

    #[test]
    fn other_bytes_are_windows_1252_not_latin_1() {
        // 0x80 is the euro sign and 0x93/0x94 curly quotes in Windows-1252; Latin-1 would give
        // C1 control characters. 0xE9 is `é` in both.
        assert_eq!(decode_text(b"\x80 \x93caf\xE9\x94"), "€ “café”");
    }

    #[test]
    fn every_single_byte_decodes_as_encoding_rs_does() {
        for b in 0x80..=0xFFu8 {
            // A lone byte ≥ 0x80 is never UTF-8: the Windows-1252 path.
            assert_eq!(
                decode_text(&[b'x', b]),
                reference(&[b'x', b]),
                "byte {b:#04x}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_bytes_decode_as_encoding_rs_does(
            bom in prop::sample::select(vec![vec![], vec![0xEF, 0xBB, 0xBF], vec![0xFF, 0xFE], vec![0xFE, 0xFF]]),
            body in prop::collection::vec(any::<u8>(), 0..64),
        ) {
            let bytes: Vec<u8> = bom.into_iter().chain(body).collect();
            prop_assert_eq!(decode_text(&bytes), reference(&bytes));
        }
    }
}
