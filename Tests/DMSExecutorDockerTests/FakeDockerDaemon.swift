import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A stand-in for the Docker daemon on a unix socket that answers just enough for a container to start, holds
/// the wait and the output streams open, and can then die with every connection, as a crashing daemon does.
final class FakeDockerDaemon: Sendable {
    let path: String
    private let server: any Channel
    private let connections: NIOLockedValueBox<[any Channel]>

    init(path: String) async throws {
        self.path = path
        let connections = NIOLockedValueBox<[any Channel]>([])
        self.connections = connections
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                connections.withLockedValue { $0.append(channel) }
                return channel.pipeline.addHandler(Responder())
            }
            .bind(unixDomainSocketPath: path).get()
    }

    /// Stops listening and drops every connection.
    func die() async {
        try? await server.close()
        for channel in connections.withLockedValue({ $0 }) { try? await channel.close() }
    }

    /// Answers by method and path; the wait, attach and log requests get a head (or nothing) and then stay open.
    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private var request = ""
        private var answered = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            request += buffer.readString(length: buffer.readableBytes) ?? ""
            guard !answered, request.contains("\r\n\r\n") else { return }
            answered = true
            let line = request.prefix { $0 != "\r" }
            let response: String?
            if line.contains("/attach") {
                response = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n"
            } else if line.contains("/wait") {
                response = nil
            } else if line.contains("/containers/create") {
                response = Self.json(201, #"{"Id":"fake0container"}"#)
            } else if line.contains("/start") {
                response = "HTTP/1.1 204 No Content\r\n\r\n"
            } else if line.contains("/info") {
                response = Self.json(200, #"{"Driver":"overlay2","DriverStatus":[]}"#)
            } else if line.contains("/images/") {
                response = Self.json(200, "{}")
            } else {
                response = Self.json(404, #"{"message":"not faked"}"#)
            }
            if let response { context.writeAndFlush(NIOAny(ByteBuffer(string: response)), promise: nil) }
        }

        static func json(_ status: Int, _ body: String) -> String {
            "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
    }
}
