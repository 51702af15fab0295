//! The hypercost command line: a thin shell over `hypercost-core`.
//!
//! [`run`] takes arguments and streams and returns an exit code, so tests drive the real
//! argument parsing, renderers and exit codes in-process. The exit codes are declared once,
//! in [`EXIT_CODES`], which `--help`, the man page and the README state.

#![allow(
    clippy::disallowed_methods,
    reason = "the CLI is the front end that does the I/O the core may not"
)]

mod args;
mod cheapest;
mod compare;
mod explain;
mod hardware;
mod import;
mod init;
mod pricebook;
mod report;
mod reshape;
mod schedule;
mod schema;
mod sensitivity;
mod shell;
mod sweep;
mod uncertainty;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches};
use hypercost_core::import::MAX_INPUT_BYTES;
use hypercost_core::{
    Diagnostic, Diagnostics, Estate, Format, LoadedPricebooks, PricebookSet, Pricing, Report,
    SourceFile, example_estate, parse_estate,
};

pub use args::HardwareCommand;
pub use args::{
    CheapestArgs, Cli, Command, ExplainArgs, ImportArgs, ImportCommand, OutputArgs,
    PricebookCommand, PricingArgs, QuoteArgs, SchemaArgs, SchemaKindArg,
};
pub use args::{
    CompareArgs, ReshapeArgs, ScheduleArgs, SensitivityArgs, SweepArgs, UncertaintyArgs,
};
pub use args::{CompletionsArgs, InitArgs, ManArgs};
pub use args::{ExportArgs, ExportCommand};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: a failure that is not the input's fault (writing output).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: bad input.
pub const EXIT_INPUT: u8 = 2;

/// Every exit code of every command and what it means: the one statement of the rule, which
/// `--help` and the man page end with and the README shows ([`exit_codes_text`]).
pub const EXIT_CODES: [(u8, &str); 3] = [
    (
        EXIT_OK,
        "success: the output is written (also when standard output is a closed pipe)",
    ),
    (
        EXIT_FAILURE,
        "the run cannot write its output (a folder that does not exist, a full disk), or an \
         internal error; the input was fine",
    ),
    (
        EXIT_INPUT,
        "bad input: an argument, estate, pricebook, catalogue or inventory, each problem named \
         with its place and what is valid (also a result too large for the format asked, an \
         -o that would overwrite an input, or init's FILE that exists); nothing is written",
    ),
];

/// [`EXIT_CODES`] as the text `--help` ends with (and the README shows): one code a
/// paragraph, wrapped to fit the help's 100 columns as it is.
pub fn exit_codes_text() -> String {
    let mut out = String::from("Exit codes (every command):\n");
    for (code, meaning) in EXIT_CODES {
        let first = format!("  {code}  ");
        let options = textwrap::Options::new(96)
            .initial_indent(&first)
            .subsequent_indent("     ")
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for line in textwrap::wrap(meaning, options) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Whether standard error gets colour: only a terminal, and never with `NO_COLOR` set to a
/// non-empty value (<https://no-color.org>).
pub fn color_wanted(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// The command line as clap parses it, with the exit codes after the help.
fn base_command() -> clap::Command {
    Cli::command().after_help(exit_codes_text())
}

/// The command line in full, for help, man pages and completions: the parsing command with what
/// only data can say (the short names `init --compare` takes, from the bundled pricebooks).
pub fn command() -> clap::Command {
    let shorts = hypercost_core::PricebookSet::bundled()
        .map(|books| hypercost_core::init::short_names(&books))
        .unwrap_or_default();
    base_command().mut_subcommand("init", |c| {
        c.mut_arg("compare", |a| {
            let help = a.get_help().map(ToString::to_string).unwrap_or_default();
            let listed = format!("short names ({})", shorts.join(", "));
            a.help(help.replacen("short names", &listed, 1))
        })
    })
}

/// Runs the command line; `color` enables coloured diagnostics.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Parsed without the pricebooks; help is rendered from the full command.
    let parsed = base_command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let e = if e.use_stderr() {
                e
            } else {
                command().try_get_matches_from(&args).err().unwrap_or(e)
            };
            let text = if color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            return if e.use_stderr() {
                let _ = stderr.write_all(text.as_bytes());
                EXIT_INPUT
            } else {
                let _ = stdout.write_all(text.as_bytes());
                EXIT_OK
            };
        }
    };
    let quiet = cli.quiet;
    let done = match cli.command {
        Command::Init(a) => return init::run(&a, quiet, stdout, stderr, color),
        Command::Completions(a) => return shell::completions(&a, stdout, stderr),
        Command::Man(a) => return shell::man(&a, quiet, stdout, stderr),
        Command::Quote(a) => run_quote(&a, stdin, stdout, stderr),
        Command::Pricebook(p) => return pricebook::run(&p, stdin, stdout, stderr, color),
        Command::Hardware(h) => return hardware::run(&h, stdin, stdout, stderr, color),
        Command::Schema(a) => return schema::run(&a, stdout, stderr),
        Command::Cheapest(a) => cheapest::run(&a, quiet, stdin, stdout, stderr),
        Command::Explain(a) => explain::run(&a, stdin, stdout, stderr),
        Command::Compare(a) => compare::run(&a, stdin, stdout, stderr),
        Command::Sweep(a) => sweep::run(&a, quiet, stdin, stdout, stderr),
        Command::Sensitivity(a) => sensitivity::run(&a, stdin, stdout, stderr),
        Command::Uncertainty(a) => uncertainty::run(&a, stdin, stdout, stderr),
        Command::Schedule(a) => schedule::run(&a, stdin, stdout, stderr),
        Command::Reshape(a) => reshape::run(&a, stdin, stdout, stderr),
        Command::Import(i) => return import::run(&i, quiet, stdin, stdout, stderr, color),
        Command::Export(e) => return import::export(&e, stdin, stdout, stderr, color),
    };
    done.unwrap_or_else(|refused| refused.report(stderr, color))
}

