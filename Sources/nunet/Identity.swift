import DMSCapabilities
import DMSConfig
import DMSCrypto
import DMSNode
import Foundation

/// What the identity commands work on: the keystore and capability contexts in the data directory of
/// the effective configuration, and the passphrase source.
struct Identity {
    let environment: HostEnvironment
    let keystore: Keystore
    let contexts: CapabilityContextStore

    init(configFile: String?) throws {
        environment = .current
        let config = try ConfigLoader(environment: environment).load(explicitFile: configFile)
        keystore = Keystore(
            dataDirectory: config.dataDirectory,
            parameters: ScryptParameters(n: 1 << config.keystoreKDFCost, r: ScryptParameters.standard.r, p: 1))
        contexts = CapabilityContextStore(dataDirectory: config.dataDirectory)
    }

    func passphrase(for name: String, creating: Bool) throws -> String {
        let prompt = creating ? "Passphrase for the new key \"\(name)\": " : "Passphrase for key \"\(name)\": "
        return try Passphrase.obtain(prompt: prompt, confirm: creating, environment: environment.variables)
    }

    /// Generates and stores a new key, returning its DID.
    func createKey(_ name: String, replacing: Bool) throws -> DID {
        if keystore.exists(name) && !replacing {
            throw KeystoreError.alreadyExists(name: name, path: keystore.path(of: name))
        }
        let key = PrivateKey()
        try keystore.save(key, as: name, passphrase: try passphrase(for: name, creating: true), overwrite: replacing)
        return DID(publicKey: key.publicKey)
    }

    /// The DID of a stored key: from the file when recorded, otherwise by decrypting it.
    func did(ofKey name: String) throws -> DID {
        if let recorded = try keystore.recordedDID(of: name) { return recorded }
        return DID(publicKey: try keystore.load(name, passphrase: try passphrase(for: name, creating: false)).publicKey)
    }

    /// A context that can verify and anchor (no passphrase needed).
    func context(_ name: String) throws -> CapabilityContext { try contexts.load(name) }

    /// A context unlocked with its key, able to issue tokens.
    func signingContext(_ name: String) throws -> CapabilityContext {
        _ = try contexts.did(of: name)
        let key = try keystore.load(name, passphrase: try passphrase(for: name, creating: false))
        return try contexts.load(name, signer: key)
    }
}
