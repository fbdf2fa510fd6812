import DMSActor
import DMSCapabilities
import DMSConfig
import DMSCore
import DMSCrypto
import DMSMessages
import DMSNetwork
import DMSNode
import DMSResources
import DMSStore
import Foundation
import Logging
import NunetTestSupport
import Testing

/// The node actor and the client gateway, in process: a node and a user on one in-memory network.
@Suite struct NodeTests {
    let fixture: NodeAndUser
    var directory: TemporaryDirectory { fixture.directory }
    var hub: InMemoryNetworkHub { fixture.hub }
    var node: Node { fixture.node }
    var user: BasicActor { fixture.user }

    init() async throws {
        fixture = try await NodeAndUser(listenAddresses: ["/ip4/127.0.0.1/tcp/9000"], controlled: false)
    }

    func call(_ behavior: String) async throws(ActorError) -> JSONValue { try await fixture.call(behavior) }

    @Test func publicBehaviorsNeedThePublicCapabilityAndNodeBehaviorsTheController() async throws {
        #expect(await #expect(throws: ActorError.self) { try await call("/public/hello") }?.code == "not_authorized")
        // The node's controller: the user's DID as a root anchor of the node's context.
        try node.identity.capabilities.addAnchors(CapabilityAnchors(roots: [user.security.did]))
        let hello = try await call("/public/hello")
        #expect(hello["DID"] == .string(node.identity.did.uri))
        #expect(hello["PeerID"] == .string(node.identity.peerID.description))
        #expect(try await call("/public/status")["Status"] == .string("running"))
        let me = try await call("/dms/node/peers/self")
        #expect(me["id"] == .string(node.identity.peerID.description))
        #expect(me["listen_addr"] == .string("/ip4/127.0.0.1/tcp/9000"))
        let stats = try await call("/dms/node/stats")
        guard case .array(let actors)? = stats["actors"] else {
            Issue.record("no actors")
            return
        }
        #expect(actors.first?["inbox"] == .string("root"))
        #expect(actors.first?["statistics"]?["rejected"]?["not_authorized"] == .integer(1))
    }

    @Test func broadcastHelloIsAnsweredByTheNode() async throws {
        try node.identity.capabilities.addAnchors(CapabilityAnchors(roots: [user.security.did]))
        let replies = try await user.publishCollectingReplies(
            Envelope(
                to: .empty, behavior: "/broadcast/hello", from: user.handle,
                options: EnvelopeOptions(expiry: UnixTime.nowNanoseconds() + 30_000_000_000, topic: Topics.hello)),
            limit: 1)
        #expect(replies.count == 1)
        let reply = try #require(replies.first)
        #expect(try JSONParser.parse(reply.message ?? [])["DID"] == .string(node.identity.did.uri))
    }

    @Test func theNodePicksUpAnchorsWrittenToItsContextFile() async throws {
        let since = node.identity.contexts.modificationTime(of: "dms")
        let fileView = try node.identity.contexts.load("dms")
        try fileView.addAnchors(CapabilityAnchors(roots: [user.security.did]))
        try await Task.sleep(for: .milliseconds(1100))  // file times have one-second resolution on some filesystems
        try node.identity.contexts.save(fileView)
        #expect(try node.identity.reloadAnchorsIfChanged(since: since) != since)
        #expect(node.identity.capabilities.anchors.roots == [user.security.did])
        _ = try await call("/public/hello")
    }

    @Test func theGatewayChecksClientEnvelopesBeforeForwarding() async throws {
        let gateway = ClientGateway(node: node)
        let clientKey = PrivateKey()
        let security = ActorSecurity(
            key: clientKey,
            capabilities: CapabilityContext(name: "c", did: DID(publicKey: clientKey.publicKey), signer: clientKey))
        func envelope(host: String, inbox: String, replyTo: String) throws -> Envelope {
            var envelope = Envelope(
                to: node.handle, behavior: "/public/hello",
                from: ActorHandle(
                    key: clientKey.publicKey, did: security.did, address: ActorAddress(host: host, inbox: inbox)),
                // Long enough for a busy test machine; the error replies come back at once.
                options: EnvelopeOptions(expiry: UnixTime.nowNanoseconds() + 30_000_000_000, replyTo: replyTo))
            try security.prepare(&envelope)
            return envelope
        }
        let wrongHost = try envelope(host: "elsewhere", inbox: "cli-1", replyTo: "/dms/actor/replyto/1")
        #expect(await #expect(throws: ActorError.self) { try await gateway.invoke(wrongHost) }?.code == "bad_sender")
        let noReply = try envelope(host: node.network.hostID, inbox: "cli-1", replyTo: "")
        #expect(await #expect(throws: ActorError.self) { try await gateway.invoke(noReply) }?.code == "invalid_request")
        let rootInbox = try envelope(host: node.network.hostID, inbox: "root", replyTo: "/dms/actor/replyto/1")
        #expect(
            await #expect(throws: ActorError.self) { try await gateway.invoke(rootInbox) }?.code == "invalid_request")
        var tampered = try envelope(host: node.network.hostID, inbox: "cli-1", replyTo: "/dms/actor/replyto/1")
        tampered.behavior = "/dms/node/stats"
        #expect(await #expect(throws: ActorError.self) { try await gateway.invoke(tampered) } == .badSignature)
        // A well-formed but unauthorised invocation comes back as an error reply, not a timeout.
        let good = try envelope(host: node.network.hostID, inbox: "cli-2", replyTo: "/dms/actor/replyto/2")
        let reply = try await gateway.invoke(good)
        #expect(ErrorReply.error(in: reply.message)?.code == "not_authorized")
    }

    /// A node with resources and deployments registers every behavior of the catalogue, and its provider every
    /// deployment-protocol behavior its root actor serves, so no name the CLI or an orchestrator calls is missing.
    @Test func aFullNodeServesTheWholeCatalogue() async throws {
        let store = try Store.open(inDirectory: directory.path)
        let home = ConfigTestHome()
        home.writeConfig(#"{"general": {"data_dir": "\#(directory.file("data"))"}}"#)
        let config = try home.loader.load()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let full = Node(
            identity: node.identity, network: hub.host("full"),
            resources: try NodeResources(
                store: store, hardware: HardwareMonitor(dataDirectory: directory.path), logger: logger),
            deployments: DeploymentSetup.standard(
                store: store, config: config, owner: node.identity.peerID.description, logger: logger),
            logger: logger)
        try await full.start()
        let served = Set(full.actor.behaviorNames)
        #expect(Set(Behaviors.node.map(\.name)).subtracting(served).isEmpty)
        let providerRoot = [
            Behaviors.bidRequest.name, Behaviors.commit.name, Behaviors.allocate.name, Behaviors.revert.name,
        ]
        #expect(Set(providerRoot).subtracting(served).isEmpty)
        await full.stop()
    }
}
