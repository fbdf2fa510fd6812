import Foundation

/// The parts of the process environment the node reads (variables, home and working directory), passed
/// explicitly so tests and tools can run a node in a temporary home without touching the real one.
public struct HostEnvironment: Sendable {
    public var variables: [String: String]
    public var homeDirectory: String
    public var currentDirectory: String

    public init(variables: [String: String], homeDirectory: String, currentDirectory: String) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.currentDirectory = currentDirectory
    }

    public static var current: HostEnvironment {
        let variables = ProcessInfo.processInfo.environment
        return HostEnvironment(
            variables: variables,
            homeDirectory: variables["HOME"] ?? NSHomeDirectory(),
            currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The node's home: `$NUNET_HOME` when set, otherwise `~/.nunet`.
    public var nunetHome: String {
        if let home = variables["NUNET_HOME"], !home.isEmpty { return expandingPath(home) }
        return (homeDirectory as NSString).appendingPathComponent(".nunet")
    }

    /// Expands a leading `~` and makes relative paths absolute against the working directory.
    public func expandingPath(_ path: String) -> String {
        var expanded = path
        if expanded == "~" {
            expanded = homeDirectory
        } else if expanded.hasPrefix("~/") {
            expanded = (homeDirectory as NSString).appendingPathComponent(String(expanded.dropFirst(2)))
        }
        if !expanded.hasPrefix("/") {
            expanded = (currentDirectory as NSString).appendingPathComponent(expanded)
        }
        return (expanded as NSString).standardizingPath
    }
}
