/// A syntactic check of libp2p peer IDs as users paste them: base58btc multihashes (`12D3KooW…` for
/// Ed25519 keys, 52 characters; `16Uiu2HA…` for secp256k1 keys, 53; `Qm…` for SHA-256 hashes of larger
/// keys, 46) or a CIDv1 in base32 (`b…`, lowercase). It catches a truncated or mistyped ID before a deployment waits for a peer that
/// cannot exist; the network layer decodes the ID for real.
enum PeerIDSyntax {
    static let rule =
        "must be a libp2p peer ID (12D3KooW…, 16Uiu2HA… or Qm… in base58, or a base32 CIDv1 starting with b)"

    static func isValid(_ text: String) -> Bool {
        let base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        for (prefix, length) in [("12D3KooW", 52), ("16Uiu2HA", 53), ("Qm", 46)] where text.hasPrefix(prefix) {
            return text.count == length && text.allSatisfy { base58.contains($0) }
        }
        let base32 = "abcdefghijklmnopqrstuvwxyz234567"
        return text.hasPrefix("b") && text.count >= 50 && text.dropFirst().allSatisfy { base32.contains($0) }
    }
}
