import Foundation

/// One TCP connection to 127.0.0.1 that a test holds open for as long as it likes: to send a request in
/// pieces, to leave it half-finished (a slow or hostile client), or to read what the server does about it.
/// Reads block for at most `timeout` seconds each; run them off the cooperative pool when they may wait.
public final class LoopbackConnection: @unchecked Sendable {
    private let descriptor: Int32

    /// Nil if nothing accepts connections on `port`.
    public init?(port: Int, timeout: Int = 5) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let connected = LoopbackNetwork.withAddress(port: port) { connect(descriptor, $0, $1) }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`; false if the connection would not take them.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        Foundation.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the server closes or a read times out; returns what arrived and whether the server closed
    /// (end of stream or reset).
    public func readUntilClosed() -> (received: [UInt8], closedByServer: Bool) {
        var received: [UInt8] = []
        while true {
            switch readSome() {
            case .data(let bytes): received += bytes
            case .closed: return (received, true)
            case .timedOut: return (received, false)
            }
        }
    }

    /// Reads one HTTP/1.1 response with a `content-length`; returns its status and body, or nil when the
    /// connection closes or times out first.
    public func readResponse() -> (status: Int, body: String)? {
        var received: [UInt8] = []
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let headerEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headerEnd.lowerBound].lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                let body = text[headerEnd.upperBound...]
                if body.utf8.count >= length,
                    let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) })
                {
                    return (status, String(body))
                }
            }
            guard case .data(let bytes) = readSome() else { return nil }
            received += bytes
        }
    }

    private enum Read {
        case data([UInt8])
        case closed, timedOut
    }

    private func readSome() -> Read {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count > 0 { return .data(Array(buffer[..<count])) }
        if count == 0 || errno == ECONNRESET { return .closed }
        return .timedOut
    }
}
