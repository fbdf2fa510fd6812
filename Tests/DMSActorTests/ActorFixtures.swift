import DMSActor
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSNetwork
import Foundation
import Synchronization

/// A node for actor tests: an identity with its capability context, a host on an in-memory hub, and a
/// started root actor.
struct TestNode {
    let key: PrivateKey
    let context: CapabilityContext
    let network: InMemoryNetwork
    let actor: BasicActor

    init(hub: InMemoryNetworkHub, configuration: ActorConfiguration = ActorConfiguration(), start: Bool = true) throws {
        key = PrivateKey()
        let did = DID(publicKey: key.publicKey)
        context = CapabilityContext(name: "node", did: did, signer: key, verifier: TokenVerifier())
        network = hub.host(PeerID(publicKey: key.publicKey).description)
        actor = BasicActor(
            key: key, capabilities: context, network: network, inbox: "root", configuration: configuration)
        if start { try actor.start() }
    }

    var did: DID { context.did }
    var handle: ActorHandle { actor.handle }

    /// Lets `other` invoke (and broadcast) `capabilities` here: this node grants them, `other` anchors
    /// the grant as a provide anchor, and each side gets a require anchor for broadcast topics.
    func trust(_ other: TestNode, capabilities: [Capability], topics: [Capability] = []) throws {
        let grant = try context.grant(
            .delegate, subject: other.did, topics: topics, expiry: UnixTime.nowNanoseconds() + 3_600_000_000_000,
            capabilities: capabilities)
        try other.context.addAnchors(CapabilityAnchors(provide: [grant]))
        try context.addAnchors(CapabilityAnchors(require: [grant]))
    }
}

/// JSON payload helpers.
func json(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]?) -> String { String(decoding: bytes ?? [], as: UTF8.self) }

/// Counts calls and remembers payloads, safely across tasks.
final class Recorder: Sendable {
    private let values = Mutex<[String]>([])
    func record(_ value: String) { values.withLock { $0.append(value) } }
    var all: [String] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

/// Polls until `condition` holds, for effects that happen on other tasks.
func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

enum GoEnvelopeVectors {
    static let document: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "GoVectors/envelopes.json")
        return try! JSONParser.parse(Array(try! Data(contentsOf: url)))
    }()

    static func string(_ value: JSONValue?) -> String {
        guard case .string(let text)? = value else { fatalError("not a string") }
        return text
    }

    static var seeds: [[UInt8]] {
        guard case .array(let seeds)? = document["seeds"] else { return [] }
        return seeds.map { Hex.decode(string($0))! }
    }

    static var envelopes: [(name: String, signer: Int, envelope: String, signingData: String)] {
        guard case .array(let entries)? = document["envelopes"] else { return [] }
        return entries.map {
            guard case .number(let signer)? = $0["signer"] else { fatalError() }
            return (string($0["name"]), Int(signer)!, string($0["envelope"]), string($0["signing_data"]))
        }
    }
}

/// Holds handlers until the test opens it.
final class Gate: Sendable {
    private let opened = Mutex(false)
    func open() { opened.withLock { $0 = true } }
    func wait() async {
        while !opened.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
    }
}
