//! Estate text → validate → quote → every format of the registry, with the writer's round trip.
#![no_main]

use hypercost_fuzz::{BOOKS, check_estate_text, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_estate_text("fuzz.toml", &text(data), &BOOKS);
});
