import Foundation

/// An exclusive lock on a data directory so two daemons never share one store. The kernel releases a
/// `flock` when its holder dies, so a killed daemon never blocks the next start; the PID it left in the
/// lock file is reported as a stale lock taken over.
public final class DataDirectoryLock: Sendable {
    public static let fileName = "nunet.lock"

    public let path: String
    /// The PID a previous daemon left behind without a clean release, if any.
    public let stalePID: Int32?
    private let descriptor: Int32

    private init(path: String, descriptor: Int32, stalePID: Int32?) {
        self.path = path
        self.descriptor = descriptor
        self.stalePID = stalePID
    }

    public static func acquire(inDirectory directory: String, pid: Int32 = getpid()) throws(StartupError)
        -> DataDirectoryLock
    {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StartupError.lockFailed(path: path, reason: systemErrorText()) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK, let holder { throw StartupError.alreadyRunning(pid: holder, lockFile: path) }
            if code == EWOULDBLOCK { throw StartupError.lockFailed(path: path, reason: "held by another process") }
            throw StartupError.lockFailed(path: path, reason: systemErrorText(code))
        }
        let stale = readPID(descriptor).flatMap { $0 == pid ? nil : $0 }
        let record = Array("\(pid)\n".utf8)
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, record, record.count, 0) == record.count else {
            let reason = systemErrorText()
            close(descriptor)
            throw StartupError.lockFailed(path: path, reason: reason)
        }
        fsync(descriptor)
        return DataDirectoryLock(path: path, descriptor: descriptor, stalePID: stale)
    }

    /// Clears the recorded PID (marking a clean stop) and releases the lock.
    public func release() {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }

    /// The PID recorded in the lock file, if it holds one.
    public static func recordedPID(inDirectory directory: String) -> Int32? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return readPID(descriptor)
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
