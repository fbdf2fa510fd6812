import DMSCore
import Foundation
import NunetTestSupport
import Synchronization
import Testing

/// A daemon under hostile load: fifty concurrent clients over REST and over libp2p, a fifth of them
/// unauthorised or malformed, while others hold half-open connections on both ports. Every authorised
/// call is answered, nothing else is accepted, the dashboard and `/metrics` keep answering, and the daemon
/// gives back what the load cost it.
@Suite struct HostileLoadTests {
    typealias Outcome = (status: Int32, stdout: String, stderr: String)

    /// The kinds of client, and how many of the fifty are of each kind.
    enum Client: CaseIterable {
        case authorisedREST, authorisedLibp2p, strangerREST, strangerLibp2p, malformedREST, malformedLibp2p

        var count: Int {
            switch self {
            case .authorisedREST, .authorisedLibp2p: return 20
            case .strangerREST, .strangerLibp2p: return 3
            case .malformedREST, .malformedLibp2p: return 2
            }
        }
    }

    @Test func fiftyClientsAFifthHostileWithHalfOpenConnections() async throws {
        // Node A, the target: the default connection limit (256; the half-open connections below leave room
        // for the fifty clients, since the limit is the server's, not each client's) and a short header timeout.
        var first = CLITestHome()
        first.extraEnvironment["DMS_REST_HEADER_TIMEOUT_SECONDS"] = "2"
        let (daemonA, clientA) = try await first.startControlledDaemon()
        let restA = Int(clientA.extraEnvironment["DMS_REST_PORT"] ?? "") ?? 0
        let user = try await clientA.run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let selfA = try JSONParser.parse(try await clientA.run("actor", "cmd", "/dms/node/peers/self").stdout)
        guard case .string(let peerA)? = selfA["id"], case .string(let listenA)? = selfA["listen_addr"] else {
            Issue.record("no peer ID or address for A: \(selfA)")
            return
        }
        let libp2pA = try #require(listenA.split(separator: "/").last.flatMap { Int($0) })

        // Node B relays the user's (and a stranger's) envelopes to A over libp2p.
        let (daemonB, portB) = try await CLITestHome.startSecondDaemon(bootstrap: "\(listenA)/p2p/\(peerA)", root: user)
        var viaB = clientA
        viaB.extraEnvironment["DMS_REST_PORT"] = String(portB)
        var stranger = CLITestHome()
        #expect(try await stranger.run("cap", "new", "user").status == 0)
        stranger.extraEnvironment["DMS_REST_PORT"] = String(restA)
        var strangerViaB = stranger
        strangerViaB.extraEnvironment["DMS_REST_PORT"] = String(portB)

        let (viaNodeB, strangerA, strangerB) = (viaB, stranger, strangerViaB)
        /// One call of `client`'s kind; true when the daemon did what it should with it.
        @Sendable func call(_ client: Client) async throws -> Bool {
            switch client {
            case .authorisedREST, .authorisedLibp2p:
                let home = client == .authorisedREST ? clientA : viaNodeB
                let destination = client == .authorisedREST ? [] : ["--dest", peerA]
                let outcome = try await home.run(["actor", "cmd", "/dms/node/peers/self"] + destination)
                return outcome.status == 0 && (try? JSONParser.parse(outcome.stdout)["id"]) == .string(peerA)
            case .strangerREST, .strangerLibp2p:
                let home = client == .strangerREST ? strangerA : strangerB
                let destination = client == .strangerREST ? [] : ["--dest", peerA, "--timeout", "10s"]
                let outcome = try await home.run(["actor", "cmd", "/dms/node/peers/self"] + destination)
                return outcome.status != 0 && outcome.stderr.contains("not authorised")
            case .malformedREST:
                let body = #"{"not": "an envelope"#
                let request =
                    "POST /api/v1/actor/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                let response = try await offThePool {
                    let connection = LoopbackConnection(port: restA, timeout: 30)
                    connection?.send(request)
                    return connection?.readResponse()
                }
                return response?.status == 400
            case .malformedLibp2p:
                // Not multistream-select: the host closes the connection without upgrading it.
                let outcome = try await offThePool {
                    LoopbackNetwork.exchange(port: libp2pA, sending: Array("GET / HTTP/1.1\r\n\r\n".utf8), timeout: 30)
                }
                return outcome?.closedByServer == true
            }
        }

