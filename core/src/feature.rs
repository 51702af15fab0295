//! The vendor-neutral feature vocabulary: one `needs` list held against every vendor.
//!
//! A pricebook may name its vendor's word for a feature as an alias (`vmotion` →
//! `live-migration`); the tags themselves are fixed here so that a typo in a pricebook or an
//! estate is caught instead of silently never matching.

/// Every known feature tag with what it means.
pub const VOCABULARY: &[(&str, &str)] = &[
    (
        "live-migration",
        "move a running VM between hosts (vMotion, XenMotion, Live Migration)",
    ),
    (
        "storage-migration",
        "move a running VM's disks between datastores (Storage vMotion)",
    ),
    (
        "ha",
        "restart VMs on surviving hosts after a host failure (HA, failover clustering)",
    ),
    (
        "load-balancing",
        "automatic placement and balancing of VMs across hosts (DRS)",
    ),
    (
        "power-management",
        "consolidate VMs and power hosts down when idle (DPM)",
    ),
    (
        "fault-tolerance",
        "a lock-step secondary VM with no downtime on host failure (FT)",
    ),
    (
        "distributed-switch",
        "one virtual switch spanning the hosts of a cluster (vDS)",
    ),
    (
        "host-profiles",
        "host configuration templates and compliance checks",
    ),
    (
        "third-party-multipathing",
        "vendor storage multipathing plug-ins (MPIO)",
    ),
    (
        "central-management",
        "one console managing many hosts (vCenter, XenCenter)",
    ),
    ("hot-add", "add CPU, memory or disks to a running VM"),
    ("data-protection", "built-in VM backup and recovery"),
];

/// True when `tag` is in the vocabulary.
pub fn is_known(tag: &str) -> bool {
    VOCABULARY.iter().any(|(t, _)| *t == tag)
}

/// The tags alone, for "valid values" lists.
pub fn tags() -> Vec<&'static str> {
    VOCABULARY.iter().map(|(t, _)| *t).collect()
}
