import Foundation

/// Replacing a file so that readers see the old or the new contents, never a mix or a truncated file:
/// the new bytes go to a temporary file in the same directory (created with `mode`), are synced, and
/// renamed over the target. Keys, capability contexts and config files are all written this way.
public enum AtomicFile {
    /// The POSIX reason of a failed write, naming the file involved.
    public struct Failure: Error, Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(path: temporary, reason: String(cString: strerror(errno))) }
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
    }
}
