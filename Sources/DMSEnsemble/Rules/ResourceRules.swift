import DMSCore

/// `resources`: what an allocation needs. Sizes become bytes (a bare number is GiB) and clock speeds Hz (a
/// bare number is GHz). CPU and disk details beyond cores, sizes and clock (architecture, model, disk
/// type, speeds…) are checked for shape but not kept: matching compares cores × clock, sizes and GPUs.
struct ResourceRules {
    let diagnostics: Diagnostics

    static let keys = ["cpu", "ram", "disk", "gpus"]
    static let sizeRule = "must be a size such as 512MiB or 4 (GiB)"
    static let frequencyRule = "must be a clock speed such as 2.4 (GHz) or 2400MHz"

    /// The resources a mapping describes. With `requireAll` false (a template, which an allocation may
    /// complete) missing parts are not errors, and nothing is returned.
    func resources(_ node: YAMLNode, at path: FieldPath, requireAll: Bool) -> Resources? {
        guard let fields = Fields(node, at: path, known: Self.keys, diagnostics: diagnostics) else { return nil }
        let cpu = cpu(fields, requireAll: requireAll)
        let ram = ram(fields, requireAll: requireAll)
        let disk = disk(fields, requireAll: requireAll)
        let gpus = gpus(fields)
        guard requireAll, let cpu, let ram, let disk else { return nil }
        return Resources(cpu: cpu, ram: ram, disk: disk, gpus: gpus)
    }

    private func cpu(_ fields: Fields, requireAll: Bool) -> CPUResources? {
        let keys = ["cores", "clock_speed", "architecture", "model", "vendor", "threads", "cache_size"]
        guard let cpu = fields.fields("cpu", known: keys, required: requireAll) else { return nil }
        let cores = cpu.number(
            "cores", in: Fields.positive,
            rule: "must be a number of cores above 0, such as 0.5 or 4", required: requireAll)
        let clock = frequency(cpu, "clock_speed")
        for key in ["architecture", "model", "vendor"] { _ = cpu.string(key) }
        _ = cpu.integer("threads", in: 1...Int.max, rule: "must be a whole number above 0")
        _ = size(cpu, "cache_size", required: false)
        guard let cores else { return nil }
        return CPUResources(cores: cores, clockSpeed: clock ?? 0)
    }

    private func ram(_ fields: Fields, requireAll: Bool) -> UInt64? {
        guard let ram = fields.fields("ram", known: ["size", "clock_speed", "type"], required: requireAll) else {
            return nil
        }
        _ = frequency(ram, "clock_speed")
        _ = ram.string("type")
        return size(ram, "size", required: requireAll)
    }

    private func disk(_ fields: Fields, requireAll: Bool) -> UInt64? {
        let keys = ["size", "type", "model", "vendor", "interface", "read_speed", "write_speed"]
        guard let disk = fields.fields("disk", known: keys, required: requireAll) else { return nil }
        for key in ["type", "model", "vendor", "interface"] { _ = disk.string(key) }
        for key in ["read_speed", "write_speed"] {
            _ = disk.number(key, in: Fields.positive, rule: "must be a number above 0")
        }
        return size(disk, "size", required: requireAll)
    }

    private func gpus(_ fields: Fields) -> [GPU] {
        let keys = ["vendor", "model", "vram", "index", "pci_address", "uuid"]
        var gpus: [GPU] = []
        for (index, item) in (fields.list("gpus") ?? []).enumerated() {
            guard let gpu = Fields(item, at: fields.path("gpus").index(index), known: keys, diagnostics: diagnostics)
            else { continue }
            var vendor = GPUVendor.unknown
            if let text = gpu.string("vendor") {
                vendor = GPUVendor.parse(text)
                if vendor == .unknown {
                    gpu.report("vendor", Fields.mustBeOneOf(["NVIDIA", "AMD", "Intel"], given: text))
                }
            }
            let vram = gpu["vram"] == nil ? 0 : size(gpu, "vram", required: true)
            let position = gpu["index"] == nil ? -1 : gpu.integer("index", in: 0...Int.max, rule: "must be 0 or more")
            let model = gpu.string("model") ?? ""
            let pciAddress = gpu.string("pci_address") ?? ""
            let uuid = gpu.string("uuid") ?? ""
            guard let vram, let position else { continue }
            gpus.append(
                GPU(index: position, vendor: vendor, model: model, vram: vram, pciAddress: pciAddress, uuid: uuid))
        }
        return gpus
    }

    /// Bytes; a bare number is GiB. Zero is not a size.
    func size(_ fields: Fields, _ key: String, required: Bool) -> UInt64? {
        guard let node = fields[key] else {
            if required { fields.reportMissing(key, Fields.required(Self.sizeRule)) }
            return nil
        }
        guard let text = node.text, let bytes = try? Units.bytes(text) else {
            diagnostics.report(fields.path(key), node, Self.sizeRule)
            return nil
        }
        guard bytes > 0 else {
            diagnostics.report(fields.path(key), node, "must be more than 0 bytes")
            return nil
        }
        return bytes
    }

    /// Hz; a bare number is GHz.
    private func frequency(_ fields: Fields, _ key: String) -> Double? {
        guard let node = fields[key] else { return nil }
        guard let text = node.text, let hertz = try? Units.hertz(text), hertz > 0 else {
            diagnostics.report(fields.path(key), node, Self.frequencyRule)
            return nil
        }
        return hertz
    }
}
