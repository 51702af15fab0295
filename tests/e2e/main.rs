//! End-to-end tests of hypercost across crates: one test binary.
