import DMSCore
import DMSEnsemble
import Testing

/// Resources: required parts, units, GPUs and templates.
@Suite struct ResourceRuleTests {
    static func resources(_ flow: String) -> String { ensembleYAML(allocation: [("resources", flow)]) }

    static let cases: [Broken] = [
        Broken(
            ensembleYAML(allocation: [("resources", nil)]), "allocations.api.resources", "",
            "required: cpu.cores, ram.size and disk.size, or a resources template name"),
        Broken(resources("{ram: {size: 1}, disk: {size: 1}}"), "allocations.api.resources.cpu", "", "required"),
        Broken(
            resources("{cpu: {}, ram: {size: 1}, disk: {size: 1}}"), "allocations.api.resources.cpu.cores", "",
            "required: a number of cores above 0, such as 0.5 or 4"),
        Broken(
            resources("{cpu: {cores: 0}, ram: {size: 1}, disk: {size: 1}}"), "allocations.api.resources.cpu.cores", "0",
            "must be a number of cores above 0, such as 0.5 or 4"),
        Broken(
            resources("{cpu: {cores: two}, ram: {size: 1}, disk: {size: 1}}"), "allocations.api.resources.cpu.cores",
            "two", "must be a number of cores above 0, such as 0.5 or 4"),
        Broken(
            resources("{cpu: {cores: 1, clock_speed: fast}, ram: {size: 1}, disk: {size: 1}}"),
            "allocations.api.resources.cpu.clock_speed", "fast", "must be a clock speed such as 2.4 (GHz) or 2400MHz"),
        Broken(
            resources("{cpu: {cores: 1, threads: 0}, ram: {size: 1}, disk: {size: 1}}"),
            "allocations.api.resources.cpu.threads", "0", "must be a whole number above 0"),
        Broken(
            resources("{cpu: {cores: 1, architecture: \"\"}, ram: {size: 1}, disk: {size: 1}}"),
            "allocations.api.resources.cpu.architecture", "", "must not be empty"),
        Broken(
            resources("{cpu: {cores: 1, cache_size: big}, ram: {size: 1}, disk: {size: 1}}"),
            "allocations.api.resources.cpu.cache_size", "big", "must be a size such as 512MiB or 4 (GiB)"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1, read_speed: 0}}"),
            "allocations.api.resources.disk.read_speed", "0", "must be a number above 0"),
        Broken(
            resources("{cpu: {cores: 1, coers: 2}, ram: {size: 1}, disk: {size: 1}}"),
            "allocations.api.resources.cpu.coers", "", #"unknown key; did you mean "cores"?"#),
        Broken(resources("{cpu: {cores: 1}, disk: {size: 1}}"), "allocations.api.resources.ram", "", "required"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: \"-1\"}, disk: {size: 1}}"), "allocations.api.resources.ram.size",
            "-1", "must be a size such as 512MiB or 4 (GiB)"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 0}, disk: {size: 1}}"), "allocations.api.resources.ram.size", "0",
            "must be more than 0 bytes"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 12 XB}, disk: {size: 1}}"), "allocations.api.resources.ram.size",
            "12 XB", "must be a size such as 512MiB or 4 (GiB)"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1, clock_speed: \"-3\"}, disk: {size: 1}}"),
            "allocations.api.resources.ram.clock_speed", "-3", "must be a clock speed such as 2.4 (GHz) or 2400MHz"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {}}"), "allocations.api.resources.disk.size", "",
            "required: a size such as 512MiB or 4 (GiB)"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1, type: \"\"}}"),
            "allocations.api.resources.disk.type", "", "must not be empty"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}, gpus: {vendor: NVIDIA}}"),
            "allocations.api.resources.gpus", "{…}", "must be a list"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}, gpus: [{vendor: Matrox}]}"),
            "allocations.api.resources.gpus[0].vendor", "Matrox", "must be NVIDIA, AMD or Intel"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}, gpus: [{vram: \"-3\"}]}"),
            "allocations.api.resources.gpus[0].vram", "-3", "must be a size such as 512MiB or 4 (GiB)"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}, gpus: [{index: -1}]}"),
            "allocations.api.resources.gpus[0].index", "-1", "must be 0 or more"),
        Broken(
            resources("{cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}, memory: 4}"),
            "allocations.api.resources.memory", "", "unknown key; known keys: cpu, ram, disk, gpus"),
        Broken(
            resources("large").appending("resources:\n  small: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}\n"),
            "allocations.api.resources", "large", #"no resources template named "large""#),
        Broken(
            resources("{name: smal}").appending(
                "resources:\n  small: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}\n"),
            "allocations.api.resources.name", "smal", #"no resources template named "smal" (did you mean "small"?)"#),
        Broken(
            resources("small").appending("resources:\n  small: {cpu: {cores: 1}, ram: {size: 1}}\n"),
            "allocations.api.resources.disk", "", "required"),
        Broken(
            resources("small").appending(
                "resources:\n  small: {cpu: {cores: 1}, ram: {size: lots}, disk: {size: 1}}\n"),
            "resources.small.ram.size", "lots", "must be a size such as 512MiB or 4 (GiB)"),
        Broken(
            ensembleYAML(top: "volumes: [shared]\n"), "volumes", "[…]",
            "must be a mapping of template names to volumes templates"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    static let sizes: [(String, UInt64)] = [
        ("512MiB", 536_870_912), ("4", 4 * 1_073_741_824), ("12 GB", 12_000_000_000), ("0.5", 536_870_912),
        ("2GiB", 2 * 1_073_741_824), ("1536 KiB", 1_572_864),
    ]
    static let clockSpeeds: [(String, Double)] = [("2400MHz", 2.4e9), ("2.4", 2.4e9), ("3 GHz", 3e9), ("800 mhz", 8e8)]

    @Test(arguments: sizes)
    func sizesBecomeBytes(_ written: String, _ bytes: UInt64) throws {
        let ensemble = try EnsembleParser.parse(
            yaml: Self.resources("{cpu: {cores: 1}, ram: {size: \(written)}, disk: {size: \(written)}}"))
        #expect(ensemble.allocations["api"]?.resources.ram == bytes)
        #expect(ensemble.allocations["api"]?.resources.disk == bytes)
    }

    @Test(arguments: clockSpeeds)
    func clockSpeedsBecomeHertz(_ written: String, _ hertz: Double) throws {
        let ensemble = try EnsembleParser.parse(
            yaml: Self.resources("{cpu: {cores: 1, clock_speed: \(written)}, ram: {size: 1}, disk: {size: 1}}"))
        #expect(ensemble.allocations["api"]?.resources.cpu.clockSpeed == hertz)
    }

    @Test func fractionalCoresAndGPUDetails() throws {
        let ensemble = try EnsembleParser.parse(
            yaml: Self.resources(
                "{cpu: {cores: 1.5}, ram: {size: 1}, disk: {size: 1}, "
                    + "gpus: [{vendor: amd, model: MI300, vram: 512MiB, index: 1, pci_address: \"0000:01:00.0\", uuid: u1}]}"
            ))
        let resources = try #require(ensemble.allocations["api"]?.resources)
        #expect(resources.cpu.cores == 1.5)
        #expect(
            resources.gpus == [
                GPU(index: 1, vendor: .amd, model: "MI300", vram: 536_870_912, pciAddress: "0000:01:00.0", uuid: "u1")
            ])
    }

    @Test func aTemplateNamedByStringOrMergedUnderItsName() throws {
        let templates = """
            resources:
              small: {cpu: {cores: 2, clock_speed: 3}, ram: {size: 4}, disk: {size: 10}}

            """
        let byName = try EnsembleParser.parse(yaml: Self.resources("small") + templates)
        #expect(
            byName.allocations["api"]?.resources
                == Resources(cpu: CPUResources(cores: 2, clockSpeed: 3e9), ram: 4 << 30, disk: 10 << 30))
        let merged = try EnsembleParser.parse(yaml: Self.resources("{name: small, ram: {size: 8}}") + templates)
        #expect(
            merged.allocations["api"]?.resources
                == Resources(cpu: CPUResources(cores: 2, clockSpeed: 3e9), ram: 8 << 30, disk: 10 << 30))
    }

    @Test func aBrokenTemplateUsedTwiceIsReportedOnce() {
        let yaml = twoAllocationsYAML(
            api: [("resources", "small")],
            top: "resources:\n  small: {cpu: {cores: -1}, ram: {size: 1}, disk: {size: 1}}\n"
        ).replacingOccurrences(
            of:
                "resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}\n    execution: {type: docker, image: nginx}",
            with: "resources: small\n    execution: {type: docker, image: nginx}")
        let found = errors(yaml)
        #expect(found.map(\.path) == ["resources.small.cpu.cores"])
        #expect(found.first?.line == 14)
    }
}
