import Libp2p
import Libp2pCrypto
import Multiformats
import Testing

@testable import DMSNetworkLibp2p

@Suite struct AdvertisementTests {
    let identity = PrivateKey()
    var peer: String { PeerID(publicKey: identity.publicKey).description }

    @Test func signsWhatTheGoDMSSignsAndRoundTrips() throws {
        let advertisement = Advertisement(data: Array("offer".utf8), identity: identity, timestamp: 0x1_2345_6789)
        // Only the timestamp's lowest byte is signed (the Go DMS's quirk).
        let expected = Array(peer.utf8) + [0x89] + Array("offer".utf8) + identity.publicKey.raw
        #expect(advertisement.signedBytes == expected)
        #expect(identity.publicKey.isValidSignatureOrFalse(advertisement.signature, for: expected))
        let decoded = try Advertisement(bytes: advertisement.bytes)
        #expect(decoded == advertisement)
        try decoded.verify()
    }

    @Test func theValidatorAcceptsOwnRecordsAndWithdrawals() throws {
        let validator = AdvertisementValidator()
        let key = Advertisement.recordKey("deployments", peer: peer)
        #expect(key == "/nunet-dht-1/-deployments-\(peer)")
        try validator.validate(key: key, value: Advertisement(data: [1], identity: identity, timestamp: 5).bytes)
        try validator.validate(key: key, value: [])
    }

    @Test func forgedOrMisplacedRecordsAreRefused() throws {
        let validator = AdvertisementValidator()
        let key = Advertisement.recordKey("deployments", peer: peer)
        var tampered = Advertisement(data: [1], identity: identity, timestamp: 5)
        tampered.data = [2]
        #expect(
            throws: KademliaError.invalidRecord(
                key: key, reason: "invalid advertisement: the signature does not verify")
        ) {
            try validator.validate(key: key, value: tampered.bytes)
        }
        // Valid, but signed by another peer than the one the key names.
        let other = Advertisement(data: [1], identity: PrivateKey(), timestamp: 5)
        #expect(throws: KademliaError.self) { try validator.validate(key: key, value: other.bytes) }
        // Someone else's key in the record.
        var borrowed = Advertisement(data: [1], identity: identity, timestamp: 5)
        borrowed.publicKey = PrivateKey().publicKey.raw
        #expect(throws: KademliaError.self) { try validator.validate(key: key, value: borrowed.bytes) }
        #expect(throws: KademliaError.self) { try validator.validate(key: key, value: [0xff, 0x01]) }
        #expect(throws: KademliaError.self) { try validator.validate(key: "/other/x", value: []) }
    }

    @Test func theRendezvousKeyIsTheRawCIDOfTheNamespaceHash() {
        let key = Rendezvous.key("nunet-test")
        #expect(key.prefix(2) == [0x12, 0x20] && key.count == 34)
        #expect(Rendezvous.cid("nunet-test").bytes.prefix(2) == [0x01, 0x55])
    }
}

extension PublicKey {
    fileprivate func isValidSignatureOrFalse(_ signature: [UInt8], for data: [UInt8]) -> Bool {
        (try? isValidSignature(signature, for: data)) ?? false
    }
}
