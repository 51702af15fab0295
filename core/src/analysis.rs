//! Analyses over quotes: `compare`, `sweep`, `sensitivity`, `cheapest` and `explain`.
//!
//! Each computes and returns plain data (serialisable, since JSON is one of its outputs) and
//! never imports the renderers, which import it and turn these results into bytes through
//! one trait. Adding an analysis is a module here and one in `render/`.

pub mod cheapest;
pub mod compare;
pub mod explain;
pub mod reshape;
pub mod schedule;
pub mod sensitivity;
pub mod sweep;
pub mod uncertainty;
