import _CryptoExtras

/// RSA identities of libp2p peers (`Qm…` peer IDs, NuNet's public bootstrap nodes among them): DER PKIX keys,
/// RSASSA-PKCS1-v1_5 signatures over SHA-256. Verification only; the DMS never signs with RSA.
enum RSAPeerKey {
    /// go-libp2p's bounds: smaller keys are too weak to trust, larger ones too costly to verify for a stranger.
    static let minimumBits = 2048
    static let maximumBits = 8192

    /// Refuses what go-libp2p refuses: other algorithms, sizes outside the bounds, PKCS#1 instead of PKIX.
    static func validate(_ der: [UInt8]) throws(CryptoError) {
        let info = try SubjectPublicKeyInfo(der: der, of: .rsa)
        guard info.algorithm == SubjectPublicKeyInfo.rsaEncryption else {
            throw .invalidKey(
                "an RSA public key must have the rsaEncryption algorithm (\(SubjectPublicKeyInfo.rsaEncryption)), got \(info.algorithm)"
            )
        }
        let bits = try info.rsaModulusBits()
        guard bits >= minimumBits else {
            throw .invalidKey("an RSA public key must be at least \(minimumBits) bits, got \(bits)")
        }
        guard bits <= maximumBits else {
            throw .invalidKey("an RSA public key must be at most \(maximumBits) bits, got \(bits)")
        }
        guard let key = try? _RSA.Signing.PublicKey(derRepresentation: der), Array(key.derRepresentation) == der else {
            throw .invalidKey(
                "an RSA public key must be canonical DER, as go-libp2p marshals it; this \(bits)-bit one is not")
        }
    }

    /// Whether `signature` is the key's PKCS#1 v1.5 signature of SHA-256(`data`); `der` was validated.
    static func isValidSignature(_ signature: [UInt8], for data: [UInt8], key der: [UInt8]) -> Bool {
        guard let key = try? _RSA.Signing.PublicKey(derRepresentation: der) else { return false }
        return key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: data, padding: .insecurePKCS1v1_5)
    }
}
