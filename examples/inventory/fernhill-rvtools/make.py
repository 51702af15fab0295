# Writes this folder's RVTools CSV tabs (a made-up company; no real organisation's data):
#   python3 examples/inventory/fernhill-rvtools/make.py
# RVTools 4.7 exports each tab as RVTools_tab<tab>.csv with every column quoted and CRLF line
# ends; these files keep RVTools' own header names and column order, trimmed to the columns an
# inventory review reads (hosts' CPUs and memory, VMs' power state, size and guest OS,
# datastores' type, capacity and hosts), so they stay small enough to read.
import csv, io, os

HERE = os.path.dirname(os.path.abspath(__file__))
VC = "vc01.fernhill.example"


def write(tab, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    with open(os.path.join(HERE, f"RVTools_tab{tab}.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


VHOST = ["Host", "Datacenter", "Cluster", "Config status", "in Maintenance Mode", "CPU Model",
         "Speed", "# CPU", "Cores per CPU", "# Cores", "# Memory", "# VMs total", "# VMs",
         "ESX Version", "Vendor", "Model", "VI SDK Server"]
# prod: four vSAN nodes, 2 × 24-core Xeon Gold 6442Y, 768 GiB (ESXi reports a little less).
# dev: two single-socket 16-core hosts, 256 GiB, on local disks.
HOSTS = [
    ("esx01.fernhill.example", "prod", 2, 24, 785779, "Intel(R) Xeon(R) Gold 6442Y", "PowerEdge R760"),
    ("esx02.fernhill.example", "prod", 2, 24, 785779, "Intel(R) Xeon(R) Gold 6442Y", "PowerEdge R760"),
    ("esx03.fernhill.example", "prod", 2, 24, 785779, "Intel(R) Xeon(R) Gold 6442Y", "PowerEdge R760"),
    ("esx04.fernhill.example", "prod", 2, 24, 785779, "Intel(R) Xeon(R) Gold 6442Y", "PowerEdge R760"),
    ("esx05.fernhill.example", "dev", 1, 16, 261812, "Intel(R) Xeon(R) Silver 4514Y", "PowerEdge R660xs"),
    ("esx06.fernhill.example", "dev", 1, 16, 261812, "Intel(R) Xeon(R) Silver 4514Y", "PowerEdge R660xs"),
]

WS22 = "Microsoft Windows Server 2022 (64-bit)"
WS19 = "Microsoft Windows Server 2019 (64-bit)"
W11 = "Microsoft Windows 11 (64-bit)"
RHEL = "Red Hat Enterprise Linux 9 (64-bit)"
UBU = "Ubuntu Linux (64-bit)"
PHOTON = "VMware Photon OS (64-bit)"
# (name, cluster, host index, power, template, CPUs, memory MiB, guest OS)
VMS = [
    ("dc01", "prod", 0, "poweredOn", False, 2, 8192, WS22),
    ("dc02", "prod", 1, "poweredOn", False, 2, 8192, WS22),
    ("sql01", "prod", 2, "poweredOn", False, 8, 65536, WS22),
    ("sql02", "prod", 3, "poweredOn", False, 8, 65536, WS22),
    ("erp-app01", "prod", 0, "poweredOn", False, 4, 32768, WS22),
    ("erp-app02", "prod", 1, "poweredOn", False, 4, 32768, WS22),
    ("wms-app01", "prod", 2, "poweredOn", False, 4, 16384, WS19),
    ("wms-app02", "prod", 3, "poweredOn", False, 4, 16384, WS19),
    ("file01", "prod", 0, "poweredOn", False, 2, 16384, WS22),
    ("print01", "prod", 1, "poweredOn", False, 2, 4096, WS19),
    ("rds01", "prod", 2, "poweredOn", False, 8, 65536, WS22),
    ("rds02", "prod", 3, "poweredOn", False, 8, 65536, WS22),
    ("web01", "prod", 0, "poweredOn", False, 2, 8192, RHEL),
    ("web02", "prod", 1, "poweredOn", False, 2, 8192, RHEL),
    ("api01", "prod", 2, "poweredOn", False, 4, 16384, RHEL),
    ("api02", "prod", 3, "poweredOn", False, 4, 16384, RHEL),
    ("pg01", "prod", 0, "poweredOn", False, 4, 32768, RHEL),
    ("mon01", "prod", 1, "poweredOn", False, 2, 8192, UBU),
    ("backup-proxy01", "prod", 2, "poweredOn", False, 4, 8192, WS22),
    ("vcenter01", "prod", 3, "poweredOn", False, 4, 21504, PHOTON),
    ("old-ftp01", "prod", 0, "poweredOff", False, 1, 2048, WS19),
    ("tpl-ws2022", "prod", 1, "poweredOff", True, 2, 4096, WS22),
    ("vCLS-7f3a9c21-0001", "prod", 0, "poweredOn", False, 1, 128, PHOTON),
    ("vCLS-7f3a9c21-0002", "prod", 1, "poweredOn", False, 1, 128, PHOTON),
    ("vCLS-7f3a9c21-0003", "prod", 2, "poweredOn", False, 1, 128, PHOTON),
    ("dev-sql01", "dev", 4, "poweredOn", False, 4, 16384, WS22),
    ("dev-app01", "dev", 4, "poweredOn", False, 2, 8192, WS22),
    ("dev-web01", "dev", 5, "poweredOn", False, 2, 4096, UBU),
    ("dev-ci01", "dev", 5, "poweredOn", False, 4, 8192, UBU),
    ("dev-vdi01", "dev", 4, "poweredOn", False, 2, 8192, W11),
    ("dev-vdi02", "dev", 5, "poweredOn", False, 2, 8192, W11),
    ("dev-scratch", "dev", 5, "poweredOff", False, 2, 4096, UBU),
    ("vCLS-2b8d4e10-0001", "dev", 4, "poweredOn", False, 1, 128, PHOTON),
    ("vCLS-2b8d4e10-0002", "dev", 5, "poweredOn", False, 1, 128, PHOTON),
]

VINFO = ["VM", "Powerstate", "Template", "SRM Placeholder", "CPUs", "Memory", "Provisioned MiB",
         "In Use MiB", "Datacenter", "Cluster", "Host", "OS according to the configuration file",
         "OS according to the VMware Tools", "VI SDK Server"]

VDS = ["Name", "Config status", "Accessible", "Type", "# VMs", "Capacity MiB", "Provisioned MiB",
       "In Use MiB", "Free MiB", "# Hosts", "Hosts", "VI SDK Server"]

host_rows = []
for name, cl, sockets, cps, mem, cpu, model in HOSTS:
    on_host = [v for v in VMS if HOSTS[v[2]][0] == name]
    host_rows.append({
        "Host": name, "Datacenter": "Fernhill-DC1", "Cluster": cl, "Config status": "green",
        "in Maintenance Mode": "False", "CPU Model": cpu, "Speed": "2600", "# CPU": str(sockets),
        "Cores per CPU": str(cps), "# Cores": str(sockets * cps), "# Memory": str(mem),
        "# VMs total": str(len(on_host)),
        "# VMs": str(sum(1 for v in on_host if v[3] == "poweredOn")),
        "ESX Version": "VMware ESXi 8.0.3 build-24674464", "Vendor": "Dell Inc.", "Model": model,
        "VI SDK Server": VC,
    })
write("vHost", VHOST, host_rows)

vm_rows = []
for name, cl, h, power, template, cpus, mem, os_ in VMS:
    prov = mem + 80 * 1024
    vm_rows.append({
        "VM": name, "Powerstate": power, "Template": str(template), "SRM Placeholder": "False",
        "CPUs": str(cpus), "Memory": str(mem), "Provisioned MiB": str(prov),
        "In Use MiB": str(prov // 2), "Datacenter": "Fernhill-DC1", "Cluster": cl,
        "Host": HOSTS[h][0], "OS according to the configuration file": os_,
        "OS according to the VMware Tools": "" if power == "poweredOff" else os_,
        "VI SDK Server": VC,
    })
write("vInfo", VINFO, vm_rows)


def ds(name, type_, mib, hosts, vms):
    used = mib * 2 // 5
    return {"Name": name, "Config status": "green", "Accessible": "True", "Type": type_,
            "# VMs": str(vms), "Capacity MiB": str(mib), "Provisioned MiB": str(mib // 2),
            "In Use MiB": str(used), "Free MiB": str(mib - used), "# Hosts": str(len(hosts)),
            "Hosts": ", ".join(hosts), "VI SDK Server": VC}


prod = [h[0] for h in HOSTS if h[1] == "prod"]
# vSAN raw capacity: 4 hosts × 6 × 3.84 TB NVMe = 92.16 TB = 92,160,000,000,000 B ÷ 2^20.
write("vDatastore", VDS, [
    ds("vsanDatastore", "vsan", 92_160_000_000_000 // 2**20, prod, 23),
    ds("esx05-local", "VMFS", 1_830_912, [HOSTS[4][0]], 4),
    ds("esx06-local", "VMFS", 1_830_912, [HOSTS[5][0]], 5),
    ds("iso-nfs", "NFS", 2_097_152, [h[0] for h in HOSTS], 0),
])

write("vMetaData", ["RVTools major version", "RVTools version", "xlsx creation datetime", "Server"],
      [{"RVTools major version": "4.7", "RVTools version": "4.7.1.4",
        "xlsx creation datetime": "2026-05-18 16:05:12", "Server": VC}])
