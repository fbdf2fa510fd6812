import DMSAPI
import Hummingbird
import NunetTestSupport
import Testing

/// The REST server's connection limit and timeouts, against a real server on loopback and clients on raw
/// sockets that behave as badly as they like.
@Suite struct RESTLimitsTests {
    /// Runs a server with `limits` on a free loopback port for the length of `body`.
    func withServer(_ limits: RESTLimits, _ body: @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("health") { _, _ in "ok" }
        router.post("echo") { request, _ in
            var request = request
            return String(buffer: try await request.collectBody(upTo: 1 << 20))
        }
        try await RESTServerSupport.withServer(router, limits: limits, body)
    }

    /// A GET on a connection of its own, as a well-behaved client sends it.
    static func health(port: Int) async throws -> Int? {
        try await offThePool {
            let connection = LoopbackConnection(port: port)
            connection?.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return connection?.readResponse()?.status
        }
    }

    @Test func aClientThatNeverFinishesItsHeadersIsCutWhileOthersAreServed() async throws {
        try await withServer(RESTLimits(maxConnections: 8, headerTimeout: .seconds(1))) { port in
            let slow = try #require(LoopbackConnection(port: port, timeout: 30))
            #expect(slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "))
            #expect(try await Self.health(port: port) == 200)
            let outcome = try await offThePool { slow.readUntilClosed() }
            #expect(outcome.closedByServer)
            #expect(outcome.received.isEmpty, "\(String(decoding: outcome.received, as: UTF8.self))")
        }
    }

    @Test func aClientThatNeverFinishesItsBodyIsCut() async throws {
        try await withServer(RESTLimits(maxConnections: 8, bodyTimeout: .seconds(1))) { port in
            let slow = try #require(LoopbackConnection(port: port, timeout: 30))
            #expect(slow.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nonly ten.."))
            let outcome = try await offThePool { slow.readUntilClosed() }
            #expect(outcome.closedByServer)
            #expect(!String(decoding: outcome.received, as: UTF8.self).contains("only ten"))
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterItsResponse() async throws {
        try await withServer(RESTLimits(maxConnections: 8, headerTimeout: .seconds(1))) { port in
            let client = try #require(LoopbackConnection(port: port, timeout: 30))
            client.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello")
            let response = try await offThePool { client.readResponse() }
            #expect(response?.status == 200)
            #expect(response?.body == "hello")
            #expect(try await offThePool { client.readUntilClosed() }.closedByServer)
        }
    }

    @Test func aConnectionOverTheLimitIsClosedAtOnceAndThePlaceComesBack() async throws {
        try await withServer(RESTLimits(maxConnections: 3, headerTimeout: .seconds(60))) { port in
            // Three keep-alive clients, each answered once so the server has surely counted it.
            var held: [LoopbackConnection] = []
            for _ in 0..<3 {
                let client = try #require(LoopbackConnection(port: port, timeout: 30))
                client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                #expect(try await offThePool { client.readResponse() }?.status == 200)
                held.append(client)
            }
            // The fourth is accepted by the kernel and then closed unanswered (a queued one would time out).
            let refused = try #require(LoopbackConnection(port: port, timeout: 30))
            refused.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let outcome = try await offThePool { refused.readUntilClosed() }
            #expect(outcome.closedByServer)
            #expect(outcome.received.isEmpty)
            // One leaves; a new client gets its place as soon as the server has seen the close.
            held.removeFirst()
            var status = try await Self.health(port: port)
            for _ in 0..<50 where status != 200 {
                try await Task.sleep(for: .milliseconds(100))
                status = try await Self.health(port: port)
            }
            #expect(status == 200)
            #expect(held.count == 2)
        }
    }
}
