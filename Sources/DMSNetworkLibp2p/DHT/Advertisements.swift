import Foundation
import Libp2p
import Libp2pCrypto

/// Signed key/value advertisements in the DHT, the Go DMS's `Advertise`, `Unadvertise` and `Query`:
/// each peer writes under its own key and announces itself as a provider of the key, so readers find
/// every peer that advertised it.
public struct Advertisements: Sendable {
    let dht: KademliaDHT
    let identity: PrivateKey

    public init(dht: KademliaDHT, identity: PrivateKey) {
        self.dht = dht
        self.identity = identity
    }

    private var peer: String { PeerID(publicKey: identity.publicKey).description }

    /// Publishes `data` under `key`; how many DHT peers stored it.
    @discardableResult
    public func advertise(key: String, data: [UInt8]) async throws(KademliaError) -> Int {
        let advertisement = Advertisement(
            data: data, identity: identity, timestamp: Int64(Date.now.timeIntervalSince1970))
        let stored = try await dht.putValue(key: Advertisement.recordKey(key, peer: peer), value: advertisement.bytes)
        await dht.provide(Rendezvous.key(key))
        return stored
    }

    /// Withdraws this node's advertisement (an empty value, which the validator treats as a delete).
    public func unadvertise(key: String) async throws(KademliaError) {
        try await dht.putValue(key: Advertisement.recordKey(key, peer: peer), value: [])
    }

    /// Every valid advertisement for `key` from the peers that announced it.
    public func query(key: String, limit: Int = 40) async -> [Advertisement] {
        var found: [Advertisement] = []
        for provider in await dht.findProviders(Rendezvous.key(key), limit: limit) {
            let recordKey = Advertisement.recordKey(key, peer: provider.id.description)
            guard let value = try? await dht.getValue(key: recordKey), !value.isEmpty,
                let advertisement = try? Advertisement(bytes: value)
            else { continue }
            found.append(advertisement)
        }
        return found
    }
}