/// Input problems a command refused, with the files they point into: reported together by
/// [`report::render`], the one renderer, with exit code 2.
#[derive(Debug)]
pub(crate) struct Refused {
    diagnostics: Diagnostics,
    files: Vec<SourceFile>,
}

impl Refused {
    /// Problems in `files` (whose text the report shows).
    pub(crate) fn in_files(diagnostics: Diagnostics, files: Vec<SourceFile>) -> Refused {
        Refused { diagnostics, files }
    }

    /// Problems with no file, from `option` (`--vary`, `--baseline`, `-o`).
    pub(crate) fn option(option: &str, diagnostics: impl Into<Diagnostics>) -> Refused {
        Refused::in_files(diagnostics.into().from_option(option), Vec::new())
    }

    /// Problems in options the core names by the option's own name: a diagnostic with field
    /// `scenario` came from `--scenario`.
    pub(crate) fn flag(diagnostics: Diagnostics) -> Refused {
        let named = diagnostics
            .0
            .into_iter()
            .map(|d| {
                let option = format!("--{}", d.field);
                d.from_option(&option)
            })
            .collect();
        Refused::in_files(Diagnostics(named), Vec::new())
    }

    /// Writes the reports to standard error; exit code 2.
    pub(crate) fn report(self, stderr: &mut dyn Write, color: bool) -> u8 {
        let text = report::render(&self.diagnostics, &self.files, color);
        let _ = stderr.write_all(text.as_bytes());
        EXIT_INPUT
    }
}

impl From<Diagnostic> for Refused {
    fn from(d: Diagnostic) -> Refused {
        Refused::in_files(d.into(), Vec::new())
    }
}

/// What a command returns: its exit code once it ran (0, or 1 when writing failed), or the
/// input problems that stopped it.
pub(crate) type Ran = Result<u8, Refused>;

fn run_quote(
    a: &QuoteArgs,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let (pricing, estate) = load_pricing(&a.pricing, stdin)?;
    let mut q = pricing.quote(&estate);
    with_ranges(&mut q, &a.ranges, &pricing, &estate)?;
    emit(&q, &a.output, &a.pricing, stdout, stderr)
}

/// `--ranges`: the quote's scenarios get their P10–P90 ranges from `uncertainty`'s draws.
pub(crate) fn with_ranges(
    q: &mut hypercost_core::Quote,
    a: &args::RangeArgs,
    pricing: &Pricing,
    estate: &Estate,
) -> Result<(), Refused> {
    if !a.ranges {
        return Ok(());
    }
    let r = hypercost_core::analysis::uncertainty::uncertainty(
        estate,
        &pricing.books,
        a.draws.options(),
    )
    .map_err(Refused::flag)?;
    hypercost_core::analysis::uncertainty::attach(q, &r);
    Ok(())
}

