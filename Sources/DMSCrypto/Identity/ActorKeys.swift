import Crypto

/// Keys of the actors a node creates for deployments, derived from the node's key and the actor's name,
/// so an orchestrator or allocation actor has the same handle after a restart and no key is stored.
public enum ActorKeys {
    public static func derive(from nodeKey: PrivateKey, label: String) -> PrivateKey {
        let seed = HMAC<SHA256>.authenticationCode(
            for: Array("nunet-actor:\(label)".utf8), using: SymmetricKey(data: nodeKey.seed))
        // 32 bytes of HMAC output always make a valid Ed25519 seed.
        return try! PrivateKey(seed: Array(seed))
    }
}
