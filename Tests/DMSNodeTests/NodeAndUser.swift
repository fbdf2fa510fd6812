import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSNetwork
import DMSNode
import Logging
import NunetTestSupport

/// A node and a user actor on one in-memory network, the user calling the node's behaviors as the CLI would.
struct NodeAndUser {
    let directory = TemporaryDirectory()
    let hub = InMemoryNetworkHub()
    let node: Node
    let user: BasicActor

    /// `controlled`: the user's DID is made a root anchor of the node's context, so the node obeys it.
    init(listenAddresses: [String] = [], logLevels: LogLevelControl? = nil, controlled: Bool) async throws {
        let identity = try NodeIdentity.load(dataDirectory: directory.path, contextName: "dms", kdfCost: 10) { _, _ in
            "p"
        }
        node = Node(
            identity: identity, network: hub.host(identity.peerID.description), listenAddresses: listenAddresses,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), logLevels: logLevels)
        try await node.start()
        let userKey = PrivateKey()
        let userContext = CapabilityContext(name: "user", did: DID(publicKey: userKey.publicKey), signer: userKey)
        user = BasicActor(key: userKey, capabilities: userContext, network: hub.host("user-host"), inbox: "user")
        try user.start()
        if controlled { try node.identity.capabilities.addAnchors(CapabilityAnchors(roots: [user.security.did])) }
    }

    /// The user invokes `behavior` on the node; the reply parsed as JSON (null when it is not JSON).
    func call(_ behavior: String, _ payload: [UInt8]? = []) async throws(ActorError) -> JSONValue {
        let reply = try await user.invoke(user.message(to: node.handle, behavior: behavior, payload: payload))
        return (try? JSONParser.parse(reply.message ?? [])) ?? .null
    }
}