        // Warm up every path once (B's first dial to A included), then take the idle figure.
        var warm = try await call(.authorisedLibp2p)
        for _ in 0..<50 where !warm {
            try await Task.sleep(for: .milliseconds(100))
            warm = try await call(.authorisedLibp2p)
        }
        #expect(warm)
        for client in Client.allCases { #expect(try await call(client), "warm-up \(client)") }
        try await Task.sleep(for: .seconds(3))
        let idle = try #require(ProcessMemory(pid: daemonA.pid))

        // Half-open connections: REST ones with unfinished headers, and libp2p connections that never start
        // their handshake (RESTLimitsTests covers connections over the limit).
        let halfOpen: [LoopbackConnection] = (0..<150).compactMap { _ in
            let connection = LoopbackConnection(port: restA, timeout: 30)
            connection?.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            return connection
        }
        let silent = (0..<50).compactMap { _ in LoopbackConnection(port: libp2pA, timeout: 30) }

        // An operator's Prometheus keeps scraping /metrics all through the load: every scrape must be answered,
        // with the node's families.
        let loading = Mutex(true)
        let scraper = Task { () -> [String] in
            var failed: [String] = []
            var scrapes = 0
            while loading.withLock({ $0 }) || scrapes == 0 {
                let response = (try? await offThePool { LoopbackNetwork.get(port: restA, path: "/metrics") }) ?? nil
                scrapes += 1
                if response?.status != 200 || response?.body.contains("nunet_actor_messages_total") != true {
                    failed.append("scrape \(scrapes): \(String(describing: response?.status))")
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return failed
        }
        let kinds = Client.allCases.flatMap { Array(repeating: $0, count: $0.count) }
        #expect(kinds.count == 50)
        // An operator watching the dashboard meanwhile: its page and a read route answer under the load.
        async let dashboard = withThrowingTaskGroup(of: (String, Int?).self) { group in
            for path in ["/", "/api/v1/node", "/api/v1/deployments", "/", "/api/v1/figures"] {
                group.addTask {
                    let response = try await offThePool {
                        let connection = LoopbackConnection(port: restA, timeout: 30)
                        connection?.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        return connection?.readResponse()
                    }
                    return (path, response?.status)
                }
            }
            return try await group.reduce(into: [String]()) { failed, answer in
                if answer.1 != 200 { failed.append("\(answer.0): \(answer.1.map(String.init) ?? "no answer")") }
            }
        }
        let failures = try await withThrowingTaskGroup(of: (Client, Bool).self) { group in
            for kind in kinds { group.addTask { (kind, try await call(kind)) } }
            var failed: [Client] = []
            for try await (kind, handled) in group where !handled { failed.append(kind) }
            return failed
        }
        loading.withLock { $0 = false }
        #expect(failures.isEmpty, "clients not handled as they should be: \(failures)")
        let unansweredPages = try await dashboard
        #expect(unansweredPages.isEmpty, "dashboard requests not answered under load: \(unansweredPages)")
        let unansweredScrapes = await scraper.value
        #expect(unansweredScrapes.isEmpty, "/metrics not answered during the load: \(unansweredScrapes)")
        let loaded = try #require(ProcessMemory(pid: daemonA.pid))

        // The daemon cuts every half-open connection itself (REST: header timeout; libp2p: upgrade timeout).
        let cut = try await offThePool { (halfOpen + silent).filter { $0.readUntilClosed().closedByServer }.count }
        #expect(cut == halfOpen.count + silent.count)
        try await Task.sleep(for: .seconds(3))
        let after = try #require(ProcessMemory(pid: daemonA.pid))
        print("HostileLoadTests memory of node A: idle \(idle); under load \(loaded); after \(after)")
        #expect(
            after.privateKiB <= max(idle.privateKiB * 5 / 4, idle.privateKiB + 10 * 1024),
            "private memory after the load: \(after) against idle \(idle)")
        #expect(try await call(.authorisedREST))

        daemonB.signal(SIGTERM)
        #expect(await daemonB.wait() == 0)
        daemonA.signal(SIGTERM)
        #expect(await daemonA.wait() == 0)
    }
}
