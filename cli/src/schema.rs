//! `hypercost schema estate|pricebook|quote`: the JSON Schemas of the formats.

use std::io::Write;

use hypercost_core::schema::{SchemaKind, json};

use crate::args::{SchemaArgs, SchemaKindArg};
use crate::{EXIT_FAILURE, EXIT_OK, write_stdout};

/// Prints (or writes) one schema.
pub(crate) fn run(a: &SchemaArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let kind = match a.kind {
        SchemaKindArg::Estate => SchemaKind::Estate,
        SchemaKindArg::Pricebook => SchemaKind::Pricebook,
        SchemaKindArg::Quote => SchemaKind::Quote,
    };
    let text = json(kind);
    match &a.output {
        Some(path) => match std::fs::write(path, text.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(stderr, "hypercost: cannot write {}: {e}", path.display());
                EXIT_FAILURE
            }
        },
        None => write_stdout(stdout, stderr, text.as_bytes()),
    }
}
