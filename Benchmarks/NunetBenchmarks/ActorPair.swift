import DMSActor
import DMSCapabilities
import DMSCrypto
import DMSNetwork

/// A caller granted `/bench` on a callee that echoes it, on one in-memory network, reporting to
/// `metrics` (or not), with the token caches warmed by 200 round trips: what the actor and observability
/// benchmarks measure.
struct ActorPair {
    let caller: BasicActor
    let callee: BasicActor

    init(metrics: ActorMetrics? = nil) async throws {
        let hub = InMemoryNetworkHub()
        let (callerKey, calleeKey) = (PrivateKey(), PrivateKey())
        let callerContext = CapabilityContext(
            name: "caller", did: DID(publicKey: callerKey.publicKey), signer: callerKey)
        let calleeContext = CapabilityContext(
            name: "callee", did: DID(publicKey: calleeKey.publicKey), signer: calleeKey)
        let grant = try calleeContext.grant(
            .delegate, subject: callerContext.did, expiry: UnixTime.nowNanoseconds() + 3_600_000_000_000,
            capabilities: ["/bench"])
        try callerContext.addAnchors(CapabilityAnchors(provide: [grant]))
        var configuration = ActorConfiguration()
        configuration.concurrency = 64
        configuration.metrics = metrics
        caller = BasicActor(
            key: callerKey, capabilities: callerContext, network: hub.host("caller"), inbox: "root",
            configuration: configuration)
        callee = BasicActor(
            key: calleeKey, capabilities: calleeContext, network: hub.host("callee"), inbox: "root",
            configuration: configuration)
        try caller.start()
        try callee.start()
        callee.addBehavior("/bench") { message in message.envelope.message }
        for _ in 0..<200 { try await invoke() }
    }

    func invoke() async throws {
        _ = try await caller.invoke(caller.message(to: callee.handle, behavior: "/bench", payload: [0x31]))
    }
}
