import DMSCapabilities
import DMSCore
import DMSCrypto
import Foundation
import Synchronization

/// A settable clock shared by the contexts of a test, so expiry can be tested without waiting.
final class TestClock: Sendable {
    private let value = Atomic<UInt64>(1_800_000_000_000_000_000)
    var now: UInt64 { value.load(ordering: .relaxed) }
    func advance(seconds: UInt64) { value.add(seconds * 1_000_000_000, ordering: .relaxed) }
    var function: @Sendable () -> UInt64 { { self.now } }
}

/// An identity with its own context, as a node or user would have.
struct Party {
    let key: PrivateKey
    let context: CapabilityContext
    var did: DID { context.did }

    init(_ name: String, clock: TestClock, verifier: TokenVerifier = TokenVerifier()) {
        key = PrivateKey()
        context = CapabilityContext(
            name: name, did: DID(publicKey: key.publicKey), signer: key, verifier: verifier, clock: clock.function)
    }

    /// A fresh actor key under this identity (actors sign with their own keys; the DID is shared).
    static func actorDID() -> DID { DID(publicKey: PrivateKey().publicKey) }
}

extension TestClock {
    func inOneHour() -> UInt64 { now + 3_600_000_000_000 }
    func inOneDay() -> UInt64 { now + 86_400_000_000_000 }
}

/// Golden vectors produced by Go's encoding/json and crypto/ed25519 (GoVectors/generate.go).
enum GoVectors {
    static let document: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "GoVectors/tokens.json")
        return try! JSONParser.parse(Array(try! Data(contentsOf: url)))
    }()

    static func string(_ value: JSONValue?) -> String {
        guard case .string(let text)? = value else { fatalError("not a string") }
        return text
    }

    static var identities: [(seed: [UInt8], did: String)] {
        guard case .array(let entries)? = document["identities"] else { return [] }
        return entries.map { (Hex.decode(string($0["seed"]))!, string($0["did"])) }
    }

    static var tokens: [(name: String, signer: Int, list: String, signingData: String)] {
        guard case .array(let entries)? = document["tokens"] else { return [] }
        return entries.map {
            guard case .number(let signer)? = $0["signer"] else { fatalError() }
            return (string($0["name"]), Int(signer)!, string($0["token_list"]), string($0["signing_data"]))
        }
    }
}
