/// GPU makers as the Go DMS names them on the wire.
public enum GPUVendor: String, Sendable, Codable, CaseIterable {
    case nvidia = "NVIDIA"
    case amd = "AMD/ATI"
    case intel = "Intel"
    case unknown = "Unknown"
    case none = "None"

    /// The vendor named in a free-form string such as a PCI vendor name or `nvidia-smi` output. Matches
    /// whole words, so "Intel Corporation" is Intel (the Go DMS takes it for ATI, from "corporATIon").
    public static func parse(_ text: String) -> GPUVendor {
        let words = Set(text.uppercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
        if words.contains("NVIDIA") { return .nvidia }
        if words.contains("INTEL") { return .intel }
        if words.contains("AMD") || words.contains("ATI") || words.contains("RADEON") { return .amd }
        return .unknown
    }
}

/// One GPU: on a machine (`vram` is its memory), or as a demand (`vram` is what is needed; an empty model
/// or an `unknown` vendor means any).
public struct GPU: Sendable, Hashable, Codable {
    /// Position in the machine's GPU list (NVIDIA first, then AMD, then Intel); -1 when unspecified.
    public var index: Int
    public var vendor: GPUVendor
    public var model: String
    /// Bytes of video memory.
    public var vram: UInt64
    /// `DDDD:BB:DD.F`.
    public var pciAddress: String
    public var uuid: String

    public init(
        index: Int = -1, vendor: GPUVendor = .unknown, model: String = "", vram: UInt64, pciAddress: String = "",
        uuid: String = ""
    ) {
        self.index = index
        self.vendor = vendor
        self.model = model
        self.vram = vram
        self.pciAddress = pciAddress
        self.uuid = uuid
    }

    enum CodingKeys: String, CodingKey {
        case index, vendor, model, vram, uuid
        case pciAddress = "pci_address"
    }

    /// Whether two entries name the same physical card (UUID when both have one, else the index).
    public func isSameCard(as other: GPU) -> Bool {
        if !uuid.isEmpty && !other.uuid.isEmpty { return uuid == other.uuid }
        return index >= 0 && index == other.index
    }

    /// Whether this card can serve `demand`: vendor and model when the demand names them, and enough VRAM.
    public func satisfies(_ demand: GPU) -> Bool {
        if demand.vendor != .unknown && demand.vendor != .none && demand.vendor != vendor { return false }
        if !demand.model.isEmpty && !model.lowercased().contains(demand.model.lowercased()) { return false }
        return vram >= demand.vram
    }
}
