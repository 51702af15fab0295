//! The one duplicate check of every importer (per-host CSV, cluster CSV, RVTools vHost): a
//! name seen again on a later row is refused there, naming both rows. Names that differ only
//! in case are the same (`esx1`, `ESX1`): vCenter and DNS names are case-insensitive, and a
//! host counted twice overstates every licence.

use std::collections::HashMap;

use super::table::Table;
use crate::diag::Diagnostic;

/// The names seen so far in one table, each with its first row number.
pub(super) struct Unique {
    /// What a name names, for the message: `host`, `cluster`.
    what: &'static str,
    seen: HashMap<(String, String), usize>,
}

impl Unique {
    pub(super) fn new(what: &'static str) -> Unique {
        Unique {
            what,
            seen: HashMap::new(),
        }
    }

    /// Records `name` (within `scope`, such as its vCenter; empty for none) at `row`; when it
    /// was seen before, the error at this row's `col`, with `help`.
    pub(super) fn check(
        &mut self,
        t: &Table,
        row: usize,
        col: usize,
        scope: &str,
        name: &str,
        help: &str,
    ) -> Option<Diagnostic> {
        let key = (scope.to_lowercase(), name.to_lowercase());
        let here = t.row_number(row);
        match self.seen.get(&key) {
            Some(first) => Some(t.error(
                row,
                col,
                format!(
                    "{} `{name}` appears twice (rows {first} and {here})",
                    self.what
                ),
                Some(help.to_owned()),
            )),
            None => {
                self.seen.insert(key, here);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::date::Date;
    use crate::import::{ImportOptions, import_cluster_csv, import_hosts};
    use crate::pricebook::PricebookSet;
    use crate::source::SourceFile;

    fn opts() -> ImportOptions<'static> {
        ImportOptions::new(Date::new(2026, 11, 25).expect("valid"))
    }

    #[test]
    fn a_host_named_twice_in_other_case_is_refused_at_the_second_row() {
        let books = PricebookSet::bundled().expect("bundled");
        let f = SourceFile::new(
            "h.csv",
            "Name,Parent,CpuCount,NumCpu\nesx1,c,2,32\nESX1,c,2,32\n",
        );
        let d = import_hosts(&f, opts(), &books).expect_err("one host twice");
        assert_eq!(d.0.len(), 1, "{d}");
        assert_eq!(d.0[0].message, "host `ESX1` appears twice (rows 2 and 3)");
        assert_eq!(d.0[0].line, 3);
        // The same name in another vCenter is another host.
        let f = SourceFile::new(
            "h.csv",
            "Name,Parent,VCenter,CpuCount,NumCpu\nesx1,c,vc1,2,32\nesx1,c,vc2,2,32\n",
        );
        let i = import_hosts(&f, opts(), &books).expect("two hosts");
        assert_eq!(i.summary.hosts, 2);
    }

    #[test]
    fn a_cluster_named_twice_in_a_cluster_csv_is_refused_naming_both_rows() {
        let books = PricebookSet::bundled().expect("bundled");
        let f = SourceFile::new(
            "c.csv",
            "CLUSTER_NAME,NUMBER_OF_HOSTS,NUMBER_OF_CPU_SOCKETS,NUMBER_OF_CPU_CORES_PER_SOCKET\n\
             prod,4,2,16\nPROD,4,2,16\n",
        );
        let d = import_cluster_csv(&f, opts(), &books).expect_err("one cluster twice");
        assert_eq!(
            d.0[0].message,
            "cluster `PROD` appears twice (rows 2 and 3)"
        );
        assert_eq!(d.0[0].line, 3);
    }
}
