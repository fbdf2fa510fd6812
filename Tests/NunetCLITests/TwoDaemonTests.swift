import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// Two daemons on this machine, joined over libp2p (real TCP on loopback): the user's actor commands
/// reach the other node through either daemon.
@Suite struct TwoDaemonTests {
    @Test func actorMessagesCrossBetweenDaemonsOverLibp2p() async throws {
        // Node A, controlled by the user.
        let first = CLITestHome()
        let (daemonA, clientA) = try await first.startControlledDaemon()
        let user = try await clientA.run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let selfA = try JSONParser.parse(try await clientA.run("actor", "cmd", "/dms/node/peers/self").stdout)
        guard case .string(let peerA)? = selfA["id"], case .string(let listenA)? = selfA["listen_addr"] else {
            Issue.record("no peer ID or address for A: \(selfA)")
            return
        }
        #expect(listenA.hasPrefix("/ip4/127.0.0.1/tcp/"), "\(listenA)")

        // Node B, controlled by the same user, bootstrapping from A.
        let (daemonB, portB) = try await CLITestHome.startSecondDaemon(bootstrap: "\(listenA)/p2p/\(peerA)", root: user)
        // The user's key lives in A's home; B's REST API relays what it signs.
        var viaB = clientA
        viaB.extraEnvironment["DMS_REST_PORT"] = String(portB)
        let selfB = try JSONParser.parse(try await viaB.run("actor", "cmd", "/dms/node/peers/self").stdout)
        guard case .string(let peerB)? = selfB["id"] else {
            Issue.record("no peer ID for B: \(selfB)")
            return
        }
        #expect(peerB != peerA)

        // Through B to A, and through A to B (A answers over the connection B opened).
        var hello = try await viaB.run("actor", "cmd", "/public/hello", "--dest", peerA)
        for _ in 0..<50 where hello.status != 0 {  // B dials A as soon as it starts; allow for that
            try await Task.sleep(for: .milliseconds(100))
            hello = try await viaB.run("actor", "cmd", "/public/hello", "--dest", peerA)
        }
        #expect(hello.status == 0, "\(hello.stderr)")
        #expect(try JSONParser.parse(hello.stdout)["PeerID"] == .string(peerA))
        let back = try await clientA.run("actor", "cmd", "/public/hello", "--dest", peerB)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try JSONParser.parse(back.stdout)["PeerID"] == .string(peerB))
        let remoteSelf = try await clientA.run("actor", "cmd", "/dms/node/peers/self", "--dest", peerB)
        #expect(try JSONParser.parse(remoteSelf.stdout)["id"] == .string(peerB), "\(remoteSelf.stderr)")

        // With B gone, A reports it unreachable instead of waiting.
        daemonB.signal(SIGTERM)
        #expect(await daemonB.wait() == 0)
        let gone = try await clientA.run("actor", "cmd", "/public/hello", "--dest", peerB, "--timeout", "3s")
        #expect(gone.status == 1)
        #expect(!gone.stderr.isEmpty)

        daemonA.signal(SIGTERM)
        #expect(await daemonA.wait() == 0)
    }
}

/// A deployment across two daemons over libp2p: the user's node A orchestrates, node B (onboarded,
/// trusting A's node) is the provider the ensemble pins.
@Suite struct TwoDaemonDeploymentTests {
    @Test func aNodeDeploysToAPinnedPeerOverLibp2p() async throws {
        let first = CLITestHome()
        let (daemonA, clientA) = try await first.startControlledDaemon()
        let user = try await clientA.run("key", "did", "user").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (didA, peerA, listenA) = try await clientA.nodeIdentity()

        // B trusts the user (to onboard it) and node A (to deploy on it).
        let (daemonB, _, viaB, peerB) = try await clientA.startProvider(
            bootstrap: "\(listenA)/p2p/\(peerA)", roots: [user, didA])
        _ = try await clientA.untilReachable(peerB)

        first.root.write("work/remote.yaml", CLITestHome.nullTask(node: "remote", "peer: \(peerB)", stdout: "ran on B"))
        let deployed = try await clientA.run("deploy", "-f", "remote.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("placed remote on \(peerB)"), "\(deployed.stdout)")
        #expect(deployed.stdout.contains("Completed"), "\(deployed.stdout)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))
        #expect(try await clientA.run("logs", id, "job").stdout == "ran on B")
        let manifest = try JSONParser.parse(
            try await clientA.run("actor", "cmd", "/dms/node/deployment/manifest", "--id", id).stdout)
        #expect(manifest["Manifest"]?["nodes"]?["remote"]?["peer"] == .string(peerB))
        #expect(try await viaB.run("get", "allocations").stdout.contains(id) == false)

        daemonB.signal(SIGTERM)
        #expect(await daemonB.wait() == 0)
        daemonA.signal(SIGTERM)
        #expect(await daemonA.wait() == 0)
    }
}
