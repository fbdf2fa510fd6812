import DMSCapabilities
import DMSCore
import DMSCrypto
import Testing

/// Byte-for-byte agreement with Go's encoding/json and crypto/ed25519 on the token wire format.
@Suite struct GoCompatibilityTests {
    @Test(arguments: GoVectors.tokens.map(\.name))
    func tokensReencodeToGosExactBytesAndVerify(name: String) throws {
        let vector = try #require(GoVectors.tokens.first { $0.name == name })
        let list = try TokenList(parsing: vector.list)
        #expect(list.json == vector.list)
        let token = try #require(list.tokens.first)
        #expect(String(decoding: token.signingData, as: UTF8.self) == vector.signingData)
        let issuerKey = try PrivateKey(seed: GoVectors.identities[vector.signer].seed)
        #expect(token.issuer.uri == GoVectors.identities[vector.signer].did)
        // Ed25519 is deterministic: signing the same content yields Go's signature bytes.
        #expect(issuerKey.sign(token.signingData) == token.signature)
        #expect(try token.issuer.publicKey().isValidSignature(token.signature, for: token.signingData))
    }

    @Test func listsEncodeLikeGo() throws {
        let two = GoVectors.string(GoVectors.document["two_token_list"])
        #expect(try TokenList(parsing: two).json == two)
        #expect(TokenList().json == GoVectors.string(GoVectors.document["empty_list"]))
    }

    @Test func aTokenBuiltInSwiftMatchesGoByteForByte() throws {
        let vector = try #require(GoVectors.tokens.first { $0.name == "root delegation with depth and topics" })
        let parsed = try #require(try TokenList(parsing: vector.list).tokens.first)
        let key = try PrivateKey(seed: GoVectors.identities[0].seed)
        let built = CapabilityToken(
            action: .delegate, issuer: DID(publicKey: key.publicKey), subject: parsed.subject, topics: ["/nunet"],
            capabilities: ["/public", "/broadcast"], nonce: parsed.nonce, expiry: parsed.expiry, depth: 3)
        let signed = built.signed(with: key.sign(built.signingData))
        #expect(TokenList([signed]).json == vector.list)
    }

    @Test func theThreeLinkGoChainVerifies() throws {
        let vector = try #require(GoVectors.tokens.first { $0.name == "three-link invocation with audience" })
        let token = try #require(try TokenList(parsing: vector.list).tokens.first)
        try TokenVerifier().verify(token, now: 1_800_000_000_000_000_000)
        #expect(try token.anchorDepth(DID(GoVectors.identities[0].did)) == 2)
    }
}
