//! `reshape` rendered: per cluster, the baseline and the cheapest shapes per edition with the
//! sizing sentence and how the edition counts them; JSON (every option); one CSV or Markdown
//! row per option, baselines first.

use std::fmt::Write as _;

use super::Analysis;
use super::sheet::{Sheet, raw, text};
use super::text::{heading, push_wrapped};
use crate::analysis::reshape::{Reshape, ShapeOption};
use crate::money::{grouped, money_text};

impl Analysis for Reshape {
    const KIND: &'static str = "reshape";

    fn table(&self) -> String {
        let mut out = String::new();
        push_wrapped(
            &mut out,
            &format!(
                "Host shapes · {} · {} · catalogue {} · {}",
                self.estate, self.currency, self.catalogue, self.engine
            ),
            0,
        );
        let sizing: Vec<String> = self
            .sizing
            .iter()
            .map(|s| {
                format!(
                    "{} {} ({})",
                    s.key,
                    crate::money::plain_text(s.value),
                    s.origin
                )
            })
            .collect();
        push_wrapped(&mut out, &format!("sizing: {}", sizing.join(", ")), 2);
        for n in &self.notes {
            push_wrapped(&mut out, &format!("note: {n}"), 2);
        }
        for c in &self.clusters {
            out.push('\n');
            heading(
                &mut out,
                &format!("cluster {}", c.cluster),
                &format!(
                    "{} VMs, {} vCPUs, {} GB per VM",
                    c.vms,
                    c.vcpus,
                    crate::money::plain_text(c.vm_ram_gb)
                ),
            );
            let _ = writeln!(
                out,
                "{:<34} {:<8} {:<6} {:>5} {:>11} {:>7} {:>15}",
                "edition", "server", "cpu", "hosts", "shape", "RAM GB", "total"
            );
            for o in c.baseline.iter().chain(&c.options) {
                row(&mut out, o);
            }
        }
        out
    }

    fn sheet(&self) -> Sheet {
        let header = [
            "cluster",
            "kind",
            "edition",
            "server",
            "cpu",
            "hosts",
            "sockets per host",
            "cores per socket",
            "RAM GB per host",
            "hardware per host",
            "software",
            "hardware",
            "total",
            "npv",
            "why",
        ];
        let mut rows = Vec::new();
        for c in &self.clusters {
            for (kind, list) in [("baseline", &c.baseline), ("option", &c.options)] {
                for o in list {
                    rows.push(vec![
                        text(&c.cluster),
                        raw(kind),
                        text(&o.edition),
                        text(&o.server),
                        text(&o.cpu),
                        raw(o.hosts),
                        raw(o.sockets_per_host),
                        raw(o.cores_per_socket),
                        raw(o.ram_gb_per_host.map(|r| r.to_string()).unwrap_or_default()),
                        raw(o.hardware_per_host.map(money_text).unwrap_or_default()),
                        raw(money_text(o.software)),
                        raw(money_text(o.hardware)),
                        raw(money_text(o.total)),
                        raw(money_text(o.npv)),
                        text(&o.why),
                    ]);
                }
            }
        }
        Sheet {
            header: header.into_iter().map(text).collect(),
            rows,
        }
    }
}

fn row(out: &mut String, o: &ShapeOption) {
    let _ = writeln!(
        out,
        "{:<34} {:<8} {:<6} {:>5} {:>11} {:>7} {:>15}",
        o.edition,
        o.server,
        o.cpu,
        o.hosts,
        format!("{} × {}c", o.sockets_per_host, o.cores_per_socket),
        o.ram_gb_per_host.map(|r| r.to_string()).unwrap_or_default(),
        grouped(o.total)
    );
    push_wrapped(out, &format!("    {}", o.why), 6);
}
