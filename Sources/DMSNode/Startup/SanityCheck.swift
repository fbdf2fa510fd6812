import DMSConfig
import DMSExecutor
import DMSStore
import Foundation

/// What a successful sanity check hands to the daemon: the held lock and the open store.
public struct StartupResources: Sendable {
    public let lock: DataDirectoryLock
    public let store: Store
}

/// Everything that must hold before any service starts, checked in an order that gives the most useful
/// message: the data directory, the lock (so a second daemon says "already running" rather than "port in
/// use"; runners a crashed predecessor left are stopped here), the log file, the ports, and finally the store. The first failure stops the start.
public enum SanityCheck {
    public static func run(config: EffectiveConfig) throws(StartupError) -> StartupResources {
        try prepareDataDirectory(config.dataDirectory)
        let lock = try DataDirectoryLock.acquire(inDirectory: config.dataDirectory)
        // Runners of a daemon that died without releasing the lock: stopped before anything is probed.
        if let stale = lock.stalePID { OrphanedRunners.stop(leftBy: stale) }
        do throws(StartupError) {
            try checkLogFile(config.logFile)
            try PortProbe.checkAvailable(address: config.restAddress, port: config.restPort)
            let store: Store
            do {
                store = try Store.open(inDirectory: config.dataDirectory)
            } catch {
                throw StartupError.storeUnusable(error)
            }
            return StartupResources(lock: lock, store: store)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Creates the data directory (mode 0700) if needed and proves it is writable.
    public static func prepareDataDirectory(_ path: String) throws(StartupError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StartupError.dataDirectoryUnusable(path: path, reason: "it is a file, not a directory")
            }
        } else if let code = makeDirectories(path, mode: 0o700) {
            throw StartupError.dataDirectoryUnusable(path: path, reason: "cannot create it: \(systemErrorText(code))")
        }
        let probe = (path as NSString).appendingPathComponent(".write-check-\(getpid())")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StartupError.dataDirectoryUnusable(path: path, reason: "not writable: \(systemErrorText())")
        }
        close(descriptor)
        unlink(probe)
    }

    static func checkLogFile(_ path: String) throws(StartupError) {
        if let code = makeDirectories((path as NSString).deletingLastPathComponent, mode: 0o755) {
            throw StartupError.logFileUnusable(path: path, reason: systemErrorText(code))
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StartupError.logFileUnusable(path: path, reason: systemErrorText()) }
        close(descriptor)
    }

    /// `mkdir -p` that reports the POSIX error (Foundation's wrapping loses it on Linux); nil on success.
    static func makeDirectories(_ path: String, mode: mode_t) -> Int32? {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) == 0 { continue }
            let code = errno
            var status = stat()
            guard code == EEXIST, stat(prefix, &status) == 0 else { return code }
            if status.st_mode & S_IFMT != S_IFDIR { return ENOTDIR }
        }
        return nil
    }
}
