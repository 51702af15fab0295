//! [`Shared`]: a text many lines of a quote name, allocated once and shared.
//!
//! A quote of 1,000 clusters × 10 scenarios × 5 years has about 86,000 lines, and each names
//! its cluster, its item (`book/id`), the item's name and the price's citation: a few hundred
//! distinct texts. As `String`s each line allocated and freed its own copies, and that
//! allocation was the largest part of a large quote's time. A `Shared` is cloned by a
//! reference count; it reads as a `&str` everywhere (`Deref`), and serialises as a string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable text shared by reference count (see the module).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Shared(Arc<str>);

impl Shared {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Shared {
        Shared(Arc::from(s))
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Shared {
        Shared(Arc::from(s))
    }
}

impl From<&String> for Shared {
    fn from(s: &String) -> Shared {
        Shared(Arc::from(s.as_str()))
    }
}

impl From<Shared> for String {
    fn from(s: Shared) -> String {
        s.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Shared {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Shared> for str {
    fn eq(&self, other: &Shared) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Shared> for &str {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl serde::Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Shared {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(g)
    }
}

#[cfg(test)]
mod tests {
    use super::Shared;

    #[test]
    fn reads_compares_and_serialises_as_its_text() {
        let s = Shared::from("vmware-vsphere-4.0/enterprise");
        let copy = s.clone();
        assert!(
            std::ptr::eq(s.as_str(), copy.as_str()),
            "a clone shares the text"
        );
        assert_eq!(s, "vmware-vsphere-4.0/enterprise");
        assert_eq!(s.to_string(), "vmware-vsphere-4.0/enterprise");
        assert_eq!(format!("{s:?}"), "\"vmware-vsphere-4.0/enterprise\"");
        assert_eq!(
            serde_json::to_string(&s).expect("serialises"),
            "\"vmware-vsphere-4.0/enterprise\""
        );
        assert!(s.starts_with("vmware"), "reads as a str");
    }
}