/// What every pricing command prices, read the one way: the pricebooks (bundled +
/// `--pricebook`), the estate (a file, `-`, or the embedded example) validated against them,
/// and `--as-of` applied to it. The [`Pricing`] gives the notes every result carries.
pub(crate) fn load_pricing(
    a: &PricingArgs,
    stdin: &mut dyn Read,
) -> Result<(Pricing, Estate), Refused> {
    load_pricing_text(a, stdin).map(|(pricing, estate, _)| (pricing, estate))
}

/// [`load_pricing`], with the estate's text (a command that writes the estate back edits it,
/// keeping its comments).
pub(crate) fn load_pricing_text(
    a: &PricingArgs,
    stdin: &mut dyn Read,
) -> Result<(Pricing, Estate, SourceFile), Refused> {
    let (loaded, estate, file) = read_estate(&a.pricebooks, a.estate.as_deref(), stdin)?;
    let pricing = Pricing::new(loaded, a.as_of);
    let estate = pricing.estate(estate);
    Ok((pricing, estate, file))
}

/// The pricebooks and the validated estate (a file, `-`, or the embedded example).
fn read_estate(
    pricebooks: &[PathBuf],
    estate: Option<&Path>,
    stdin: &mut dyn Read,
) -> Result<(LoadedPricebooks, Estate, SourceFile), Refused> {
    let loaded = read_pricebooks(pricebooks, stdin)?;
    let file = match estate {
        Some(p) => read_file(p, stdin)?,
        None => example_estate(),
    };
    match parse_estate(&file, &loaded.set) {
        Ok(e) => Ok((loaded, e, file)),
        Err(d) => Err(Refused::in_files(d, vec![file])),
    }
}

/// [`read_estate`] for commands that report as they go (`export`): problems are reported on
/// `stderr` and become exit code 2.
pub(crate) fn load_estate(
    pricebooks: &[PathBuf],
    estate: Option<&Path>,
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<(LoadedPricebooks, Estate), u8> {
    read_estate(pricebooks, estate, stdin)
        .map(|(loaded, estate, _)| (loaded, estate))
        .map_err(|r| r.report(stderr, color))
}

/// Where a command writes: `-o FILE` or standard output. Every command writes through
/// [`write_output`], so the checks here hold for all of them.
pub(crate) struct Target<'a> {
    /// `-o FILE`, or `None` for standard output.
    pub(crate) path: Option<&'a Path>,
    /// Every file the command read (estate, pricebooks, import inputs): writing over one
    /// would destroy the input with its own report, so it is refused.
    pub(crate) reads: Vec<PathBuf>,
    /// The one extension a command with a fixed output takes (`toml` for an estate, `csv`,
    /// `json`); `None` where `--format` and the format registry chose the bytes.
    pub(crate) fixed: Option<&'static str>,
}

impl Target<'_> {
    /// Why `-o` may not be written, if it may not: it is one of the files read, or its
    /// extension is not the fixed output's.
    fn refusal(&self) -> Option<Refused> {
        let path = self.path?;
        let refuse = |message: String, help: &str| {
            Some(Refused::option(
                "-o",
                Diagnostic::input("output", message, Some(help.to_owned())),
            ))
        };
        if let Some(read) = self.reads.iter().find(|r| same_file(path, r)) {
            return refuse(
                format!(
                    "writing {} would overwrite {}, a file this command reads",
                    path.display(),
                    read.display()
                ),
                "write the output to another file",
            );
        }
        if let (Some(fixed), Some(ext)) = (self.fixed, path.extension())
            && !ext.eq_ignore_ascii_case(fixed)
        {
            return refuse(
                format!(
                    "{} does not end in .{fixed}, but this command writes {fixed}",
                    path.display()
                ),
                &format!("name the file FILE.{fixed}"),
            );
        }
        None
    }
}

/// The files a command names as inputs, without `-` (standard input is no file).
pub(crate) fn input_paths<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Vec<PathBuf> {
    paths
        .into_iter()
        .filter(|p| p.as_os_str() != "-")
        .map(Path::to_path_buf)
        .collect()
}

