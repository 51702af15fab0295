//! `hypercost import hosts|cluster-csv FILE`: an inventory CSV → an estate file.

use std::io::{Read, Write};

use hypercost_core::import::{ImportOptions, Imported, import_cluster_csv, import_hosts};

use crate::args::{ImportArgs, ImportCommand};
use crate::{EXIT_FAILURE, EXIT_INPUT, EXIT_OK, input_error, load_pricebooks, read_file, report};

/// Runs one import.
pub(crate) fn run(
    command: &ImportCommand,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    color: bool,
) -> u8 {
    let (a, hosts) = match command {
        ImportCommand::Hosts(a) => (a, true),
        ImportCommand::ClusterCsv(a) => (a, false),
    };
    let loaded = match load_pricebooks(&[], stdin, stderr, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let file = match read_file(&a.file, stdin) {
        Ok(f) => f,
        Err(msg) => return input_error(stderr, &msg),
    };
    let options = ImportOptions::new(a.date.unwrap_or_else(today));
    let result = if hosts {
        import_hosts(&file, options, &loaded.set)
    } else {
        import_cluster_csv(&file, options, &loaded.set)
    };
    let imported = match result {
        Ok(i) => i,
        Err(d) => {
            let _ = stderr.write_all(report::render(&d, &[file], color).as_bytes());
            return EXIT_INPUT;
        }
    };
    if !a.summary {
        // The summary lists the warnings itself.
        for w in &imported.warnings {
            let _ = writeln!(stderr, "{w}");
        }
    }
    let code = match &a.output {
        Some(path) => match std::fs::write(path, imported.toml.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(stderr, "hypercost: cannot write {}: {e}", path.display());
                return EXIT_FAILURE;
            }
        },
        None => crate::write_stdout(stdout, stderr, imported.toml.as_bytes()),
    };
    if a.summary && code == EXIT_OK {
        let text = summary(&imported, a);
        // With the estate on standard output, the summary goes to standard error.
        if a.output.is_some() {
            return crate::write_stdout(stdout, stderr, text.as_bytes());
        }
        let _ = stderr.write_all(text.as_bytes());
    }
    code
}

fn summary(i: &Imported, a: &ImportArgs) -> String {
    let s = &i.summary;
    let mut out = format!(
        "Read {}: {} rows → {} estate clusters\n  hosts            {}\n  sockets          {}\n  \
         cores            {}\n  per-core licences under the 16-core-per-CPU floor: {}\n",
        a.file.display(),
        s.rows,
        i.estate.clusters.len(),
        s.hosts,
        s.sockets,
        s.cores,
        s.licensed_cores_16
    );
    if !s.maintenance_hosts.is_empty() {
        out.push_str(&format!(
            "  in maintenance mode (counted): {}\n",
            s.maintenance_hosts.join(", ")
        ));
    }
    if !s.standalone_hosts.is_empty() {
        out.push_str(&format!(
            "  standalone hosts (kept): {}\n",
            s.standalone_hosts.join(", ")
        ));
    }
    for w in &i.warnings {
        out.push_str(&format!("  warning: {}: {}", w.field, w.message));
        if let Some(h) = &w.help {
            out.push_str(&format!(" ({h})"));
        }
        out.push('\n');
    }
    out
}

/// Today's date (UTC) from the system clock: the front end's business, never the core's.
fn today() -> hypercost_core::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let fallback = hypercost_core::Date {
        year: 2026,
        month: 1,
        day: 1,
    };
    match (u16::try_from(year), u8::try_from(month), u8::try_from(day)) {
        (Ok(y), Ok(m), Ok(d)) => hypercost_core::Date::new(y, m, d).unwrap_or(fallback),
        _ => fallback,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_a_plausible_date() {
        let d = super::today();
        assert!(d.year >= 2024);
    }
}
