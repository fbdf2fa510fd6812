import Foundation
import Synchronization

/// A trace collector for tests: an HTTP/1.1 server on 127.0.0.1 that takes OTLP/HTTP protobuf exports
/// (`POST /v1/traces`), answers 200, and decodes every span it receives (trace and span IDs, parent, name, and the
/// exporting node's `service.instance.id`). Threads, blocking sockets: it serves a test, not the world.
final class OTLPReceiver: Sendable {
    struct Span: Sendable, Equatable {
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var name: String
        /// The exporting process's `service.instance.id` resource attribute.
        var instance: String
    }

    let port: Int
    private let listener: Int32
    private let received = Mutex<(spans: [Span], paths: [String])>(([], []))

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound, listen(listener, 16) == 0 else {
            close(listener)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let descriptor = listener
        let serve = { @Sendable [weak self] (connection: Int32) in self?.serve(connection) }
        Thread {
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else { return }
                Thread { serve(connection) }.start()
            }
        }.start()
    }

    /// Stops accepting (connections already open end when their exporter closes them).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    var spans: [Span] { received.withLock { $0.spans } }
    var paths: [String] { received.withLock { $0.paths } }

    /// Requests on one keep-alive connection until the client closes it.
    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer: [UInt8] = []
        while true {
            guard let headerEnd = Self.find([13, 10, 13, 10], in: buffer) else {
                guard Self.read(connection, into: &buffer) else { return }
                continue
            }
            let head = String(decoding: buffer[..<headerEnd], as: UTF8.self)
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            while buffer.count < headerEnd + 4 + length {
                guard Self.read(connection, into: &buffer) else { return }
            }
            let body = Array(buffer[(headerEnd + 4)..<(headerEnd + 4 + length)])
            buffer.removeFirst(headerEnd + 4 + length)
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            let spans = (try? Self.decode(body)) ?? []
            received.withLock {
                $0.paths.append(path)
                $0.spans += spans
            }
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"
            _ = answer.utf8CString.withUnsafeBufferPointer { send(connection, $0.baseAddress, $0.count - 1, 0) }
        }
    }

    private static func read(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    // MARK: - OTLP protobuf

    struct Malformed: Error {}

    /// `ExportTraceServiceRequest`: resource_spans = 1 { resource = 1 { attributes = 1 }, scope_spans = 2 {
    /// spans = 2 { trace_id = 1, span_id = 2, parent_span_id = 4, name = 5 } } }.
    static func decode(_ body: [UInt8]) throws -> [Span] {
        var spans: [Span] = []
        for (field, resourceSpans) in try fields(body) where field == 1 {
            var instance = ""
            var found: [Span] = []
            for (field, value) in try fields(resourceSpans) {
                if field == 1 {
                    for (field, attribute) in try fields(value) where field == 1 {
                        let members = try fields(attribute)
                        let key = members.first { $0.0 == 1 }.map { String(decoding: $0.1, as: UTF8.self) }
                        let any = try members.first { $0.0 == 2 }.map { try fields($0.1) } ?? []
                        if key == "service.instance.id", let text = any.first(where: { $0.0 == 1 }) {
                            instance = String(decoding: text.1, as: UTF8.self)
                        }
                    }
                } else if field == 2 {
                    for (field, span) in try fields(value) where field == 2 {
                        var decoded = Span(traceID: "", spanID: "", parentSpanID: "", name: "", instance: "")
                        for (field, value) in try fields(span) {
                            switch field {
                            case 1: decoded.traceID = hex(value)
                            case 2: decoded.spanID = hex(value)
                            case 4: decoded.parentSpanID = hex(value)
                            case 5: decoded.name = String(decoding: value, as: UTF8.self)
                            default: break
                            }
                        }
                        found.append(decoded)
                    }
                }
            }
            spans += found.map { span in
                var span = span
                span.instance = instance
                return span
            }
        }
        return spans
    }

    /// The length-delimited fields of a message (others skipped), in order.
    static func fields(_ bytes: [UInt8]) throws -> [(Int, [UInt8])] {
        var output: [(Int, [UInt8])] = []
        var index = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while index < bytes.count {
            let key = try varint()
            switch key & 7 {
            case 0: _ = try varint()
            case 1: index += 8
            case 5: index += 4
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.count else { throw Malformed() }
                output.append((Int(key >> 3), Array(bytes[index..<(index + length)])))
                index += length
            default: throw Malformed()
            }
        }
        guard index == bytes.count else { throw Malformed() }
        return output
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
