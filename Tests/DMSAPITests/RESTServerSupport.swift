import DMSAPI
import DMSNode
import Foundation
import Hummingbird
import Logging
import NunetTestSupport
import ServiceLifecycle
import Testing

/// A real REST server on a free loopback port for the length of a test, and raw HTTP exchanges with it.
enum RESTServerSupport {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A node on its own in-memory network, started, with its identity in `directory`.
    static func standaloneNode(in directory: TemporaryDirectory) async throws -> Node {
        let identity = try NodeIdentity.load(dataDirectory: directory.path, contextName: "dms", kdfCost: 10) { _, _ in
            "p"
        }
        let node = Node.standalone(identity: identity, resources: nil, logger: quiet)
        try await node.start()
        return node
    }

    /// Serves `router` on 127.0.0.1 while `body` runs.
    static func withServer(
        _ router: Router<BasicRequestContext>, limits: RESTLimits = RESTLimits(),
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let application = RESTServer.application(
            router: router, address: .hostname("127.0.0.1", port: 0), limits: limits, logger: quiet
        ) { port in announce.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [application], logger: quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
        }
    }

    /// One GET with `headers` on a connection of its own; the status line's code, the headers (lowercased
    /// names) and the body.
    static func get(port: Int, _ path: String, headers: [String] = []) async throws -> (
        status: Int, headers: [String: String], body: String
    )? {
        let request = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"] + headers + ["", ""])
            .joined(separator: "\r\n")
        return try await offThePool {
            guard let (bytes, _) = LoopbackNetwork.exchange(port: port, sending: Array(request.utf8)) else {
                return nil
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let split = text.range(of: "\r\n\r\n") else { return nil }
            let lines = text[..<split.lowerBound].split(separator: "\r\n")
            guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                return nil
            }
            var fields: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            return (status, fields, String(text[split.upperBound...]))
        }
    }
}
