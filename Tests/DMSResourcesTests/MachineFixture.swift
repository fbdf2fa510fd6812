import DMSCore
import DMSResources
import Foundation
import NunetTestSupport

/// A fake machine: `/proc` and `/sys` files under a temporary root, for deterministic probes.
struct MachineFixture {
    let root = TemporaryDirectory("nunet-machine")
    var files: SystemFiles { SystemFiles(root: root.path) }

    init(
        cores: Int = 4, mhz: Double = 2400, maxKHz: Int? = 3_600_000, memTotalKB: UInt64 = 16 * 1024 * 1024,
        memAvailableKB: UInt64 = 12 * 1024 * 1024
    ) {
        var cpuinfo = ""
        for processor in 0..<cores {
            cpuinfo += """
                processor\t: \(processor)
                vendor_id\t: GenuineIntel
                model name\t: Intel(R) Xeon(R) Test CPU @ 2.40GHz
                cpu MHz\t\t: \(mhz)

                """
        }
        write("/proc/cpuinfo", cpuinfo)
        if let maxKHz { write("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "\(maxKHz)\n") }
        write(
            "/proc/meminfo",
            "MemTotal:       \(memTotalKB) kB\nMemFree:        1000 kB\nMemAvailable:   \(memAvailableKB) kB\n")
        write("/proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\n")
    }

    func write(_ path: String, _ contents: String) { root.write(String(path.dropFirst()), contents) }

    /// An AMD card under /sys/class/drm.
    func addAMD(card: Int, vram: UInt64, used: UInt64, slot: String) {
        let device = "/sys/class/drm/card\(card)/device"
        write("\(device)/vendor", "0x1002\n")
        write("\(device)/device", "0x738c\n")
        write("\(device)/uevent", "DRIVER=amdgpu\nPCI_SLOT_NAME=\(slot)\n")
        write("\(device)/mem_info_vram_total", "\(vram)\n")
        write("\(device)/mem_info_vram_used", "\(used)\n")
        write("\(device)/product_name", "AMD Instinct MI100\n")
    }

    /// A fake `nvidia-smi` printing `csv`; returns its path.
    func nvidiaSMI(_ csv: String, status: Int32 = 0) -> String {
        let path = root.write("bin/nvidia-smi", "#!/bin/sh\ncat <<'CSV'\n\(csv)\nCSV\nexit \(status)\n")
        chmod(path, 0o755)
        return path
    }
}
