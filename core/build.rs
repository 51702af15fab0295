//! Bundles `../pricebooks/*.toml` into the library: one `include_str!` per file, sorted by
//! name, so adding a pricebook is a data-only change and the WASM build carries the books.

use std::fmt::Write as _;
use std::path::PathBuf;

#[allow(
    clippy::disallowed_methods,
    reason = "a build script reads the pricebook folder"
)]
fn main() {
    // The manifest directory as cargo gives it when it runs the script, not as it was when the
    // script was compiled: a build directory shared between checkouts (worktrees, a CI cache)
    // may run a script compiled in another, since removed, checkout.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = PathBuf::from(manifest).join("../pricebooks");
    println!("cargo:rerun-if-changed={}", dir.display());
    // No pricebooks is a broken build, never a library that silently knows no prices.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the pricebooks in {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    assert!(!files.is_empty(), "no pricebooks in {}", dir.display());
    files.sort();
    let mut out = String::from(
        "/// Bundled pricebooks: (file stem, TOML text).\npub(crate) const PRICEBOOKS: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let path = f.canonicalize().unwrap_or_else(|_| f.clone());
        let _ = writeln!(
            out,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("bundled.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
