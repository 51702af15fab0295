//! Source text handed to the core by a front end, and byte offsets turned into line:column.

use std::ops::Range;

/// A named text: an estate or pricebook file, or the embedded example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// What to call the file in messages (`estate.toml`, `<bundled>/vmware-vi3.toml`).
    pub name: String,
    /// The whole text.
    pub text: String,
}

impl SourceFile {
    /// Wraps a name and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset; past the end means the end.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

/// A value with the byte range it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is in its [`SourceFile`].
    pub span: Range<usize>,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Range<usize>) -> Spanned<T> {
        Spanned { value, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_in_characters() {
        let f = SourceFile::new("x", "a = 1\nnamé = 2\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.line_col(12), (2, 6));
        assert_eq!(f.line_col(999), (3, 1));
    }
}
