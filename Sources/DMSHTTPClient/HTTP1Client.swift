import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client on SwiftNIO, one request per connection, over TCP or a unix socket. It serves the
/// CLI's calls to the local daemon and the Docker executor's calls to the Docker Engine, whose long-lived
/// answers (followed logs, pull progress, waits) are read as streams.
public struct HTTP1Client: Sendable {
    public let endpoint: HTTPEndpoint
    public var connectTimeout: Duration

    public init(_ endpoint: HTTPEndpoint, connectTimeout: Duration = .seconds(5)) {
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
    }

    /// Sends the request and reads the whole answer, failing after `timeout`.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask { try await stream(request).collect() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let response = first else {
                throw HTTPClientError(description: "no answer from \(endpoint) within \(timeout)")
            }
            return response
        }
    }

    /// Sends the request and returns once the response head has arrived; the body follows as a stream.
    /// Cancelling the calling task closes the connection.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let channel = try await connect()
        let reader = ResponseReader(continuation: continuation, headPromise: channel.eventLoop.makePromise())
        continuation.onTermination = { _ in channel.close(promise: nil) }
        do {
            try await channel.pipeline.addHandler(reader).get()
            try await write(request, on: channel)
        } catch {
            // The server may close the connection before the reader is in place: nothing else completes it.
            reader.abandon(error, on: channel)
            throw error
        }
        let head = try await withTaskCancellationHandler {
            try await reader.headPromise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return HTTPStreamingResponse(
            status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: body)
    }

    private func connect() async throws -> any Channel {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(
                .nanoseconds(
                    Int64(connectTimeout.components.seconds) * 1_000_000_000
                        + Int64(connectTimeout.components.attoseconds / 1_000_000_000))
            )
            .channelInitializer { channel in channel.pipeline.addHTTPClientHandlers() }
        do {
            switch endpoint {
            case .tcp(let host, let port): return try await bootstrap.connect(host: host, port: port).get()
            case .unix(let path): return try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            throw HTTPClientError(description: "cannot connect to \(endpoint): \(error)", couldNotConnect: true)
        }
    }

    private func write(_ request: HTTPRequest, on channel: any Channel) async throws {
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: request.target)
        head.headers.add(name: "Host", value: endpoint.hostHeader)
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in request.headers { head.headers.add(name: name, value: value) }
        if let body = request.body { head.headers.add(name: "Content-Length", value: String(body.count)) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body = request.body, !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        do {
            try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        } catch {
            channel.close(promise: nil)
            throw HTTPClientError(
                description: "cannot send \(request.method) \(request.target) to \(endpoint): \(error)")
        }
    }
}

/// Hands the response head to the caller and the body chunks to the stream; the connection closes when
/// the response ends.
private final class ResponseReader: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    let headPromise: EventLoopPromise<HTTPResponseHead>
    private var sawHead = false
    private var done = false

    init(
        continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation,
        headPromise: EventLoopPromise<HTTPResponseHead>
    ) {
        self.continuation = continuation
        self.headPromise = headPromise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            sawHead = true
            headPromise.succeed(head)
        case .body(var buffer):
            if let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty { continuation.yield(bytes) }
        case .end:
            finish(nil)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(HTTPClientError(description: "HTTP response failed: \(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(HTTPClientError(description: "the server closed the connection before the response ended"))
    }

    /// Ends the response with `error` when the request never got as far as the server.
    func abandon(_ error: any Error, on channel: any Channel) {
        channel.eventLoop.execute { self.finish(error) }
        channel.close(promise: nil)
    }

    private func finish(_ error: (any Error)?) {
        guard !done else { return }
        done = true
        if !sawHead { headPromise.fail(error ?? HTTPClientError(description: "no response")) }
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }
}
