//! The `hypercost` command: parse arguments, call [`hypercost::run`], map to an exit code.

#![allow(
    clippy::disallowed_methods,
    reason = "the binary owns the process streams and environment"
)]

use std::io::IsTerminal;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a large quote is mostly small allocations
/// (its lines' rules and formulas), served about a quarter faster (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let code = hypercost::run(
        std::env::args_os(),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        color,
    );
    ExitCode::from(code)
}
