import Foundation

/// Loopback helpers for tests that run servers: free ports, a held port, and a minimal HTTP GET.
public enum LoopbackNetwork {
    /// A port that was free a moment ago (the kernel's choice for port 0).
    public static func freePort() -> Int {
        let listener = try! Listener()
        return listener.port
    }

    /// Calls `body` with 127.0.0.1:`port` as a socket address (for `bind` or `connect`).
    static func withAddress(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// A TCP socket listening on 127.0.0.1 until released; used to make a port busy.
    public final class Listener: @unchecked Sendable {
        public let port: Int
        private let descriptor: Int32

        public init(port: Int = 0) throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let bound = LoopbackNetwork.withAddress(port: port) { bind(descriptor, $0, $1) }
            guard bound == 0, listen(descriptor, 8) == 0 else {
                close(descriptor)
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            self.descriptor = descriptor
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    /// `GET path` on 127.0.0.1:port; returns the status code and body, or nil if nothing answers.
    public static func get(port: Int, path: String) -> (status: Int, body: String)? {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard let (response, _) = exchange(port: port, sending: request) else { return nil }
        let text = String(decoding: response, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n"),
            let statusText = text.split(separator: " ", maxSplits: 2).dropFirst().first,
            let status = Int(statusText)
        else { return nil }
        return (status, String(text[headerEnd.upperBound...]))
    }

    /// Connects to 127.0.0.1:port, sends `bytes` and reads until the server closes or `timeout` seconds
    /// pass; returns what arrived and whether the server closed. Nil if nothing listens.
    public static func exchange(port: Int, sending bytes: [UInt8], timeout: Int = 5) -> (
        received: [UInt8], closedByServer: Bool
    )? {
        guard let connection = LoopbackConnection(port: port, timeout: timeout), connection.send(bytes) else {
            return nil
        }
        return connection.readUntilClosed()
    }
}
