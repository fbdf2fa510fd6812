import DMSCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The CLI's HTTP/1.1 client for the local daemon's REST API: one request per connection, JSON in and
/// out. Errors name the address so "is the daemon running?" is easy to answer.
public struct DaemonClient: Sendable {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]

        /// The `error` message of a JSON error body, when there is one.
        public var errorMessage: String? {
            guard let document = try? JSONParser.parse(body), case .string(let message)? = document["error"] else {
                return nil
            }
            return message
        }
    }

    public func get(_ path: String, timeout: Duration = .seconds(10)) async throws -> Response {
        try await request(.GET, path, body: nil, timeout: timeout)
    }

    public func post(_ path: String, body: [UInt8], timeout: Duration) async throws -> Response {
        try await request(.POST, path, body: body, timeout: timeout)
    }

    private func request(_ method: HTTPMethod, _ path: String, body: [UInt8]?, timeout: Duration) async throws
        -> Response
    {
        let collector = ResponseCollector()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.pipeline.addHTTPClientHandlers().flatMap { channel.pipeline.addHandler(collector) }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw Failure(
                description: "cannot reach the node's REST API at \(host):\(port) (is `nunet run` running?): \(error)")
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Connection", value: "close")
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        let deadline = channel.eventLoop.scheduleTask(
            in: .nanoseconds(
                Int64(timeout.components.seconds) * 1_000_000_000
                    + Int64(timeout.components.attoseconds / 1_000_000_000))
        ) {
            collector.fail(Failure(description: "no answer from \(host):\(port) within \(timeout)"), channel: channel)
        }
        defer { deadline.cancel() }
        return try await collector.promise(on: channel.eventLoop).futureResult.get()
    }
}

/// Gathers one HTTP response from the channel.
private final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private var status = 0
    private var body: [UInt8] = []
    private var result: EventLoopPromise<DaemonClient.Response>?
    private var pendingError: (any Error)?
    private var finished: DaemonClient.Response?

    /// Called on the channel's event loop thread only.
    func promise(on eventLoop: any EventLoop) -> EventLoopPromise<DaemonClient.Response> {
        let promise = eventLoop.makePromise(of: DaemonClient.Response.self)
        eventLoop.execute {
            if let finished = self.finished {
                promise.succeed(finished)
            } else if let error = self.pendingError {
                promise.fail(error)
            } else {
                self.result = promise
            }
        }
        return promise
    }

    func fail(_ error: any Error, channel: any Channel) {
        complete(.failure(error))
        channel.close(promise: nil)
    }

    private func complete(_ outcome: Result<DaemonClient.Response, any Error>) {
        switch outcome {
        case .success(let response):
            if finished != nil || pendingError != nil { return }
            finished = response
            result?.succeed(response)
        case .failure(let error):
            if finished != nil || pendingError != nil { return }
            pendingError = error
            result?.fail(error)
        }
        result = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(var buffer): body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            complete(.success(DaemonClient.Response(status: status, body: body)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(DaemonClient.Failure(description: "REST request failed: \(error)")))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(DaemonClient.Failure(description: "the node closed the connection without an answer")))
    }
}
