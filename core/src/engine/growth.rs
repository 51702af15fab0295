//! The cluster as it is each year of the horizon (`Estate::shapes`, shared with the reader,
//! which refuses counts that outgrow their ranges).

use std::borrow::Cow;

use crate::estate::{Cluster, Estate};

/// One cluster shape per year (index 0 = year 1), and the problem when a count outgrows its
/// declared range. The reader and `Field::set` refuse such estates, so this only happens to
/// an estate built by hand: it is then priced as it stands in year 1, every year, and the
/// problem says so (the quote is not compliant) rather than pricing a clamped count.
pub(crate) fn shapes<'c>(
    estate: &Estate,
    cl: &'c Cluster,
) -> (Vec<Cow<'c, Cluster>>, Option<String>) {
    match estate.shapes(cl) {
        Ok(shapes) => (shapes, None),
        Err(outgrown) => {
            let years = usize::try_from(estate.years).unwrap_or_default();
            let message = text!(
                "{} ({}); priced without growth",
                outgrown.message,
                outgrown.help
            );
            (vec![Cow::Borrowed(cl); years], Some(message))
        }
    }
}
