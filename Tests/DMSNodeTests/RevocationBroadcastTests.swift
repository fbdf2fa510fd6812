import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSMessages
import DMSNetwork
import DMSNode
import Foundation
import Logging
import Multiformats
import NunetTestSupport
import Testing

/// Revocations reach the network: a node that never had a revocation in its context file learns it from
/// a `/nunet/revocation` broadcast over real gossipsub (two nodes on loopback libp2p), keeps it, and
/// refuses the revoked token at once. Forged revocations are refused and change nothing.
@Suite struct RevocationBroadcastTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let hour: UInt64 = 3_600_000_000_000

    /// An identity in its own data directory.
    static func identity(_ directory: TemporaryDirectory) throws -> NodeIdentity {
        try NodeIdentity.load(dataDirectory: directory.path, contextName: "dms", kdfCost: 10) { _, _ in "p" }
    }

    /// A node on a libp2p host listening on loopback.
    static func libp2pNode(_ directory: TemporaryDirectory) async throws -> Node {
        let identity = try identity(directory)
        let p2p = try await PeerToPeer.start(
            identity: identity, settings: PeerToPeer.Settings(listen: ["/ip4/127.0.0.1/tcp/0"], bootstrap: []),
            logger: logger)
        let node = Node(identity: identity, network: p2p.network, peerToPeer: p2p, logger: logger)
        try await node.start()
        return node
    }

    /// A started node on an in-memory network, with that network and its data directory (kept alive
    /// by the caller for the test's duration).
    static func inMemoryNode() async throws -> (Node, InMemoryNetworkHub, TemporaryDirectory) {
        let hub = InMemoryNetworkHub()
        let directory = TemporaryDirectory()
        let identity = try identity(directory)
        let node = Node(identity: identity, network: hub.host(identity.peerID.description), logger: logger)
        try await node.start()
        return (node, hub, directory)
    }

    /// An actor for `key` (its own capability context) on `network`.
    static func actor(_ key: PrivateKey, _ name: String, on network: any Network) throws -> BasicActor {
        let context = CapabilityContext(name: name, did: DID(publicKey: key.publicKey), signer: key)
        let actor = BasicActor(key: key, capabilities: context, network: network, inbox: name)
        try actor.start()
        return actor
    }

    static func invoke(_ actor: BasicActor, _ node: Node, _ behavior: String, _ payload: [UInt8] = [])
        async throws(ActorError) -> JSONValue
    {
        let reply = try await actor.invoke(actor.message(to: node.handle, behavior: behavior, payload: payload))
        return (try? JSONParser.parse(reply.message ?? [])) ?? .null
    }

    static func text(_ value: JSONValue?) -> String {
        guard case .string(let text)? = value else { return "" }
        return text
    }

    @Test func aProviderRefusesARevokedUserAfterHearingTheRevocationFromTheNetwork() async throws {
        let directoryA = TemporaryDirectory()
        let directoryB = TemporaryDirectory()
        let nodeA = try await Self.libp2pNode(directoryA)
        let nodeB = try await Self.libp2pNode(directoryB)
        let p2pA = try #require(nodeA.peerToPeer)
        let p2pB = try #require(nodeB.peerToPeer)
        defer {
            Task {
                await nodeA.stop()
                await nodeB.stop()
                for p2p in [p2pA, p2pB] {
                    p2p.network.close()
                    await p2p.host.close()
                }
            }
        }
        // The organisation controls both nodes; it delegated /public to the user.
        let organisation = try Self.actor(PrivateKey(), "org", on: p2pA.network)
        let user = try Self.actor(PrivateKey(), "user", on: p2pA.network)
        try await nodeA.trust.add(CapabilityAnchors(roots: [organisation.security.did]))
        try await nodeB.trust.add(CapabilityAnchors(roots: [organisation.security.did]))
        let grant = try organisation.security.capabilities.grant(
            .delegate, subject: user.security.did, expiry: UnixTime.nowNanoseconds() + Self.hour,
            capabilities: [Capability(unchecked: "/public")])
        try user.security.capabilities.addAnchors(CapabilityAnchors(provide: [grant]))
        _ = try await p2pA.connect(try Multiaddr("\(p2pB.listenAddresses[0])/p2p/\(nodeB.identity.peerID)"))

        #expect(try await Self.invoke(user, nodeB, "/public/hello")["DID"] == .string(nodeB.identity.did.uri))

        // The organisation revokes the grant in its own context and hands the revocation to node A only.
        let revocation = try organisation.security.capabilities.revoke(grant)
        #expect(!nodeB.identity.capabilities.knowsRevocation(revocation))
        let anchored = try await Self.invoke(
            organisation, nodeA, Behaviors.capRevokeAnchor.name, CapabilityPayload.tokens([revocation]))
        #expect(anchored["OK"] == .bool(true), "\(anchored)")

        // B hears it from the network (A broadcasts again in case B's subscription was not known yet).
        for attempt in 1...200 where !nodeB.identity.capabilities.knowsRevocation(revocation) {
            if attempt % 20 == 0 {
                let again = try await Self.invoke(organisation, nodeA, Behaviors.capRevokeBroadcast.name)
                #expect(again["TokensCount"] == .integer(1), "\(again)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(nodeB.identity.capabilities.knowsRevocation(revocation))
        // Kept in B's context file, so a restart keeps it (written in the same step that applied it, so
        // moments after the running context knows it); /dms/cap/list reports it to the controller.
        var onDisk = try nodeB.identity.contexts.anchors(of: "dms").revoke
        for _ in 0..<50 where onDisk.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            onDisk = try nodeB.identity.contexts.anchors(of: "dms").revoke
        }
        #expect(onDisk.map(\.revocationKey) == [revocation.revocationKey])
        let listed = try await Self.invoke(organisation, nodeB, Behaviors.capList.name)
        #expect(listed["OK"] == .bool(true))
        #expect(
            try TokenList(json: try #require(listed["Revoke"])).tokens.map(\.revocationKey) == [grant.revocationKey])

        let refused = await #expect(throws: ActorError.self) {
            try await Self.invoke(user, nodeB, "/public/hello")
        }
        #expect(refused?.code == "not_authorized")
        #expect("\(refused.map { "\($0)" } ?? "")".contains("revoked by its issuer"), "\(String(describing: refused))")
    }

    @Test func forgedRevocationsFromTheNetworkAreRefusedAndChangeNothing() async throws {
        let (node, hub, directory) = try await Self.inMemoryNode()
        let identity = node.identity
        defer {
            Task { await node.stop() }
            withExtendedLifetime(directory) {}
        }
        let issuer = try Self.actor(PrivateKey(), "issuer", on: hub.host("issuer-host"))
        let stranger = PrivateKey()
        let expiry = UnixTime.nowNanoseconds() + Self.hour
        let grant = try issuer.security.capabilities.grant(
            .delegate, subject: DID(publicKey: stranger.publicKey), expiry: expiry,
            capabilities: [Capability(unchecked: "/public")])
        let other = try issuer.security.capabilities.grant(
            .delegate, subject: DID(publicKey: stranger.publicKey), expiry: expiry,
            capabilities: [Capability(unchecked: "/public")])
        // Signed by someone other than the issuer it names; a plain delegation; an unsigned revocation.
        let unsigned = CapabilityToken(
            action: .revoke, issuer: issuer.security.did, subject: grant.subject, capabilities: grant.capabilityList,
            nonce: grant.nonce, expiry: grant.expiry)
        let forged = unsigned.signed(with: stranger.sign(unsigned.signingData))
        let genuine = try issuer.security.capabilities.revoke(other)

        let before = try identity.contexts.anchors(of: "dms")
        var learned = try await node.trust.learn([forged, grant, unsigned])
        #expect(learned.applied.isEmpty)
        #expect(learned.refused.allSatisfy { $0.reason.contains("signature") || $0.reason.contains("revoke token") })
        #expect(learned.refused.count == 3)
        #expect(try identity.contexts.anchors(of: "dms") == before)
        #expect(!identity.capabilities.knowsRevocation(forged))

        // Through the broadcast behavior: the forged one in the same message as a genuine one.
        try await issuer.publish(
            Envelope(
                to: .empty, behavior: Behaviors.revocation.name, from: issuer.handle,
                options: EnvelopeOptions(expiry: UnixTime.nowNanoseconds() + 30_000_000_000, topic: Topics.revocation),
                message: CapabilityPayload.tokens([forged, genuine])))
        // The running context takes the revocation a moment before the context file does (NodeTrust.add saves
        // right after), so wait for both.
        func persisted() throws -> [String] { try identity.contexts.anchors(of: "dms").revoke.map(\.revocationKey) }
        for _ in 0..<200 where try !identity.capabilities.knowsRevocation(genuine) || persisted().isEmpty {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(identity.capabilities.knowsRevocation(genuine))
        #expect(!identity.capabilities.knowsRevocation(forged))
        #expect(try persisted() == [genuine.revocationKey])
        learned = try await node.trust.learn([genuine])
        #expect(learned.applied.isEmpty && learned.refused.isEmpty)
    }

    @Test func remoteAnchoringIsAllOrNothingAndNamesTheContext() async throws {
        let (node, hub, directory) = try await Self.inMemoryNode()
        let identity = node.identity
        defer {
            Task { await node.stop() }
            withExtendedLifetime(directory) {}
        }
        let admin = try Self.actor(PrivateKey(), "admin", on: hub.host("admin-host"))
        #expect(
            await #expect(throws: ActorError.self) {
                try await Self.invoke(admin, node, Behaviors.capList.name)
            }?.code == "not_authorized")
        try await node.trust.add(CapabilityAnchors(roots: [admin.security.did]))

        let friend = DID(publicKey: PrivateKey().publicKey)
        let bad = try admin.security.capabilities.grant(
            .delegate, subject: friend, expiry: UnixTime.nowNanoseconds() + Self.hour,
            capabilities: [Capability(unchecked: "/dms")])
        let tampered = bad.signed(with: Array(repeating: 1, count: 64))
        let before = try identity.contexts.anchors(of: "dms")
        let refused = try await Self.invoke(
            admin, node, Behaviors.capAnchor.name,
            CapabilityPayload.anchors(CapabilityAnchors(roots: [friend], require: [tampered])))
        #expect(refused["OK"] == .bool(false))
        #expect(Self.text(refused["Error"]).contains("signature"), "\(refused)")
        #expect(try identity.contexts.anchors(of: "dms") == before)

        let added = try await Self.invoke(
            admin, node, Behaviors.capAnchor.name, CapabilityPayload.anchors(CapabilityAnchors(roots: [friend])))
        #expect(added["OK"] == .bool(true), "\(added)")
        let listed = try await Self.invoke(admin, node, Behaviors.capList.name)
        #expect(
            listed["Roots"]
                == .array([admin.security.did, friend].sorted().map { .object([("uri", .string($0.uri))]) }))
        #expect(try identity.contexts.anchors(of: "dms").roots.contains(friend))
        let elsewhere = try await Self.invoke(
            admin, node, Behaviors.capList.name, try Payload.encode(CapListRequest(context: "user")))
        #expect(elsewhere["OK"] == .bool(false))
        #expect(Self.text(elsewhere["Error"]).contains("\"user\""), "\(elsewhere)")
    }
}
