/// The fields of a DER PKIX SubjectPublicKeyInfo (how libp2p carries RSA and ECDSA keys) that decide whether
/// a key is usable: read here, before swift-crypto parses the key, so that a refusal can say which algorithm,
/// curve or size the key has instead of only that it failed.
struct SubjectPublicKeyInfo: Sendable, Equatable {
    /// The algorithm's object identifier, dotted.
    let algorithm: String
    /// The named curve of an elliptic-curve key, dotted; nil when the parameters name no curve.
    let curve: String?
    /// The content of the subjectPublicKey BIT STRING.
    let key: [UInt8]

    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let ecPublicKey = "1.2.840.10045.2.1"
    static let p256 = "1.2.840.10045.3.1.7"

    /// Reads `der`; `keyType` names the key in errors.
    init(der: [UInt8], of keyType: KeyType) throws(CryptoError) {
        func malformed(_ detail: String) -> CryptoError {
            .invalidKey("\(keyType) public key data must be a DER PKIX SubjectPublicKeyInfo, but \(detail)")
        }
        var outer = DERReader(der[...])
        guard let infoContent = outer.content(of: DERReader.sequence), outer.isAtEnd else {
            throw malformed("it is not a single DER SEQUENCE")
        }
        var info = DERReader(infoContent)
        guard let algorithmContent = info.content(of: DERReader.sequence) else {
            throw malformed("its algorithm identifier is missing")
        }
        var algorithm = DERReader(algorithmContent)
        guard let oid = algorithm.content(of: DERReader.objectIdentifier), let dotted = DERReader.dotted(oid) else {
            throw malformed("its algorithm identifier has no object identifier")
        }
        guard let bits = info.content(of: DERReader.bitString), info.isAtEnd, bits.first == 0 else {
            throw malformed("its key is not a whole-byte BIT STRING closing the structure")
        }
        self.algorithm = dotted
        if let parameters = algorithm.next(), parameters.tag == DERReader.objectIdentifier {
            curve = DERReader.dotted(parameters.content)
        } else {
            curve = nil
        }
        key = Array(bits.dropFirst())
    }

    /// The size of an RSA key's modulus, from the PKCS#1 RSAPublicKey inside the BIT STRING.
    func rsaModulusBits() throws(CryptoError) -> Int {
        var outer = DERReader(key[...])
        guard let content = outer.content(of: DERReader.sequence), outer.isAtEnd else {
            throw .invalidKey("an RSA public key must hold a PKCS#1 RSAPublicKey SEQUENCE")
        }
        var sequence = DERReader(content)
        guard let modulus = sequence.content(of: DERReader.integer), sequence.content(of: DERReader.integer) != nil,
            sequence.isAtEnd
        else { throw .invalidKey("an RSA public key must hold exactly a modulus and an exponent") }
        guard let first = modulus.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (modulus.endIndex - first) * 8 - modulus[first].leadingZeroBitCount
    }
}
