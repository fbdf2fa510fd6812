import DMSCore
import DMSResources
import Foundation
import NunetTestSupport
import Testing

@Suite struct HardwareProbeTests {
    @Test func cpuFromCpuinfoWithTheMaximumClockFromCpufreq() throws {
        let machine = MachineFixture(cores: 4, mhz: 2400, maxKHz: 3_600_000)
        let cpu = try CPUProbe.read(machine.files)
        #expect(cpu.logicalCores == 4)
        #expect(cpu.model == "Intel(R) Xeon(R) Test CPU @ 2.40GHz")
        #expect(cpu.vendor == "GenuineIntel")
        #expect(cpu.clockSpeed == 3.6e9)
        #expect(cpu.quotaCores == nil)
        let withoutCpufreq = MachineFixture(cores: 2, mhz: 1800, maxKHz: nil)
        #expect(try CPUProbe.read(withoutCpufreq.files).clockSpeed == 1.8e9)
    }

    @Test func containerQuotasLimitTheUsableCores() throws {
        let v2 = MachineFixture(cores: 8)
        v2.write("/sys/fs/cgroup/cpu.max", "250000 100000\n")
        #expect(try CPUProbe.read(v2.files).usableCores == 2.5)
        let unlimited = MachineFixture(cores: 8)
        unlimited.write("/sys/fs/cgroup/cpu.max", "max 100000\n")
        #expect(try CPUProbe.read(unlimited.files).usableCores == 8)
        let v1 = MachineFixture(cores: 8)
        v1.write("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "300000\n")
        v1.write("/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n")
        #expect(try CPUProbe.read(v1.files).usableCores == 3)
    }

    @Test func memoryFromMeminfoCappedByTheCgroupLimit() throws {
        let machine = MachineFixture(memTotalKB: 16 * 1024 * 1024, memAvailableKB: 12 * 1024 * 1024)
        var memory = try MemoryProbe.read(machine.files)
        #expect(memory.usableTotal == 16 * 1_073_741_824)
        #expect(memory.used == 4 * 1_073_741_824)
        machine.write("/sys/fs/cgroup/memory.max", "\(4 * 1_073_741_824)\n")
        machine.write("/sys/fs/cgroup/memory.current", "\(1_073_741_824)\n")
        memory = try MemoryProbe.read(machine.files)
        #expect(memory.usableTotal == 4 * 1_073_741_824)
        #expect(memory.used == 1_073_741_824)
        let v1NoLimit = MachineFixture()
        v1NoLimit.write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
        #expect(try MemoryProbe.read(v1NoLimit.files).cgroupLimit == nil)
    }

    @Test func cpuUsageComesFromProcStatDeltas() throws {
        let machine = MachineFixture(cores: 4)
        let probe = CPUUsageProbe(files: machine.files)
        _ = try probe.read(logicalCores: 4)
        // 300 busy jiffies out of 400 since the last sample: 3 of 4 cores.
        machine.write("/proc/stat", "cpu  300 0 200 900 0 0 0 0 0 0\n")
        #expect(try probe.read(logicalCores: 4) == 3)
    }

    @Test func nvidiaCardsComeFromNvidiaSmiAndDrmCardsFollow() throws {
        let machine = MachineFixture()
        machine.addAMD(card: 1, vram: 32 * 1_073_741_824, used: 1_073_741_824, slot: "0000:c1:00.0")
        machine.write("/sys/class/drm/card0/device/vendor", "0x10de\n")  // NVIDIA under drm: taken from nvidia-smi
        machine.write("/sys/class/drm/card1-DP-1/status", "connected\n")
        let smi = machine.nvidiaSMI(
            """
            0, GPU-1111, NVIDIA GeForce RTX 4090, 24564, 1024, 00000000:01:00.0
            1, GPU-2222, NVIDIA A100, 81920, 0, 00000000:41:00.0
            """)
        let result = GPUProbe.read(machine.files, nvidiaSMI: smi)
        #expect(result.problems.isEmpty)
        #expect(result.gpus.map(\.gpu.index) == [0, 1, 2])
        #expect(result.gpus.map(\.gpu.vendor) == [.nvidia, .nvidia, .amd])
        #expect(result.gpus[0].gpu.vram == 24564 * 1_048_576)
        #expect(result.gpus[0].vramUsed == 1024 * 1_048_576)
        #expect(result.gpus[0].gpu.pciAddress == "0000:01:00.0")
        #expect(result.gpus[0].gpu.uuid == "GPU-1111")
        #expect(result.gpus[2].gpu.model == "AMD Instinct MI100")
        #expect(result.gpus[2].gpu.vram == 32 * 1_073_741_824)
        #expect(result.gpus[2].gpu.pciAddress == "0000:C1:00.0")
    }

    @Test func aFailingProbeIsReportedAndTheRestStillWorks() {
        let machine = MachineFixture()
        try? FileManager.default.removeItem(atPath: machine.files.path("/proc/cpuinfo"))
        let broken = machine.nvidiaSMI("garbage", status: 9)
        let monitor = HardwareMonitor(files: machine.files, dataDirectory: machine.root.path, nvidiaSMI: broken)
        let spec = monitor.spec()
        #expect(spec.resources.cpu.cores == 0)
        #expect(spec.resources.ram == 16 * 1_073_741_824)
        #expect(spec.resources.disk > 0)
        #expect(spec.problems.contains { $0.hasPrefix("cpu: cannot read") })
        #expect(spec.problems.contains { $0.contains("exited with status 9") })
    }

    @Test func malformedNvidiaOutputIsAProbeError() {
        #expect(throws: ProbeError.self) { try GPUProbe.parseNvidia("0, GPU-1, only three") }
    }

    @Test func theDiskIsTheDataDirectorysFilesystem() throws {
        let directory = TemporaryDirectory()
        let disk = try DiskProbe.read(path: directory.path)
        #expect(disk.total > 0 && disk.free <= disk.total)
        #expect(throws: ProbeError.self) { try DiskProbe.read(path: directory.path + "/missing/deeper") }
    }
}