/// Whether writing `output` would write over `input`: the same canonical path (symbolic
/// links and `..` resolved; an output that does not exist yet by its folder's canonical path
/// and its name), or on Unix the same file under another name (a hard link).
fn same_file(output: &Path, input: &Path) -> bool {
    let canonical = |p: &Path| {
        p.canonicalize().ok().or_else(|| {
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            Some(parent.canonicalize().ok()?.join(p.file_name()?))
        })
    };
    if canonical(output).is_some_and(|o| canonical(input) == Some(o)) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(o), Ok(i)) = (std::fs::metadata(output), std::fs::metadata(input)) {
            return (o.dev(), o.ino()) == (i.dev(), i.ino());
        }
    }
    false
}

/// Writes output bytes to `-o FILE`, or to standard output without one; a `-o FILE` the
/// [`Target`] refuses is not touched (exit 2).
pub(crate) fn write_output(
    target: &Target<'_>,
    bytes: &[u8],
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    if let Some(refused) = target.refusal() {
        return refused.report(stderr, false);
    }
    match target.path {
        Some(path) => match std::fs::write(path, bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(stderr, "hypercost: cannot write {}: {e}", path.display());
                EXIT_FAILURE
            }
        },
        None => write_stdout(stdout, stderr, bytes),
    }
}

/// The format a result is written in, chosen the one way every command does: `--format` if
/// given, else the format `-o FILE`'s extension names, else a table. A format the result
/// cannot render, an extension that names no format, or a binary format for standard output
/// is refused with a message saying what would work (never a silent table).
pub(crate) fn choose_format(
    report: &dyn Report,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<Format, Refused> {
    // The option the choice came from, for the report.
    let (chosen, option) = match (format, output) {
        (Some(f), _) => (f, "--format"),
        (None, Some(path)) if path.extension().is_some() => {
            let f = Format::from_path(path).ok_or_else(|| {
                Refused::option(
                    "-o",
                    Diagnostic::input(
                        "format",
                        format!(
                            "cannot tell the format of {} from its extension",
                            path.display()
                        ),
                        Some(format!(
                            "known extensions: {} (or give --format)",
                            Format::known_extensions()
                        )),
                    ),
                )
            })?;
            (f, "-o")
        }
        _ => (Format::Table, "--format"),
    };
    let refuse =
        |message: String| Refused::option(option, Diagnostic::input("format", message, None));
    if !report.formats().contains(&chosen) {
        return Err(refuse(report.unsupported(chosen).to_string()));
    }
    if chosen.is_binary() && output.is_none() {
        let ext = chosen
            .extensions()
            .first()
            .copied()
            .unwrap_or(chosen.name());
        return Err(refuse(format!(
            "{chosen} is a binary format: write it with -o FILE.{ext}"
        )));
    }
    Ok(chosen)
}

/// The result's bytes in the format [`choose_format`] picks for `output`, or why not.
pub(crate) fn rendered(
    report: &dyn Report,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<Vec<u8>, Refused> {
    let chosen = choose_format(report, format, output)?;
    report.render(chosen).map_err(|e| {
        // `choose_format` refused the formats the result lacks: what is left is a limit of
        // the file format (a workbook), reported rather than written as a broken file.
        let option = if output.is_some() { "-o" } else { "--format" };
        Refused::option(
            option,
            Diagnostic::input(chosen.name(), e.to_string(), None),
        )
    })
}

/// Renders a result as [`rendered`] does and writes it to `-o FILE` or standard output,
/// never over a file of `pricing`.
pub(crate) fn emit(
    report: &dyn Report,
    output: &OutputArgs,
    pricing: &PricingArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let path = output.output.as_deref();
    let target = Target {
        path,
        reads: pricing.reads(),
        fixed: None,
    };
    if let Some(refused) = target.refusal() {
        return Err(refused);
    }
    let bytes = rendered(report, output.format, path)?;
    Ok(write_output(&target, &bytes, stdout, stderr))
}

/// The bundled pricebooks plus user files, every problem in every file together.
pub(crate) fn read_pricebooks(
    paths: &[PathBuf],
    stdin: &mut dyn Read,
) -> Result<LoadedPricebooks, Refused> {
    let files = paths
        .iter()
        .map(|p| read_file(p, stdin))
        .collect::<Result<Vec<_>, _>>()?;
    PricebookSet::load(&files).map_err(|d| Refused::in_files(d, files))
}

/// [`read_pricebooks`] for commands that report as they go: problems are reported on
/// `stderr` and become exit code 2.
pub(crate) fn load_pricebooks(
    paths: &[PathBuf],
    stdin: &mut dyn Read,
    stderr: &mut dyn Write,
    color: bool,
) -> Result<LoadedPricebooks, u8> {
    read_pricebooks(paths, stdin).map_err(|r| r.report(stderr, color))
}

/// Writes output bytes to stdout; a closed pipe is success.
pub(crate) fn write_stdout(stdout: &mut dyn Write, stderr: &mut dyn Write, bytes: &[u8]) -> u8 {
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(stderr, "hypercost: cannot write output: {e}");
            EXIT_FAILURE
        }
    }
}

