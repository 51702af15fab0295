//! The one list of inventory columns: each column an importer reads, under every header name
//! the tools that write inventories give it. The per-host CSV, the cluster CSV and the
//! RVTools tabs (workbook sheets or CSV files) all look columns up here, so a new dialect's
//! spelling is one entry, seen by every reader.

/// A column an importer reads, by meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    /// The host's name.
    Host,
    /// The cluster's name (a host's cluster, or a cluster CSV's row).
    Cluster,
    /// The vCenter the host or VM belongs to, or vMetaData's vCenter.
    VCenter,
    /// CPU sockets per host.
    Sockets,
    /// Cores per socket.
    CoresPerSocket,
    /// Physical cores per host. PowerCLI's `NumCpu` is the core count, not sockets.
    Cores,
    /// Host RAM in MiB.
    MemoryMib,
    /// Host RAM in GiB.
    MemoryGib,
    /// Host RAM in KiB.
    MemoryKib,
    /// Whether the host is in maintenance mode.
    Maintenance,
    /// PowerCLI's connection state (`Maintenance` is maintenance mode).
    ConnectionState,
    /// VMs on the host (RVTools: powered on only).
    Vms,
    /// All VMs on the host (RVTools 4.1.2 and later).
    VmsTotal,
    /// Powered-on VMs' configured memory on the host, MiB.
    VRam,
    /// Memory tiering (NVMe memory counted in the host's RAM).
    MemoryTiering,
    /// Hosts in a cluster CSV row.
    ClusterHosts,
    /// A VM's name.
    Vm,
    /// A VM's power state.
    PowerState,
    /// Whether a vInfo row is a template.
    Template,
    /// Whether a vInfo row is an SRM placeholder.
    SrmPlaceholder,
    /// A VM's configured memory, MiB.
    VmMemory,
    /// A VM's configured virtual CPUs.
    VmCpus,
    /// A VM's guest OS as configured (`OS according to the configuration file`).
    OsConfig,
    /// A VM's guest OS as VMware Tools reports it, when Tools runs.
    OsTools,
    /// vDatastore: the datastore's name (the display dialect's `Name` is [`Col::Host`]'s
    /// PowerCLI name; vDatastore has no host column, so there it is the datastore's).
    DatastoreName,
    /// vDatastore: the datastore's type (`VMFS`, `NFS`, `vsan`, `VVOL`).
    DatastoreType,
    /// vDatastore: the datastore's capacity, MiB (labelled MB before RVTools 4.1.2).
    DatastoreCapacityMib,
    /// vDatastore: the hosts that mount the datastore, comma-separated.
    DatastoreHosts,
    /// vMetaData: the RVTools version.
    RvtoolsVersion,
    /// vMetaData: when the export was written (its vCenter is [`Col::VCenter`]).
    ExportTime,
}

/// Every column's header names, normalised (lowercase, inner whitespace collapsed, see
/// [`normalise`]), in order of preference: KB 313548 / PowerCLI names, RVTools display names
/// (`# CPU`), RVTools `-DBColumnNames` names (`vHostNumCpu`), the Broadcom cluster CSV's names.
const COLUMNS: &[(Col, &[&str])] = &[
    (
        Col::Host,
        &[
            "host",
            "vmhost",
            "name",
            "host name",
            "vhostname",
            "hostname",
            "vinfohost",
        ],
    ),
    (
        Col::Cluster,
        &[
            "cluster",
            "vhostcluster",
            "parent",
            "cluster_name",
            "cluster name",
            "vinfocluster",
        ],
    ),
    (
        Col::VCenter,
        &[
            "vcenter",
            "server",
            "vi sdk server",
            "vhostvisdkserver",
            "vcenter server",
            "vinfovisdkserver",
        ],
    ),
    (
        Col::Sockets,
        &[
            "num_cpu_sockets",
            "number_of_cpu_sockets",
            "num_cpu_sockets_per_host",
            "# cpu",
            "#cpu",
            "vhostnumcpu",
            "cpu sockets",
            "cpucount",
            "numcpupackages",
            "numcpupkgs",
            "sockets",
        ],
    ),
    (
        Col::CoresPerSocket,
        &[
            "num_cpu_cores_per_socket",
            "number_of_cpu_cores_per_socket",
            "cores per cpu",
            "vhostcorespercpu",
            "cores per socket",
            "corespersocket",
        ],
    ),
    (
        Col::Cores,
        &[
            "# cores",
            "vhostnumcpucores",
            "cpu cores",
            "numcpucores",
            "cpucorecounttotal",
            "num_cpu_cores",
            "numcpu",
        ],
    ),
    (
        Col::MemoryMib,
        &["# memory", "vhostmemorysize", "memorytotalmb", "memory mib"],
    ),
    (Col::MemoryGib, &["memorytotalgb", "memory gib"]),
    (Col::MemoryKib, &["memory (kib)"]),
    (
        Col::Maintenance,
        &[
            "in maintenance mode",
            "inmaintenancemode",
            "maintenance",
            "vhostinmaintenancemode",
            "vhostmaintenancemode",
        ],
    ),
    (
        Col::ConnectionState,
        &["connectionstate", "connection state"],
    ),
    (Col::Vms, &["# vms", "vhostvms", "vms"]),
    (Col::VmsTotal, &["# vms total", "vhostvmstotal"]),
    (Col::VRam, &["vram", "vhostvram"]),
    (
        Col::MemoryTiering,
        &["memory tiering type", "vhostmemorytieringtype"],
    ),
    (Col::ClusterHosts, &["number_of_hosts", "num_hosts"]),
    (Col::Vm, &["vm", "vinfovmname"]),
    (Col::PowerState, &["powerstate", "vinfopowerstate"]),
    (Col::Template, &["template", "vinfotemplate"]),
    (
        Col::SrmPlaceholder,
        &["srm placeholder", "vinfosrmplaceholder"],
    ),
    (Col::VmMemory, &["memory", "vinfomemory"]),
    (Col::VmCpus, &["cpus", "vinfocpus"]),
    (
        Col::OsConfig,
        &["os according to the configuration file", "vinfoos"],
    ),
    (
        Col::OsTools,
        &["os according to the vmware tools", "vinfoostools"],
    ),
    (Col::DatastoreName, &["vdatastorename"]),
    (Col::DatastoreType, &["type", "vdatastoretype"]),
    (
        Col::DatastoreCapacityMib,
        &["capacity mib", "capacity mb", "vdatastorecapacity"],
    ),
    (Col::DatastoreHosts, &["hosts", "vdatastorehosts"]),
    (Col::RvtoolsVersion, &["rvtools version", "version"]),
    (
        Col::ExportTime,
        &["xlsx creation datetime", "creation datetime", "datetime"],
    ),
];

/// The header names of `col`, in order of preference.
pub(super) fn aliases(col: Col) -> &'static [&'static str] {
    COLUMNS
        .iter()
        .find(|(c, _)| *c == col)
        .map_or(&[], |(_, names)| *names)
}

/// A header compared across dialects: lowercase, inner whitespace collapsed.
pub(super) fn normalise(h: &str) -> String {
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::{COLUMNS, normalise};

    #[test]
    fn every_alias_is_normalised_and_names_one_column() {
        let mut seen: Vec<&str> = Vec::new();
        for (col, names) in COLUMNS {
            assert!(!names.is_empty(), "{col:?} has no header name");
            for n in *names {
                assert_eq!(normalise(n), *n, "{col:?}: `{n}` is not normalised");
                assert!(!seen.contains(n), "`{n}` names two columns");
                seen.push(n);
            }
        }
    }
}
