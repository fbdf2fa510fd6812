import DMSConfig
import Foundation

/// A temporary machine for configuration tests: a home, a working directory and `/etc`-free search path.
public struct ConfigTestHome {
    public let root = TemporaryDirectory("nunet-config")
    public var variables: [String: String] = [:]

    public var home: String { root.file("home") }
    public var workingDirectory: String { root.file("work") }

    public init() {
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
    }

    public var environment: HostEnvironment {
        HostEnvironment(variables: variables, homeDirectory: home, currentDirectory: workingDirectory)
    }

    public var loader: ConfigLoader { ConfigLoader(environment: environment) }

    @discardableResult
    public func writeConfig(_ json: String, in directory: String? = nil) -> String {
        let path = ((directory ?? workingDirectory) as NSString).appendingPathComponent("dms_config.json")
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        return path
    }
}
