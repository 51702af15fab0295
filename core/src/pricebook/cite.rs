//! Citation shorthands → addresses a reader can open.
//!
//! A pricebook's `source` may use short forms that are easier to write and check than long
//! URLs. The forms are data, `pricebooks/citations/shorthands.toml` (each a `form` with
//! placeholders and the `address` it stands for); the reader expands them once, here, so every
//! output (quote JSON, text, HTML, Markdown, workbook, explain, `pricebook show` and `diff`)
//! shows the same openable address without knowing the forms.

use std::sync::LazyLock;

/// The bundled shorthand list.
const SHORTHANDS: &str = include_str!("../../../pricebooks/citations/shorthands.toml");

/// A placeholder of a form, by the characters it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hole {
    /// `{year}`: four digits.
    Year,
    /// `{n}`: one or more digits.
    Number,
    /// `{commit}`: 7 to 40 hexadecimal digits.
    Commit,
    /// `{file}`: a file name, no white space, `/`, `\`, `@` or closing punctuation.
    File,
}

impl Hole {
    const ALL: [(&'static str, Hole); 4] = [
        ("year", Hole::Year),
        ("n", Hole::Number),
        ("commit", Hole::Commit),
        ("file", Hole::File),
    ];

    fn takes(self, c: char) -> bool {
        match self {
            Hole::Year | Hole::Number => c.is_ascii_digit(),
            Hole::Commit => c.is_ascii_hexdigit(),
            Hole::File => !ends_token(c) && !matches!(c, '/' | '\\' | '@'),
        }
    }

    fn fits(self, value: &str) -> bool {
        match self {
            Hole::Year => value.len() == 4,
            Hole::Number | Hole::File => !value.is_empty(),
            Hole::Commit => (7..=40).contains(&value.len()),
        }
    }
}

/// Where a citation token ends.
fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, ')' | ']' | ';' | ',' | '"' | '\'')
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Hole(Hole),
}

/// One shorthand of the list.
#[derive(Clone, Debug)]
struct Shorthand {
    form: String,
    /// The form split into text and placeholders; it starts with text.
    parts: Vec<Part>,
    address: String,
    /// Replace the match by the address (else keep it and add ` (<address>)`).
    replace: bool,
}

/// Text with `{name}` placeholders split into parts; `None` for an unknown or unclosed one.
fn parts(form: &str) -> Option<Vec<Part>> {
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Part::Text(rest[..open].to_owned()));
        }
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        out.push(Part::Hole(Hole::ALL.iter().find(|(n, _)| *n == name)?.1));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest.to_owned()));
    }
    Some(out)
}

/// Reads the shorthand list; `Err` names the first bad entry.
fn read_shorthands(text: &str) -> Result<Vec<Shorthand>, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let list = doc
        .get("shorthand")
        .and_then(toml::Value::as_array)
        .ok_or("no [[shorthand]] list")?;
    list.iter()
        .enumerate()
        .map(|(i, entry)| {
            let bad = |what: &str| format!("shorthand[{i}]: {what}");
            let field = |k: &str| entry.get(k).and_then(toml::Value::as_str);
            let form = field("form").ok_or_else(|| bad("no form"))?;
            let address = field("address").ok_or_else(|| bad("no address"))?;
            let replace = entry
                .get("replace")
                .map_or(Some(false), toml::Value::as_bool)
                .ok_or_else(|| bad("replace is true or false"))?;
            let p = parts(form)
                .filter(|p| matches!(p.first(), Some(Part::Text(_))))
                .ok_or_else(|| {
                    bad("a form starts with text; placeholders: year, n, commit, file")
                })?;
            let used_ok = parts(address).is_some_and(|a| {
                a.iter()
                    .all(|x| !matches!(x, Part::Hole(_)) || p.contains(x))
            });
            if !used_ok {
                return Err(bad("the address uses a placeholder its form lacks"));
            }
            Ok(Shorthand {
                form: form.to_owned(),
                parts: p,
                address: address.to_owned(),
                replace,
            })
        })
        .collect()
}

/// The bundled list, read once. A test proves it reads; were it broken, sources would stay
/// as written (still valid text), never a panic.
static BUNDLED: LazyLock<Vec<Shorthand>> =
    LazyLock::new(|| read_shorthands(SHORTHANDS).unwrap_or_default());

/// `source` with every bundled shorthand expanded, the text around them kept. A source that
/// starts a replacing shorthand (`MSVB:`) but does not match its form is an error naming the
/// form, so a typo cannot reach a quote as an address that opens nothing. Expanding an
/// expanded source changes nothing.
pub(super) fn expand_citations(source: &str) -> Result<String, String> {
    expand_with(&BUNDLED, source)
}

fn expand_with(list: &[Shorthand], source: &str) -> Result<String, String> {
    let mut text = source.to_owned();
    for s in list {
        text = expand_one(s, &text)?;
    }
    Ok(text)
}

