//! One edition per real cluster for books that require it.

use std::collections::BTreeMap;

use crate::estate::Scenario;
use crate::quote::ProblemCode;

use super::Pricer;

impl<'a> Pricer<'a> {
    /// Books that require one edition per real cluster: estate clusters of one group agree.
    pub(super) fn uniform_editions(&mut self, s: &Scenario) {
        let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for p in &s.plans {
            let Some(book) = self.books.get(&p.edition.book) else {
                continue;
            };
            if !book.uniform_edition {
                continue;
            }
            let group = self.estate.clusters[p.cluster].group_name().to_owned();
            let editions = groups.entry((group, book.id.0.clone())).or_default();
            if !editions.contains(&p.edition.item) {
                editions.push(p.edition.item.clone());
            }
        }
        for ((group, book), editions) in groups {
            if editions.len() > 1 {
                self.problem(None, ProblemCode::MixedEditions, text!("cluster group {group} mixes {} of {book}: every node of a cluster must have the same edition", editions.join(" and ")));
            }
        }
    }
}
