import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Server-sent events (`text/event-stream`): how the dashboard gets live updates without polling. A
/// stream ends when its client goes away (a write fails), when its producer says so, or when the daemon
/// shuts down (`StreamShutdown`), so open dashboards never hold up a graceful stop.
enum ServerSentEvents {
    /// One event: `event: <name>` and its JSON on one `data:` line.
    static func event(_ name: String, json: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    /// A streamed response: `produce` is called every `interval` with a function that sends an event, and
    /// returns false once there is nothing more to send.
    static func response(
        shutdown: StreamShutdown, interval: Duration = .seconds(1),
        produce: @escaping @Sendable (_ send: (ByteBuffer) async throws -> Void) async throws -> Bool
    ) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                var idle = Duration.zero
                while !shutdown.isShuttingDown, !Task.isCancelled {
                    var sent = false
                    let more = try await produce { buffer in
                        try await writer.write(buffer)
                        sent = true
                    }
                    guard more else { break }
                    // A comment every few quiet seconds keeps proxies from closing the stream and finds clients that left.
                    idle = sent ? .zero : idle + interval
                    if idle >= .seconds(5) {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        idle = .zero
                    }
                    try await Task.sleep(for: interval)
                }
                try await writer.finish(nil)
            })
    }
}

/// Set when the daemon begins a graceful shutdown; every event stream ends at its next tick.
final class StreamShutdown: Sendable {
    private let flag = Mutex(false)

    init() {}

    var isShuttingDown: Bool { flag.withLock { $0 } }
    func begin() { flag.withLock { $0 = true } }
}
