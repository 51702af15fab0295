//! A text file's bytes → text, in whatever encoding the tool that wrote it used.

use encoding_rs::{Encoding, WINDOWS_1252};

/// CSV text in whatever encoding the tool wrote: UTF-8 (with or without BOM, kept for the
/// table reader to step over), else UTF-16 LE or BE or UTF-8 by their BOM, else the Windows
/// code page RVTools and PowerCLI write on western systems, Windows-1252 (so 0x80–0x9F are
/// `€`, `‘`, `”`…, not control characters). Never fails: a byte a decoder cannot map becomes
/// U+FFFD. Shared by the CLI and the browser page, which both start from a file's bytes.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    let (text, _) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => {
            encoding.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default())
        }
        None => WINDOWS_1252.decode_without_bom_handling(bytes),
    };
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode_text;

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
}
