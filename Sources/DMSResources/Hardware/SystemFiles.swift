import Foundation

/// Where the probes read `/proc` and `/sys`: the real root, or a fixture directory laid out the same way
/// so tests are deterministic.
public struct SystemFiles: Sendable {
    public let root: String

    public init(root: String = "/") { self.root = root }

    public func path(_ absolute: String) -> String {
        root == "/" ? absolute : (root as NSString).appendingPathComponent(absolute)
    }

    public func read(_ absolute: String) -> String? {
        try? String(contentsOfFile: path(absolute), encoding: .utf8)
    }

    public func list(_ absolute: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(absolute))) ?? []).sorted()
    }
}

/// Why a probe could not measure something; the node still starts and reports it.
public struct ProbeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let probe: String
    public let reason: String

    public init(probe: String, reason: String) {
        self.probe = probe
        self.reason = reason
    }

    public var description: String { "\(probe): \(reason)" }
}
