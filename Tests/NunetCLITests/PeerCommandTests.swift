import DMSCore
import Foundation
import NunetTestSupport
import Testing

@Suite struct PeerCommandTests {
    /// `nunet peers`: two daemons that were not told of each other are joined by hand, without a restart.
    @Test func peersAreConnectedPingedAndListedByHand() async throws {
        let first = CLITestHome()
        let (daemonA, clientA) = try await first.startControlledDaemon()
        let second = CLITestHome()
        let (daemonB, clientB) = try await second.startControlledDaemon()
        let selfB = try JSONParser.parse(try await clientB.run("actor", "cmd", "/dms/node/peers/self").stdout)
        guard case .string(let peerB)? = selfB["id"], case .string(let listenB)? = selfB["listen_addr"] else {
            Issue.record("no peer ID or address for B: \(selfB)")
            return
        }
        #expect(try await clientA.run("peers", "list").stdout.contains("no peers connected"))

        let connected = try await clientA.run("peers", "connect", "\(listenB)/p2p/\(peerB)")
        #expect(connected.status == 0, "\(connected.stderr)")
        #expect(connected.stdout == "connected to \(peerB)\n")
        let listed = try await clientA.run("peers", "list")
        #expect(listed.stdout.contains(peerB) && listed.stdout.contains("1 peers"), "\(listed.stdout)")
        let ping = try await clientA.run("peers", "ping", peerB)
        #expect(ping.status == 0 && ping.stdout.hasPrefix("\(peerB): ") && ping.stdout.hasSuffix(" ms\n"), "\(ping)")
        let dht = try await clientB.run("peers", "dht", "--json")
        #expect(try JSONParser.parse(dht.stdout)["Mode"] == .string("server"))

        // Refusals name what was wrong.
        let garbage = try await clientA.run("peers", "connect", "/ip4/nonsense")
        #expect(garbage.status == 1 && garbage.stderr.contains("/ip4/nonsense"), "\(garbage.stderr)")
        let unknown = try await clientA.run("peers", "ping", "not-a-peer")
        #expect(unknown.status == 1 && unknown.stderr.contains("cannot ping not-a-peer"), "\(unknown.stderr)")

        daemonB.signal(SIGTERM)
        daemonA.signal(SIGTERM)
        #expect(await daemonB.wait() == 0)
        #expect(await daemonA.wait() == 0)
    }
}
