import Foundation

/// `Vectors/peer_keys.json`: one key of each libp2p type made, marshalled and signed by real go-libp2p
/// (`Vectors/generate_peer_keys.py`), plus keys go-libp2p refuses.
enum PeerKeyVectors {
    /// The vector objects by name: `rsa`, `ecdsa`, `secp256k1`, `ed25519`, `refused`.
    static let vectors: [String: [String: String]] = load().compactMapValues { $0 as? [String: String] }
    /// What each vector signed.
    static let message: [UInt8] = hex(load()["message"] as! String)

    private static func load() -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/peer_keys.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static func field(_ vector: String, _ name: String) -> String { vectors[vector]![name]! }

    static func bytes(_ vector: String, _ name: String) -> [UInt8] { hex(field(vector, name)) }

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }
}
