import Crypto
import Foundation
import Libp2pCrypto
import Multiformats
import _CryptoExtras

/// Peers with RSA and ECDSA identities, played with go-libp2p's own keys (`Tests/Libp2pCryptoTests/Vectors`,
/// written by real go-libp2p). swift-crypto signs for them here: the product only verifies those key types.
enum PeerKeyFixtures {
    /// A peer's public key and a function that signs as that peer.
    struct Signer: Sendable {
        let publicKey: PublicKey
        let sign: @Sendable ([UInt8]) throws -> [UInt8]
        var peerID: PeerID { PeerID(publicKey: publicKey) }
    }

    /// The vector objects of `Tests/Libp2pCryptoTests/Vectors/peer_keys.json` by name.
    static let vectors: [String: [String: String]] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Libp2pCryptoTests/Vectors/peer_keys.json")
        let object = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return object.compactMapValues { $0 as? [String: String] }
    }()

    /// The go-libp2p key of `type` (`.rsa` or `.ecdsa`) and its go-libp2p peer ID.
    static func signer(_ type: KeyType) throws -> (signer: Signer, goPeerID: String) {
        let name = type == .rsa ? "rsa" : "ecdsa"
        let vector = vectors[name]!
        let publicKey = try PublicKey(protobufBytes: hex(vector["public_key_protobuf"]))
        // The PrivateKey protobuf is {1: type, 2: data}; data is PKCS#1 DER (RSA) or SEC1 DER (ECDSA).
        let fields = try ProtobufReader.fields(hex(vector["private_key_protobuf"]))
        guard case .bytes(let data)? = fields.first(where: { $0.field == 2 })?.value else {
            throw PeerKeyError(description: "the \(name) PrivateKey protobuf has no data field")
        }
        let signer: Signer
        switch type {
        case .rsa:
            let key = try _RSA.Signing.PrivateKey(derRepresentation: data)
            signer = Signer(publicKey: publicKey) { message in
                Array(try key.signature(for: message, padding: .insecurePKCS1v1_5).rawRepresentation)
            }
        default:
            let key = try P256.Signing.PrivateKey(derRepresentation: data)
            signer = Signer(publicKey: publicKey) { message in
                Array(try key.signature(for: message).derRepresentation)
            }
        }
        return (signer, vector["peer_id"]!)
    }

    struct PeerKeyError: Error, CustomStringConvertible { let description: String }

    static func hex(_ text: String?) -> [UInt8] {
        let digits = Array(text!.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }
}
