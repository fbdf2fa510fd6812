import DMSCore

/// What a provider asks to onboard: cores, RAM, disk, and for each chosen GPU (by its index on this
/// machine) the VRAM to offer.
public struct OnboardingRequest: Sendable, Equatable {
    public struct GPUShare: Sendable, Equatable {
        public var index: Int
        public var vram: UInt64
        public init(index: Int, vram: UInt64) {
            self.index = index
            self.vram = vram
        }
    }

    public var cores: Double
    public var ram: UInt64
    public var disk: UInt64
    public var gpus: [GPUShare]

    public init(cores: Double, ram: UInt64, disk: UInt64, gpus: [GPUShare] = []) {
        self.cores = cores
        self.ram = ram
        self.disk = disk
        self.gpus = gpus
    }

    /// Parses `--gpus 0:8GB,1:8GB` (index:VRAM, VRAM with the size rules of `Units.bytes`).
    public static func parseGPUs(_ text: String) throws(Units.ParseError) -> [GPUShare] {
        var shares: [GPUShare] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let index = Int(parts[0]), index >= 0 else {
                throw Units.ParseError(input: String(item), rule: "use index:VRAM, e.g. 0:8GB")
            }
            shares.append(GPUShare(index: index, vram: try Units.bytes(parts[1])))
        }
        guard !shares.isEmpty else { throw Units.ParseError(input: text, rule: "use index:VRAM, e.g. 0:8GB") }
        return shares
    }
}
