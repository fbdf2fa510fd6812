/// Why a DNS lookup failed, naming the name, server or bytes at fault so a log line explains itself.
public enum DNSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name that cannot be asked for.
    case invalidName(String, reason: String)
    /// A server address that cannot be used.
    case invalidServer(String, reason: String)
    /// No server to ask; `source` says where servers were looked for.
    case noServers(source: String)
    /// The system's resolver configuration could not be read.
    case unreadableConfiguration(path: String, reason: String)
    /// Bytes that are not a well-formed DNS message (or a message that cannot be encoded).
    case malformedMessage(String)
    /// NXDOMAIN: the name does not exist.
    case nameNotFound(String)
    /// The name exists but has no records of the type asked for.
    case noRecords(String, type: DNSRecordType)
    /// The server answered with an error code other than NXDOMAIN.
    case serverError(name: String, server: String, code: UInt8)
    /// No answer came from any server in time.
    case timedOut(name: String, servers: [String])
    /// A server could not be reached (refused, network unreachable, closed early).
    case unreachable(name: String, server: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name, let reason): return "dns: invalid name \"\(name)\": \(reason)"
        case .invalidServer(let server, let reason): return "dns: invalid server \"\(server)\": \(reason)"
        case .noServers(let source): return "dns: no name server to ask (\(source))"
        case .unreadableConfiguration(let path, let reason): return "dns: cannot read \(path): \(reason)"
        case .malformedMessage(let reason): return "dns: malformed message: \(reason)"
        case .nameNotFound(let name): return "dns: \(name) does not exist (NXDOMAIN)"
        case .noRecords(let name, let type): return "dns: \(name) has no \(type) records"
        case .serverError(let name, let server, let code):
            return "dns: \(server) answered \(Self.responseCodeName(code)) for \(name)"
        case .timedOut(let name, let servers):
            return "dns: no answer for \(name) from \(servers.joined(separator: ", ")) (timed out)"
        case .unreachable(let name, let server, let reason):
            return "dns: cannot ask \(server) for \(name): \(reason)"
        }
    }

    static func responseCodeName(_ code: UInt8) -> String {
        switch code {
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        default: return "response code \(code)"
        }
    }
}
