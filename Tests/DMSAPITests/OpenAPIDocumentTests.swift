import DMSAPI
import DMSCore
import DMSNode
import NunetTestSupport
import Synchronization
import Testing
import Yams

/// `/openapi.yaml` describes exactly the routes the router serves: every route is in the document and
/// every operation of the document is a route.
@Suite struct OpenAPIDocumentTests {
    let directory = TemporaryDirectory()

    @Test func theDocumentNamesEveryRouteAndNothingElse() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        let router = RESTServer.router(node: node, access: .open)
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let text = try #require(try await RESTServerSupport.getDocument(node: node))
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(document["openapi"] as? String == "3.0.3")
        let paths = try #require(document["paths"] as? [String: Any])
        var described = Set<String>()
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "\(path)")
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                described.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(served.subtracting(described).isEmpty, "routes the document lacks: \(served.subtracting(described))")
        let missing = described.subtracting(served)
        #expect(missing.isEmpty, "operations without a route: \(missing)")
        #expect(served.count >= 16, "\(served.sorted())")

        // The token scheme is declared, and /health alone opts out of it.
        let components = try #require(document["components"] as? [String: Any])
        let schemes = try #require(components["securitySchemes"] as? [String: Any])
        #expect(Set(schemes.keys) == ["bearerToken", "cookieToken"])
        for (path, item) in paths {
            let get = (item as? [String: Any])?["get"] as? [String: Any]
            let optedOut = (get?["security"] as? [Any])?.isEmpty == true
            #expect(optedOut == (path == "/health"), "\(path)")
        }
    }
}

extension RESTServerSupport {
    /// The document as the server serves it.
    static func getDocument(node: DMSNode.Node) async throws -> String? {
        let box = DocumentBox()
        try await withServer(RESTServer.router(node: node)) { port in
            let answer = try await get(port: port, "/openapi.yaml")
            #expect(answer?.status == 200)
            #expect(answer?.headers["content-type"]?.hasPrefix("application/yaml") == true)
            box.set(answer?.body)
        }
        return box.value
    }
}

private final class DocumentBox: Sendable {
    private let text = Mutex<String?>(nil)
    var value: String? { text.withLock { $0 } }
    func set(_ value: String?) { text.withLock { $0 = value } }
}
