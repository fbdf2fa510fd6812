import Foundation

/// Entries of a directory owned one-per-record (an allocation's work directory, a deployment's logs) that no
/// record claims any more: a crash between a record's removal and its directory's leaves them behind, and a
/// restart removes them.
public enum StrayEntries {
    /// Removes every entry of `directory` whose name is not in `known`; returns the names removed.
    @discardableResult
    public static func remove(in directory: URL, keeping known: Set<String>) -> [String] {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !known.contains($0) }
        return names.filter { (try? manager.removeItem(at: directory.appendingPathComponent($0))) != nil }
    }
}
