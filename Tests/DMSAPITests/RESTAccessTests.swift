import DMSAPI
import DMSCore
import DMSNode
import Foundation
import NunetTestSupport
import Synchronization
import Testing

/// The API beyond loopback: every route but `/health` needs a token from `nunet rest token new`, against
/// a real server on loopback whose router is built as it is for a non-loopback address.
@Suite struct RESTAccessTests {
    let directory = TemporaryDirectory()

    @Test func onlyLoopbackAddressesAreOpen() {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "localhost"] {
            #expect(RESTAccess.isLoopback(address), "\(address)")
        }
        for address in ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "127.0.0", "127.0.0.300", "example.org"] {
            #expect(!RESTAccess.isLoopback(address), "\(address)")
        }
    }

    @Test func withoutAValidTokenEveryRouteButHealthIsAShort401() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        let tokens = RESTTokens(dataDirectory: directory.path)
        let (token, _) = try tokens.create(name: "laptop")
        let router = RESTServer.router(node: node, access: .token(tokens))
        try await RESTServerSupport.withServer(router) { port in
            let health = try #require(try await RESTServerSupport.get(port: port, "/health"))
            #expect(health.status == 200)

            let routes = [
                "/", "/dashboard.js", "/openapi.yaml", "/api/v1/node", "/api/v1/deployments?limit=nonsense",
                "/api/v1/actor/handle", "/api/v1/events", "/api/v1/figures", "/no/such/route",
            ]
            let refusals: [(String, [String])] = [
                ("none", []), ("wrong", ["Authorization: Bearer nunet_00000000_\(String(repeating: "0", count: 48))"]),
                ("not bearer", ["Authorization: Basic \(token)"]), ("cookie", ["Cookie: nunet_token=wrong"]),
            ]
            for route in routes {
                for (kind, headers) in refusals {
                    let answer = try #require(try await RESTServerSupport.get(port: port, route, headers: headers))
                    #expect(answer.status == 401, "\(route) with \(kind) token")
                    #expect(answer.headers["www-authenticate"] == "Bearer")
                    #expect(answer.headers["content-type"]?.hasPrefix("text/plain") == true)
                    // A reason and nothing of the node.
                    #expect(answer.body.split(separator: "\n").count == 1, "\(route): \(answer.body)")
                    #expect(!answer.body.contains(node.identity.peerID.description))
                    #expect(!answer.body.contains("<html"))
                }
            }

            let bearer = try #require(
                try await RESTServerSupport.get(port: port, "/api/v1/node", headers: ["Authorization: Bearer \(token)"])
            )
            #expect(bearer.status == 200)
            #expect(try JSONParser.parse(bearer.body)["peer_id"] == .string(node.identity.peerID.description))
            // A valid token does not excuse a malformed parameter.
            let malformed = try #require(
                try await RESTServerSupport.get(
                    port: port, "/api/v1/deployments?limit=nonsense", headers: ["Authorization: Bearer \(token)"]))
            #expect(malformed.status == 400)
        }
    }

    @Test func theBrowserTradesTheTokenInTheAddressForAnHttpOnlyCookie() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        let tokens = RESTTokens(dataDirectory: directory.path)
        let (token, _) = try tokens.create(name: "browser")
        try await RESTServerSupport.withServer(RESTServer.router(node: node, access: .token(tokens))) { port in
            let wrong = try #require(try await RESTServerSupport.get(port: port, "/?token=nunet_bad"))
            #expect(wrong.status == 401)
            #expect(wrong.headers["set-cookie"] == nil)

            let login = try #require(try await RESTServerSupport.get(port: port, "/?token=\(token)"))
            #expect(login.status == 303)
            #expect(login.headers["location"] == "/")
            let cookie = try #require(login.headers["set-cookie"])
            #expect(cookie.hasPrefix("nunet_token=\(token);"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))

            let page = try #require(
                try await RESTServerSupport.get(port: port, "/", headers: ["Cookie: nunet_token=\(token)"]))
            #expect(page.status == 200)
            #expect(page.body.contains("<title>nunet node</title>"))
        }
    }

    @Test func aRevokedTokenIsRefusedAtOnceAndANewOneAcceptedWithoutARestart() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        let tokens = RESTTokens(dataDirectory: directory.path)
        let (first, entry) = try tokens.create(name: "first")
        try await RESTServerSupport.withServer(RESTServer.router(node: node, access: .token(tokens))) { port in
            let path = "/api/v1/actor/handle"
            #expect(
                try await RESTServerSupport.get(port: port, path, headers: ["Authorization: Bearer \(first)"])?.status
                    == 200)
            #expect(try tokens.revoke(entry.id).name == "first")
            #expect(
                try await RESTServerSupport.get(port: port, path, headers: ["Authorization: Bearer \(first)"])?.status
                    == 401)
            let (second, _) = try tokens.create(name: "second")
            #expect(
                try await RESTServerSupport.get(port: port, path, headers: ["Authorization: Bearer \(second)"])?.status
                    == 200)

            // The CLI's client sends its token, and says what to do when it has none.
            let client = DaemonClient(host: "127.0.0.1", port: port, token: second)
            #expect(try await client.get(path).status == 200)
            do {
                _ = try await DaemonClient(host: "127.0.0.1", port: port).get(path)
                Issue.record("a request without a token was answered")
            } catch {
                #expect("\(error)".contains("NUNET_REST_TOKEN"), "\(error)")
            }
        }
    }

    @Test func tokensCreatedAtTheSameTimeAreAllKept() throws {
        let tokens = RESTTokens(dataDirectory: directory.path)
        let made = Mutex<[String]>([])
        // Each call opens its own descriptor on the lock file, as separate `nunet rest token new` processes do.
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            if let (token, _) = try? tokens.create(name: "runner-\(index)") { made.withLock { $0.append(token) } }
        }
        #expect(made.withLock { $0.count } == 16)
        #expect(try Set(tokens.list().map(\.name)) == Set((0..<16).map { "runner-\($0)" }))
        _ = try tokens.revoke("runner-3")
        #expect(try tokens.list().count == 15)
    }

    @Test func theTokenFileKeepsHashesOnlyAndRefusesBadNames() throws {
        let tokens = RESTTokens(dataDirectory: directory.path)
        #expect(try tokens.list().isEmpty)
        let (token, entry) = try tokens.create(name: "ci-runner.1")
        #expect(token.hasPrefix("nunet_\(entry.id)_"))
        let file = try String(contentsOfFile: tokens.path, encoding: .utf8)
        #expect(!file.contains(token))
        #expect(!file.contains(String(token.dropFirst("nunet_\(entry.id)_".count))))
        let mode = try #require(
            try FileManager.default.attributesOfItem(atPath: tokens.path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try tokens.list().map(\.name) == ["ci-runner.1"])

        for name in ["", "has space", "ünicode", String(repeating: "x", count: 65)] {
            #expect(throws: RESTTokens.Failure.self, "\(name)") { try tokens.create(name: name) }
        }
        do {
            _ = try tokens.create(name: "ci-runner.1")
            Issue.record("a second token of the same name was made")
        } catch {
            #expect(error.description.contains("name: \"ci-runner.1\""), "\(error)")
        }
        do {
            _ = try tokens.revoke("nobody")
            Issue.record("revoking an unknown token succeeded")
        } catch {
            #expect(error.description.contains("token: \"nobody\""), "\(error)")
        }
    }
}
