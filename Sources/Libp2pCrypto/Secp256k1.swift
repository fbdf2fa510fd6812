import Foundation

/// ECDSA verification on secp256k1 through the system libsecp256k1, loaded at run time so the package
/// builds and runs without it; identities with such keys then get a clear "not available" error.
enum Secp256k1 {
    private typealias ContextCreate = @convention(c) (UInt32) -> OpaquePointer?
    private typealias PublicKeyParse =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, Int) -> Int32
    private typealias SignatureParseDER =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, Int) -> Int32
    private typealias SignatureNormalize =
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>) -> Int32
    private typealias Verify =
        @convention(c) (OpaquePointer?, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> Int32

    private struct Library: @unchecked Sendable {
        let context: OpaquePointer
        let parsePublicKey: PublicKeyParse
        let parseSignature: SignatureParseDER
        let normalize: SignatureNormalize
        let verify: Verify
    }

    private static let library: Library? = {
        let names = ["libsecp256k1.so.2", "libsecp256k1.so.1", "libsecp256k1.so.0", "libsecp256k1.so"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else { return nil }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let create = symbol("secp256k1_context_create", as: ContextCreate.self),
            let parsePublicKey = symbol("secp256k1_ec_pubkey_parse", as: PublicKeyParse.self),
            let parseSignature = symbol("secp256k1_ecdsa_signature_parse_der", as: SignatureParseDER.self),
            let normalize = symbol("secp256k1_ecdsa_signature_normalize", as: SignatureNormalize.self),
            let verify = symbol("secp256k1_ecdsa_verify", as: Verify.self),
            let context = create(0x0101)  // SECP256K1_CONTEXT_VERIFY
        else { return nil }
        return Library(
            context: context, parsePublicKey: parsePublicKey, parseSignature: parseSignature, normalize: normalize,
            verify: verify)
    }()

    static var isAvailable: Bool { library != nil }

    /// Verifies a DER-encoded signature over a 32-byte digest. High-S signatures are accepted (normalised
    /// first), as Go's btcec does.
    static func verify(derSignature: [UInt8], digest: [UInt8], publicKey: [UInt8]) throws(CryptoError) -> Bool {
        guard let library else {
            throw .unavailable(
                "secp256k1 signatures need the system libsecp256k1 (Debian: apt install libsecp256k1-1)")
        }
        guard digest.count == 32 else { return false }
        var key = [UInt8](repeating: 0, count: 64)
        var signature = [UInt8](repeating: 0, count: 64)
        var normalized = [UInt8](repeating: 0, count: 64)
        guard library.parsePublicKey(library.context, &key, publicKey, publicKey.count) == 1,
            library.parseSignature(library.context, &signature, derSignature, derSignature.count) == 1
        else { return false }
        _ = library.normalize(library.context, &normalized, signature)
        return library.verify(library.context, normalized, digest, key) == 1
    }
}
