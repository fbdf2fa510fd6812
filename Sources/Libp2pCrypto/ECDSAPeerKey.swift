import Crypto

/// ECDSA identities of libp2p peers: DER PKIX keys on P-256 (the curve go-libp2p generates), DER signatures
/// over SHA-256. Verification only; the DMS never signs with ECDSA.
enum ECDSAPeerKey {
    /// Curves a peer might name, so that a refusal says which one it was.
    static let curveNames = [
        "1.2.840.10045.3.1.7": "P-256", "1.3.132.0.33": "P-224", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521",
        "1.3.132.0.10": "secp256k1",
    ]

    /// Refuses keys that are not canonical PKIX P-256 keys with an uncompressed point, as go-libp2p marshals them.
    static func validate(_ der: [UInt8]) throws(CryptoError) {
        let info = try SubjectPublicKeyInfo(der: der, of: .ecdsa)
        guard info.algorithm == SubjectPublicKeyInfo.ecPublicKey else {
            throw .invalidKey(
                "an ECDSA public key must have the id-ecPublicKey algorithm (\(SubjectPublicKeyInfo.ecPublicKey)), got \(info.algorithm)"
            )
        }
        guard info.curve == SubjectPublicKeyInfo.p256 else {
            let curve = info.curve.map { "\(curveNames[$0] ?? "curve") (\($0))" } ?? "no named curve"
            throw .invalidKey("an ECDSA public key must be on P-256 (\(SubjectPublicKeyInfo.p256)), got \(curve)")
        }
        guard let key = try? P256.Signing.PublicKey(derRepresentation: der), Array(key.derRepresentation) == der
        else {
            throw .invalidKey(
                "an ECDSA public key must be a canonical DER P-256 key with an uncompressed point on the curve")
        }
    }

    /// Whether `signature` (DER) is the key's ECDSA signature of SHA-256(`data`); `der` was validated.
    static func isValidSignature(_ signature: [UInt8], for data: [UInt8], key der: [UInt8]) -> Bool {
        guard let key = try? P256.Signing.PublicKey(derRepresentation: der),
            let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature)
        else { return false }
        return key.isValidSignature(signature, for: data)
    }
}
