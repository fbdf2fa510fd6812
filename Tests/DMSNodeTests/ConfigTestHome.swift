import DMSNode
import Foundation
import NunetTestSupport

/// A temporary machine for configuration tests: a home, a working directory and `/etc`-free search path.
struct ConfigTestHome {
    let root = TemporaryDirectory("nunet-config")
    var variables: [String: String] = [:]

    var home: String { root.file("home") }
    var workingDirectory: String { root.file("work") }

    init() {
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
    }

    var environment: HostEnvironment {
        HostEnvironment(variables: variables, homeDirectory: home, currentDirectory: workingDirectory)
    }

    var loader: ConfigLoader { ConfigLoader(environment: environment) }

    @discardableResult
    func writeConfig(_ json: String, in directory: String? = nil) -> String {
        let path = ((directory ?? workingDirectory) as NSString).appendingPathComponent("dms_config.json")
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        return path
    }
}