/// All of `reader`, up to [`MAX_INPUT_BYTES`]: a larger input is an error saying the limit,
/// read no further, so no input can fill the memory. Every input the CLI reads comes here.
pub(crate) fn read_capped(mut reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    (&mut reader)
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_INPUT_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB, the most hypercost reads from one input",
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    Ok(bytes)
}

/// Reads a file (or standard input for `-`) into a [`SourceFile`]; the only text-file reading.
/// A file that cannot be read, or is not UTF-8 (located at its first bad byte, like every
/// other problem in a file), is refused.
pub(crate) fn read_file(path: &Path, stdin: &mut dyn Read) -> Result<SourceFile, Refused> {
    let arg = path.display().to_string();
    let name = if arg == "-" {
        "<stdin>".to_owned()
    } else {
        arg.clone()
    };
    let result = if arg == "-" {
        read_capped(stdin)
    } else {
        std::fs::File::open(path).and_then(read_capped)
    };
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(e) => {
            return Err(Refused::option(
                &name,
                Diagnostic::input("file", format!("cannot read {arg}: {e}"), None),
            ));
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let byte = e.as_bytes().get(good).copied().unwrap_or_default();
            // The text up to the bad byte is the file's own, so the report can show the line.
            let file = SourceFile::new(name, String::from_utf8_lossy(e.as_bytes()).into_owned());
            let (line, column) = file.line_col(good);
            let d = Diagnostic {
                span: good..good + char::REPLACEMENT_CHARACTER.len_utf8(),
                line,
                column,
                ..Diagnostic::input(
                    "file",
                    format!("not UTF-8 text (byte 0x{byte:02X})"),
                    Some("save the file as UTF-8".into()),
                )
                .from_option(&file.name)
            };
            Err(Refused::in_files(d.into(), vec![file]))
        }
    }
}

/// Reports a refused input that names no option or file (the `import` command's checks) the
/// one way, and gives exit code 2.
pub(crate) fn input_error(stderr: &mut dyn Write, msg: &str) -> u8 {
    Refused::from(Diagnostic::input("", msg, None)).report(stderr, false)
}

/// Where a command that can write an estate (`cheapest`, `schedule`) writes it: `-o` naming a
/// `.toml` file; `None` otherwise (the report goes where `-o` and `--format` say).
pub(crate) fn estate_target<'a>(
    output: &'a OutputArgs,
    pricing: &PricingArgs,
) -> Option<Target<'a>> {
    let path = output
        .output
        .as_deref()
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))?;
    Some(Target {
        path: Some(path),
        reads: pricing.reads(),
        fixed: Some("toml"),
    })
}

/// `-o FILE.toml` of a command that writes an estate (`cheapest`, `schedule`): the estate text
/// goes to the file only if it reads back as `expected` says (anything else is a bug, reported,
/// exit 1), then the report to standard output.
pub(crate) fn write_estate_then_report(
    target: &Target<'_>,
    text: &str,
    report: &[u8],
    books: &PricebookSet,
    expected: &dyn Fn(&Estate) -> bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Ran {
    let Some(path) = target.path else {
        return Ok(write_stdout(stdout, stderr, report));
    };
    let check = SourceFile::new(path.display().to_string(), text.to_owned());
    match parse_estate(&check, books) {
        Ok(back) if expected(&back) => {}
        Ok(_) => {
            let _ = writeln!(
                stderr,
                "hypercost: internal error: the estate written to {} would not read back as it should",
                path.display()
            );
            return Ok(EXIT_FAILURE);
        }
        Err(d) => {
            let _ = stderr.write_all(report::render(&d, &[check], false).as_bytes());
            let _ = writeln!(
                stderr,
                "hypercost: internal error: the estate written to {} would not read back",
                path.display()
            );
            return Ok(EXIT_FAILURE);
        }
    }
    Ok(
        match write_output(target, text.as_bytes(), stdout, stderr) {
            EXIT_OK => write_stdout(stdout, stderr, report),
            code => code,
        },
    )
}
