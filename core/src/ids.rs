//! Identifiers: pricebook ids and `pricebook-id/item-id` references.

use std::fmt;

/// A pricebook id such as `vmware-vsphere-4.0`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PricebookId(pub String);

impl fmt::Display for PricebookId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A reference to an item (edition, add-on, upgrade path, …) of a pricebook:
/// `vmware-vsphere-4.0/enterprise-plus`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    /// The pricebook.
    pub book: PricebookId,
    /// The item's id inside the pricebook.
    pub item: String,
}

impl ItemRef {
    /// Parses `pricebook-id/item-id`.
    pub fn parse(text: &str) -> Result<ItemRef, String> {
        match text.split_once('/') {
            Some((book, item)) if is_valid_id(book) && is_valid_id(item) => Ok(ItemRef {
                book: PricebookId(book.to_owned()),
                item: item.to_owned(),
            }),
            _ => Err(format!(
                "`{text}` is not a reference `pricebook-id/item-id` (lowercase ids joined by `/`)"
            )),
        }
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_none() && f.precision().is_none() {
            // The common case writes straight through, without a temporary string.
            write!(f, "{}/{}", self.book.0, self.item)
        } else {
            f.pad(&format!("{}/{}", self.book.0, self.item))
        }
    }
}

/// Ids are lowercase kebab-case with dots allowed: `[a-z0-9][a-z0-9.-]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = ItemRef::parse("vmware-vsphere-4.0/enterprise-plus").unwrap();
        assert_eq!(r.book.0, "vmware-vsphere-4.0");
        assert_eq!(r.item, "enterprise-plus");
        assert_eq!(r.to_string(), "vmware-vsphere-4.0/enterprise-plus");
        assert!(ItemRef::parse("enterprise-plus").is_err());
        assert!(ItemRef::parse("VMware/x").is_err());
        assert!(ItemRef::parse("a/b/c").is_err());
    }
}
