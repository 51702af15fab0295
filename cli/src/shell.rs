//! `hypercost completions SHELL` and `hypercost man [COMMAND…]`: generated from the clap
//! definition ([`crate::command`]), so they list every command and option there is, with the
//! help text `--help` shows.

use std::io::Write;

use hypercost_core::Diagnostic;

use crate::args::{CompletionsArgs, ManArgs};
use crate::{EXIT_FAILURE, EXIT_OK, Refused, write_stdout};

/// Prints the completion script for the shell.
pub(crate) fn completions(
    a: &CompletionsArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let mut cmd = crate::command();
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, name, &mut script);
    write_stdout(stdout, stderr, &script)
}

/// Prints the man page of hypercost or of one of its commands, or writes every page into
/// `--dir`.
pub(crate) fn man(a: &ManArgs, quiet: bool, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    if let Some(dir) = &a.dir {
        return man_pages(dir, quiet, stderr);
    }
    let mut root = crate::command();
    root.build();
    let mut cmd = &root;
    for word in &a.command {
        match cmd.find_subcommand(word) {
            Some(sub) => cmd = sub,
            None => {
                let valid: Vec<&str> = cmd
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .filter(|n| *n != "help")
                    .collect();
                return Refused::option(
                    "man",
                    Diagnostic::input(
                        "command",
                        format!("`{}` is not a command of {}", word, page_name(cmd)),
                        Some(format!("commands: {}", valid.join(", "))),
                    ),
                )
                .report(stderr, false);
            }
        }
    }
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd.clone()).render(&mut page) {
        let _ = writeln!(stderr, "hypercost: cannot render the man page: {e}");
        return EXIT_FAILURE;
    }
    write_stdout(stdout, stderr, &page)
}

/// Writes the page of hypercost and of every command into `dir`: exit 1 when it cannot.
fn man_pages(dir: &std::path::Path, quiet: bool, stderr: &mut dyn Write) -> u8 {
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| clap_mangen::generate_to(crate::command(), dir))
        .and_then(|()| std::fs::read_dir(dir))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    name.starts_with("hypercost") && name.ends_with(".1")
                })
                .count()
        });
    match written {
        Ok(pages) => {
            if !quiet {
                let _ = writeln!(
                    stderr,
                    "hypercost: wrote {pages} man pages to {}",
                    dir.display()
                );
            }
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(
                stderr,
                "hypercost: cannot write the man pages to {}: {e}",
                dir.display()
            );
            EXIT_FAILURE
        }
    }
}

/// `hypercost-import-rvtools`: a command's page name, as `man` files it.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_owned()
}
