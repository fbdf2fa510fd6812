/// Where an HTTP/1.1 server listens: a TCP address or a unix socket (the Docker Engine's default).
public enum HTTPEndpoint: Sendable, Equatable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    public var description: String {
        switch self {
        case .tcp(let host, let port): "\(host):\(port)"
        case .unix(let path): "unix://\(path)"
        }
    }

    /// The value of the `Host` header: the address for TCP; a placeholder for a socket, which has none.
    var hostHeader: String {
        switch self {
        case .tcp: description
        case .unix: "localhost"
        }
    }
}
