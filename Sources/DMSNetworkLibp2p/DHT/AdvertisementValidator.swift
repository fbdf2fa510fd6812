import Libp2p

/// The `nunet-dht-1` namespace validator, as the Go DMS registers it: an empty value (a withdrawn
/// advertisement) is accepted; anything else must be an Advertisement signed by the peer whose ID ends
/// the key. Select keeps the first value, as Go's does.
public struct AdvertisementValidator: RecordValidator {
    public init() {}

    public func validate(key: String, value: [UInt8]) throws(KademliaError) {
        guard key.hasPrefix("/\(Advertisement.namespace)/") else {
            throw .invalidRecord(key: key, reason: "not in the /\(Advertisement.namespace)/ namespace")
        }
        guard !value.isEmpty else { return }
        do {
            let advertisement = try Advertisement(bytes: value)
            try advertisement.verify()
            guard key.hasSuffix("-\(advertisement.peerID)") else {
                throw AdvertisementError.invalid("signed by \(advertisement.peerID), who does not own this key")
            }
        } catch {
            throw .invalidRecord(key: key, reason: "\(error)")
        }
    }

    public func select(key: String, values: [[UInt8]]) -> Int { 0 }

    /// The validators a DMS node's DHT runs.
    public static var dms: NamespacedValidator {
        NamespacedValidator([Advertisement.namespace: AdvertisementValidator()])
    }
}
