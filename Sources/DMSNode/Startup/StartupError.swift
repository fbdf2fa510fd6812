import DMSStore
import Foundation

/// Why the daemon refused to start. Each case prints as one line naming what failed and where.
public enum StartupError: Error, Sendable, Equatable, CustomStringConvertible {
    case dataDirectoryUnusable(path: String, reason: String)
    case alreadyRunning(pid: Int32, lockFile: String)
    case lockFailed(path: String, reason: String)
    case portInUse(address: String, port: Int)
    case portUnavailable(address: String, port: Int, reason: String)
    case logFileUnusable(path: String, reason: String)
    case storeUnusable(StoreError)
    case p2pListen(address: String, reason: String)

    public var description: String {
        switch self {
        case .dataDirectoryUnusable(let path, let reason):
            return "data directory \(path) is not usable: \(reason)"
        case .alreadyRunning(let pid, let lockFile):
            return "already running (pid \(pid)): another daemon holds \(lockFile)"
        case .lockFailed(let path, let reason):
            return "cannot lock \(path): \(reason)"
        case .portInUse(let address, let port):
            return "port \(port) on \(address) is already in use (set rest.port or --rest-port to another port)"
        case .portUnavailable(let address, let port, let reason):
            return "cannot listen on \(address) port \(port): \(reason)"
        case .logFileUnusable(let path, let reason):
            return "log file \(path) is not writable: \(reason)"
        case .storeUnusable(let error):
            return error.description
        case .p2pListen(let address, let reason):
            return "cannot listen for peers on \(address) (p2p.listen_addresses): \(reason)"
        }
    }
}

/// The text for the current `errno`.
func systemErrorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
