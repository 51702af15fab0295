//! `hypercost schema estate|pricebook|quote`: the JSON Schemas of the formats.

use std::io::Write;

use hypercost_core::schema::{SchemaKind, json};

use crate::args::{SchemaArgs, SchemaKindArg};
use crate::{Target, write_output};

/// Prints (or writes) one schema.
pub(crate) fn run(a: &SchemaArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let kind = match a.kind {
        SchemaKindArg::Estate => SchemaKind::Estate,
        SchemaKindArg::Pricebook => SchemaKind::Pricebook,
        SchemaKindArg::Quote => SchemaKind::Quote,
        SchemaKindArg::Hardware => SchemaKind::Hardware,
    };
    let text = json(kind);
    let target = Target {
        path: a.output.as_deref(),
        reads: Vec::new(),
        fixed: Some("json"),
    };
    write_output(&target, text.as_bytes(), stdout, stderr)
}
