import Foundation
import Synchronization

/// An append-only log file rotated by size: when a line would push it past the limit the file becomes
/// `<name>.1`, older backups shift up, and the oldest beyond the kept count is removed. Shared by every
/// logger of the process; writes are serialised.
public final class RotatingLogFile: Sendable {
    public let path: String
    public let maximumBytes: Int
    public let backups: Int
    private let state: Mutex<(descriptor: Int32, size: Int)>

    public init(path: String, maximumBytes: Int, backups: Int) throws(StartupError) {
        self.path = path
        self.maximumBytes = maximumBytes
        self.backups = backups
        let (descriptor, size) = try Self.openForAppend(path)
        state = Mutex((descriptor, size))
    }

    deinit {
        state.withLock { _ = close($0.descriptor) }
    }

    public func append(_ line: String) {
        let bytes = Array(line.utf8)
        state.withLock { file in
            if file.size > 0 && file.size + bytes.count > maximumBytes {
                rotate(&file)
            }
            let written = bytes.withUnsafeBytes { write(file.descriptor, $0.baseAddress, $0.count) }
            if written > 0 { file.size += written }
        }
    }

    /// Forces buffered data to disk; called on shutdown.
    public func flush() {
        state.withLock { _ = fsync($0.descriptor) }
    }

    private func rotate(_ file: inout (descriptor: Int32, size: Int)) {
        close(file.descriptor)
        if backups == 0 {
            unlink(path)
        } else {
            unlink("\(path).\(backups)")
            for index in stride(from: backups - 1, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            rename(path, "\(path).1")
        }
        if let reopened = try? Self.openForAppend(path) {
            file = reopened
        } else {
            file = (-1, 0)
        }
    }

    private static func openForAppend(_ path: String) throws(StartupError) -> (Int32, Int) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StartupError.logFileUnusable(path: path, reason: systemErrorText()) }
        var status = stat()
        fstat(descriptor, &status)
        return (descriptor, Int(status.st_size))
    }
}
