//! [`Region`]: where an estate buys, for pricebook rules that hold in some regions only
//! (VMware's 72-core minimum order, reported revoked for EMEA in 2025).

use std::fmt;

/// A sales region. The one list of regions: estates, pricebook rules, the schema and the page
/// all read [`Region::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Region {
    /// North, Central and South America.
    Americas,
    /// Europe, the Middle East and Africa.
    Emea,
    /// Asia-Pacific and Japan.
    Apj,
}

impl Region {
    /// Every region, in the order lists show them.
    pub const ALL: [Region; 3] = [Region::Americas, Region::Emea, Region::Apj];

    /// The key written in estates and pricebooks: `americas`, `emea`, `apj`.
    pub fn key(self) -> &'static str {
        match self {
            Region::Americas => "americas",
            Region::Emea => "emea",
            Region::Apj => "apj",
        }
    }

    /// The region named by `key`.
    pub fn parse(key: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Every key, for "valid regions: …" messages.
    pub fn keys() -> Vec<&'static str> {
        Region::ALL.iter().map(|r| r.key()).collect()
    }
}

/// The region a file names at `field`, or an error there listing the valid ones.
pub(crate) fn read(
    c: &mut crate::diag::Collector<'_>,
    key: &crate::source::Spanned<String>,
    field: &str,
) -> Option<Region> {
    let found = Region::parse(&key.value);
    if found.is_none() {
        c.error(
            key.span.clone(),
            field,
            format!("unknown region `{}`", key.value),
            Some(crate::diag::help_for(
                &key.value,
                &Region::keys(),
                "regions",
            )),
        );
    }
    found
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::Region;

    #[test]
    fn every_region_reads_back_from_its_key() {
        for r in Region::ALL {
            assert_eq!(Region::parse(r.key()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).expect("serialises"),
                format!("\"{}\"", r.key())
            );
        }
        assert_eq!(Region::parse("EMEA"), None, "keys are lower case");
    }
}
