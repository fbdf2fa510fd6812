import DMSCapabilities
import DMSCrypto
import Foundation

/// The node's identity: the key named after its capability context (default `dms`) and that context,
/// created on first start. The same key names the root actor, gives the DID and the peer ID.
public struct NodeIdentity: Sendable {
    public let contextName: String
    public let key: PrivateKey
    public let capabilities: CapabilityContext
    public let contexts: CapabilityContextStore

    public var did: DID { capabilities.did }
    public var peerID: PeerID { PeerID(publicKey: key.publicKey) }

    /// Loads (or creates) the key and context `contextName` in `dataDirectory`; `passphrase` is asked
    /// for the key, with confirmation when it is new.
    public static func load(
        dataDirectory: String, contextName: String, kdfCost: Int,
        passphrase: (_ prompt: String, _ confirm: Bool) throws -> String
    ) throws -> NodeIdentity {
        let keystore = Keystore(
            dataDirectory: dataDirectory,
            parameters: ScryptParameters(n: 1 << kdfCost, r: ScryptParameters.standard.r, p: 1))
        let contexts = CapabilityContextStore(dataDirectory: dataDirectory)
        let key: PrivateKey
        if keystore.exists(contextName) {
            key = try keystore.load(
                contextName, passphrase: try passphrase("Passphrase for key \"\(contextName)\": ", false))
        } else {
            key = PrivateKey()
            try keystore.save(
                key, as: contextName,
                passphrase: try passphrase("Passphrase for the new node key \"\(contextName)\": ", true))
        }
        if !contexts.exists(contextName) {
            try contexts.create(contextName, did: DID(publicKey: key.publicKey))
        }
        let capabilities = try contexts.load(contextName, signer: key)
        return NodeIdentity(contextName: contextName, key: key, capabilities: capabilities, contexts: contexts)
    }

    /// Applies the context file's anchors when it changed since `since`; returns the new modification time.
    public func reloadAnchorsIfChanged(since: Date?) throws -> Date? {
        let modified = contexts.modificationTime(of: contextName)
        guard let modified, modified != since else { return since }
        try capabilities.replaceAnchors(with: try contexts.anchors(of: contextName))
        return modified
    }
}
