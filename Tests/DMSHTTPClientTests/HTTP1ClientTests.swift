import DMSHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NunetTestSupport
import Testing

/// A server on a unix socket that answers every request with the scripted raw response, one piece at a time.
private final class ScriptedResponder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let pieces: [String]
    let pause: TimeAmount
    private var request = ""
    private var answered = false

    init(pieces: [String], pause: TimeAmount) {
        self.pieces = pieces
        self.pause = pause
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        request += buffer.readString(length: buffer.readableBytes) ?? ""
        guard !answered, request.contains("\r\n\r\n") else { return }
        answered = true
        let channel = context.channel
        for (index, piece) in pieces.enumerated() {
            channel.eventLoop.scheduleTask(in: pause * Int64(index)) {
                channel.writeAndFlush(ByteBuffer(string: piece), promise: nil)
                if index == self.pieces.count - 1 { channel.close(promise: nil) }
            }
        }
    }
}

private func withServer<T>(
    _ pieces: [String], pause: TimeAmount = .milliseconds(0), _ body: (String) async throws -> T
) async throws -> T {
    let directory = TemporaryDirectory()
    let path = directory.file("server.sock")
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { $0.pipeline.addHandler(ScriptedResponder(pieces: pieces, pause: pause)) }
        .bind(unixDomainSocketPath: path).get()
    defer { server.close(promise: nil) }
    return try await body(path)
}

@Suite struct HTTP1ClientTests {
    @Test func readsAWholeResponseOverAUnixSocket() async throws {
        let response = try await withServer([
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n", "{\"ok\":true}",
        ]) { path in
            try await HTTP1Client(.unix(path: path)).send(HTTPRequest("GET", "/_ping"), timeout: .seconds(5))
        }
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"ok\":true}")
    }

    @Test func streamsAChunkedBodyAsItArrives() async throws {
        let chunks = try await withServer(
            [
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "6\r\nfirst\n\r\n", "7\r\nsecond\n\r\n",
                "0\r\n\r\n",
            ], pause: .milliseconds(50)
        ) { path in
            let response = try await HTTP1Client(.unix(path: path)).stream(HTTPRequest("GET", "/logs?follow=1"))
            var chunks: [String] = []
            for try await chunk in response.body { chunks.append(String(decoding: chunk, as: UTF8.self)) }
            return chunks
        }
        #expect(chunks == ["first\n", "second\n"])
    }

    @Test func aBodyThatEndsWithTheConnectionIsRead() async throws {
        // Docker's exec output: no length, no chunking; the body ends when the server closes.
        let response = try await withServer([
            "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n", "raw bytes",
        ]) {
            path in
            try await HTTP1Client(.unix(path: path)).send(
                HTTPRequest("POST", "/exec/1/start", body: []), timeout: .seconds(5))
        }
        #expect(String(decoding: response.body, as: UTF8.self) == "raw bytes")
    }

    @Test func aMissingServerIsNamedInTheError() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("nobody.sock")
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await HTTP1Client(.unix(path: path)).send(HTTPRequest("GET", "/"), timeout: .seconds(5))
        }
        #expect(error?.description.contains("cannot connect to unix://\(path)") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let error = try await withServer(
            ["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "partial"], pause: .seconds(30)
        ) {
            path in
            await #expect(throws: HTTPClientError.self) {
                _ = try await HTTP1Client(.unix(path: path)).send(HTTPRequest("GET", "/"), timeout: .milliseconds(300))
            }
        }
        #expect(error?.description.contains("within") == true)
    }
}