fn expand_one(s: &Shorthand, text: &str) -> Result<String, String> {
    let Some(Part::Text(lead)) = s.parts.first() else {
        return Ok(text.to_owned());
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = find_word(rest, lead) {
        out.push_str(&rest[..at]);
        let from = &rest[at..];
        match matched(&s.parts, from) {
            Some((len, values)) => {
                let address = fill(&s.address, &values);
                if s.replace {
                    out.push_str(&address);
                } else {
                    out.push_str(&from[..len]);
                    if !text.contains(&address) {
                        out.push_str(&format!(" ({address})"));
                    }
                }
                rest = &from[len..];
            }
            None if s.replace => {
                let token = &from[..from.find(ends_token).unwrap_or(from.len())];
                return Err(format!(
                    "`{token}` is not a citation of the form `{}`",
                    s.form
                ));
            }
            None => {
                out.push_str(lead);
                rest = &from[lead.len()..];
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The length of the match of `parts` at the start of `text` and each placeholder's value;
/// a match must end a word.
fn matched<'t>(parts: &[Part], text: &'t str) -> Option<(usize, Vec<(Hole, &'t str)>)> {
    let mut at = 0;
    let mut values = Vec::new();
    for p in parts {
        let rest = &text[at..];
        match p {
            Part::Text(t) => {
                rest.strip_prefix(t.as_str())?;
                at += t.len();
            }
            Part::Hole(h) => {
                let len = rest.find(|c| !h.takes(c)).unwrap_or(rest.len());
                let value = &rest[..len];
                if !h.fits(value) {
                    return None;
                }
                values.push((*h, value));
                at += len;
            }
        }
    }
    let whole = !text[at..].starts_with(|c: char| c.is_alphanumeric());
    whole.then_some((at, values))
}

fn fill(address: &str, values: &[(Hole, &str)]) -> String {
    let mut out = address.to_owned();
    for (name, hole) in Hole::ALL {
        if let Some((_, v)) = values.iter().find(|(h, _)| *h == hole) {
            out = out.replace(&format!("{{{name}}}"), v);
        }
    }
    out
}

/// Where `word` starts in `text` at the start of a word (not inside another word or address).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let prev = text[..at].chars().next_back();
        if prev.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | ',' | ';')) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{BUNDLED, SHORTHANDS, expand_citations, read_shorthands};

    const BLOG: &str = "https://github.com/MicrosoftDocs/Virtualization-Documentation/blob/";

    fn ok(s: &str) -> String {
        expand_citations(s).expect("valid citation")
    }

    #[test]
    fn the_bundled_list_reads_and_bad_entries_are_named() {
        let list = read_shorthands(SHORTHANDS).expect("the bundled list reads");
        assert_eq!(list.len(), BUNDLED.len());
        assert!(list.len() >= 3);
        for (text, what) in [
            (
                "[[shorthand]]\nform = \"{n} KB\"\naddress = \"x\"",
                "starts with text",
            ),
            (
                "[[shorthand]]\nform = \"K {sha}\"\naddress = \"x\"",
                "starts with text",
            ),
            (
                "[[shorthand]]\nform = \"K {n}\"\naddress = \"x/{year}\"",
                "lacks",
            ),
            ("[[shorthand]]\naddress = \"x\"", "no form"),
        ] {
            let e = read_shorthands(text).expect_err(text);
            assert!(e.starts_with("shorthand[0]: ") && e.contains(what), "{e}");
        }
    }

    #[test]
    fn msvb_becomes_the_file_at_its_commit() {
        assert_eq!(
            ok("MSVB:2009/20090504-vmware-vsphere-pricing.md@2850a0b2"),
            format!(
                "{BLOG}2850a0b2/virtualization/community/team-blog/2009/\
                 20090504-vmware-vsphere-pricing.md"
            )
        );
    }

    #[test]
    fn several_shorthands_in_one_source_keep_the_text_around_them() {
        let s = "https://a.example/x ; MSVB:2009/a.md@400b6712 (tables) ; \
                 derived (MSVB:2011/b-c.md@459a5988); Broadcom KB 313548, VMware KB 1010690.";
        assert_eq!(
            ok(s),
            format!(
                "https://a.example/x ; {BLOG}400b6712/virtualization/community/team-blog/2009/a.md \
                 (tables) ; derived ({BLOG}459a5988/virtualization/community/team-blog/2011/b-c.md); \
                 Broadcom KB 313548 (https://knowledge.broadcom.com/external/article/313548), \
                 VMware KB 1010690 (https://knowledge.broadcom.com/external/article?legacyId=1010690)."
            )
        );
    }

    #[test]
    fn expanding_twice_changes_nothing_and_plain_text_is_kept() {
        for s in [
            "MSVB:2009/a.md@400b6712 ; Broadcom KB 326663",
            "seed article (2009), section 'Cisco Nexus 1000v Trial'",
            "notes cite MSVB 20090504 without a commit",
            "VMware KB 1010690 http://kb.vmware.com/x?externalId=1010690",
        ] {
            let once = ok(s);
            assert_eq!(ok(&once), once, "{s}");
        }
        for kept in [
            "Broadcom KB article ; VMware KB 12ab ; KB 313548",
            "xMSVB:nope",
        ] {
            assert_eq!(ok(kept), kept);
        }
    }

    #[test]
    fn a_malformed_msvb_citation_is_refused_naming_the_form() {
        for bad in [
            "MSVB:2009/a.md",
            "MSVB:09/a.md@400b6712",
            "MSVB:2009/@400b6712",
            "MSVB:2009/a.md@xyz",
            "see MSVB:2009/sub/a.md@400b6712",
            "MSVB:",
        ] {
            let e = expand_citations(bad).expect_err(bad);
            assert!(
                e.contains("is not a citation of the form `MSVB:{year}/{file}@{commit}`"),
                "{e}"
            );
        }
    }
}
