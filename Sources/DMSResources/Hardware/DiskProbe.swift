import Foundation

/// The filesystem that holds the data directory: its size and the space still free for the node.
public struct DiskInfo: Sendable, Equatable {
    public var total: UInt64
    public var free: UInt64
    public var used: UInt64 { total > free ? total - free : 0 }
}

public enum DiskProbe {
    public static func read(path: String) throws(ProbeError) -> DiskInfo {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else {
            throw ProbeError(
                probe: "disk", reason: "cannot stat the filesystem of \(path): \(String(cString: strerror(errno)))")
        }
        let blockSize = UInt64(status.f_frsize)
        return DiskInfo(total: UInt64(status.f_blocks) * blockSize, free: UInt64(status.f_bavail) * blockSize)
    }
}
