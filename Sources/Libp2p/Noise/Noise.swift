/// Constants of libp2p's Noise channel (`/noise`).
public enum Noise {
    public static let protocolID = "/noise"
    static let protocolName = "Noise_XX_25519_ChaChaPoly_SHA256"
    /// Prefix of what the identity key signs: this ‖ the 32-byte X25519 static public key.
    static let signaturePrefix = Array("noise-libp2p-static-key:".utf8)
    static let tagLength = 16
    static let keyLength = 32
    /// Every Noise message travels as `u16 big-endian length ‖ message`.
    public static let maxMessageLength = 65535
    /// The most plaintext one transport message carries.
    public static let maxPlaintextLength = maxMessageLength - tagLength
}
