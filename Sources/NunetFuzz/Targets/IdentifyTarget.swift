import Libp2p
import Libp2pCrypto
import Multiformats

extension FuzzTarget {
    /// Identify messages and what they carry: protobuf fields, public keys, CIDs and peer IDs.
    static let identify = FuzzTarget(
        name: "identify",
        seeds: {
            let key = PrivateKey().publicKey
            var identify = Identify.Message()
            identify.publicKey = key.protobufBytes
            identify.protocols = ["/ipfs/ping/1.0.0"]
            identify.agentVersion = "x"
            let digest = [UInt8](repeating: 3, count: 32)
            return [
                key.protobufBytes, identify.bytes,
                CID(codec: CID.raw, multihash: Multihash(code: .sha256, digest: digest)).bytes,
            ]
        },
        run: { input throws(FuzzFailure) in
            _ = try? ProtobufReader.fields(input)
            _ = try? PublicKey(protobufBytes: input)
            if let message = try? Identify.Message(bytes: input) {
                try require((try? Identify.Message(bytes: message.bytes)) == message, "identify re-decodes differently")
            }
            if let cid = try? CID(bytes: input) { try require(cid.bytes == input, "CID re-encodes differently") }
            _ = try? PeerID(Base58.encode(input))
        })
}
