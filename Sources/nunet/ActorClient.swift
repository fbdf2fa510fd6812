import ArgumentParser
import DMSAPI
import DMSActor
import DMSCapabilities
import DMSConfig
import DMSCore
import DMSCrypto
import DMSNode
import Foundation

/// The CLI as an actor: it signs envelopes with a capability context's key and sends them through the
/// local daemon's REST API, which relays them and returns the replies.
struct ActorClient {
    let client: DaemonClient
    let identity: Identity

    init(configFile: String?) throws {
        let environment = HostEnvironment.current
        let config = try ConfigLoader(environment: environment).load(explicitFile: configFile)
        client = DaemonClient(
            host: config.restAddress, port: config.restPort, token: environment.variables["NUNET_REST_TOKEN"])
        identity = try Identity(configFile: configFile)
    }

    /// The daemon's root actor handle.
    func nodeHandle() async throws -> ActorHandle {
        let response = try await client.get("/api/v1/actor/handle")
        guard response.status == 200, let document = try? JSONParser.parse(response.body) else {
            throw CLIError("the node did not return its handle (HTTP \(response.status))")
        }
        return try ActorHandle(json: document)
    }

    /// `--dest`: a did:key or a peer ID naming another node's root actor.
    static func destination(_ text: String) throws -> ActorHandle {
        if text.hasPrefix("did:") { return try ActorHandle.root(did: try DID.key(text)) }
        return try ActorHandle.root(peerID: try PeerID(text))
    }

    /// A signed envelope from `context`'s key, routed through `node`.
    func envelope(
        context: String, node: ActorHandle, destination: ActorHandle?, behavior: String, payload: [UInt8]?,
        expiry: UInt64, topic: String? = nil, wantsReply: Bool
    ) throws -> Envelope {
        let capabilities = try identity.signingContext(context)
        let key = try identity.keystore.load(
            context, passphrase: try identity.passphrase(for: context, creating: false))
        let security = ActorSecurity(key: key, capabilities: capabilities)
        let inbox = "cli-" + Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255) })
        let from = ActorHandle(
            key: key.publicKey, did: capabilities.did, address: ActorAddress(host: node.address.host, inbox: inbox))
        var envelope = Envelope(
            to: topic == nil ? (destination ?? node) : .empty, behavior: behavior, from: from,
            options: EnvelopeOptions(expiry: expiry, topic: topic ?? ""), message: payload)
        envelope.nonce = security.nextNonce()
        if wantsReply { envelope.options.replyTo = "\(ActorSecurity.replyPrefix)/\(envelope.nonce)" }
        try security.prepare(&envelope)
        return envelope
    }

    /// Invokes `behavior` (or broadcasts it, when `topic` is set) and returns the reply payload (a JSON
    /// array of payloads for a broadcast). Error replies and replies that report failure
    /// (`"success": false` or `"OK": false` with an error) become the command's error.
    func call(
        _ behavior: String, payload: [UInt8]?, context: String, destination: String?, timing: MessageTiming,
        topic: String? = nil
    ) async throws -> JSONValue {
        let node = try await nodeHandle()
        let envelope = try self.envelope(
            context: context, node: node, destination: try destination.map(Self.destination), behavior: behavior,
            payload: payload, expiry: try timing.expiryNanoseconds(broadcast: topic != nil), topic: topic,
            wantsReply: true)
        if topic != nil {
            guard case .array(let replies) = try JSONParser.parse(try await post("broadcast", envelope)) else {
                throw CLIError("unexpected broadcast answer")
            }
            var payloads: [JSONValue] = []
            for reply in replies { payloads.append(try Self.payload(of: try Envelope(json: reply))) }
            return .array(payloads)
        }
        return try Self.payload(of: try Envelope(decoding: try await post("invoke", envelope)))
    }

    static func payload(of reply: Envelope) throws -> JSONValue {
        if let error = ErrorReply.error(in: reply.message) { throw CLIError(error.description) }
        guard let message = reply.message, !message.isEmpty else { return .null }
        guard let document = try? JSONParser.parse(message) else {
            return .string(String(decoding: message, as: UTF8.self))
        }
        let failed = document["success"] == .bool(false) || document["OK"] == .bool(false)
        if failed, case .string(let error)? = document["error"] ?? document["Error"], !error.isEmpty {
            throw CLIError(error)
        }
        return document
    }

    /// Posts an envelope to `/api/v1/actor/<operation>` and returns the raw JSON answer.
    func post(_ operation: String, _ envelope: Envelope) async throws -> [UInt8] {
        let now = UnixTime.nowNanoseconds()
        let lifetime = envelope.options.expiry > now ? envelope.options.expiry - now : 0
        let response = try await client.post(
            "/api/v1/actor/\(operation)", body: envelope.encoding,
            timeout: .nanoseconds(Int64(min(lifetime, UInt64(Int64.max / 2)))) + .seconds(5))
        guard response.status == 200 else {
            throw CLIError(response.errorMessage ?? "the node answered HTTP \(response.status)")
        }
        return response.body
    }
}

/// Message lifetime flags shared by the actor commands.
struct MessageTiming: ParsableArguments {
    @Option(
        name: [.customShort("t"), .customLong("timeout")],
        help: "How long to wait, e.g. 10s or 2m (default 30s; 5s for broadcasts).")
    var timeout: String?

    @Option(
        name: [.customShort("e"), .customLong("expiry")],
        help: "Absolute expiry instead of --timeout (YYYY-MM-DD or RFC 3339).")
    var expiry: String?

    func expiryNanoseconds(broadcast: Bool) throws -> UInt64 {
        if timeout != nil && expiry != nil { throw CLIError("give --timeout or --expiry, not both") }
        if let expiry { return try TimeSpec.instant(expiry) }
        let lifetime =
            try timeout.map { try TimeSpec.duration($0) }
            ?? (broadcast ? 5_000_000_000 : Envelope.defaultLifetimeNanoseconds)
        return UnixTime.nowNanoseconds() + lifetime
    }
}
