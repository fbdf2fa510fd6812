import DMSAPI
import DMSCore
import DMSNode
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NunetTestSupport
import Testing

/// The REST API's routes against a node on its own in-memory network.
@Suite struct RESTRoutesTests {
    let directory = TemporaryDirectory()
    let node: Node
    let application: Application<RouterResponder<BasicRequestContext>>

    init() async throws {
        let identity = try NodeIdentity.load(dataDirectory: directory.path, contextName: "dms", kdfCost: 10) { _, _ in
            "p"
        }
        node = Node.standalone(
            identity: identity, resources: nil,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await node.start()
        application = Application(router: RESTServer.router(node: node))
    }

    func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONParser.parse(String(buffer: buffer)) }

    @Test func healthNamesTheRunningBuild() async throws {
        try await application.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["status"] == .string("ok"))
                #expect(body["version"] == .string(BuildInfo.version))
                #expect(body["commit"] == .string(BuildInfo.gitCommit))
            }
        }
    }

    /// What a Prometheus server scrapes: the text format's content type and the node's families.
    @Test func metricsAreServedInThePrometheusTextFormat() async throws {
        try await application.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                for family in ["nunet_build_info", "nunet_actors", "nunet_token_cache_hits_total", "process_open_fds"] {
                    #expect(text.contains("# TYPE \(family) "), "\(family) in \(text)")
                }
                #expect(text.contains(#"nunet_build_info{version="\#(BuildInfo.version)""#), "\(text)")
            }
        }
    }

    /// Clients address their envelopes to this handle.
    @Test func theHandleIsTheNodesRootActor() async throws {
        try await application.test(.router) { client in
            try await client.execute(uri: "/api/v1/actor/handle", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Array(buffer: response.body) == node.handle.encoding)
            }
        }
    }

    @Test func aBodyThatIsNotAnEnvelopeIsABadRequestNamingTheField() async throws {
        try await application.test(.router) { client in
            for route in ["send", "invoke", "broadcast"] {
                try await client.execute(
                    uri: "/api/v1/actor/\(route)", method: .post, body: ByteBuffer(string: #"{"be": 3}"#)
                ) { response in
                    #expect(response.status == .badRequest, "\(route)")
                    let message = String(buffer: response.body)
                    #expect(message.contains(#"\"be\" must be a string"#), "\(route): \(message)")
                }
            }
        }
    }

    @Test func aBodyOverTheLimitIsRefused() async throws {
        try await application.test(.router) { client in
            let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: (2 << 20) + 1)
            try await client.execute(uri: "/api/v1/actor/send", method: .post, body: huge) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func unknownRoutesAreNotFound() async throws {
        try await application.test(.router) { client in
            try await client.execute(uri: "/api/v1/nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
