import Crypto
import DMSCore
import Foundation
import _CryptoExtras

/// Named private keys on disk, one encrypted JSON file each under `<data dir>/key/<name>.json`
/// (directory 0700, files 0600), in the Go DMS's format: scrypt derives 64 bytes from the passphrase,
/// the first half keys AES-256-CTR over the libp2p private-key protobuf, and SHA3-256 of the second half
/// and the ciphertext is the MAC that detects a wrong passphrase. The file also records the key's DID in
/// plain text (public information) so listing keys needs no passphrase.
public struct Keystore: Sendable {
    public let directory: String
    public var parameters: ScryptParameters

    public init(directory: String, parameters: ScryptParameters = .standard) {
        self.directory = directory
        self.parameters = parameters
    }

    /// The key directory inside a data directory.
    public init(dataDirectory: String, parameters: ScryptParameters = .standard) {
        self.init(directory: (dataDirectory as NSString).appendingPathComponent("key"), parameters: parameters)
    }

    public func path(of name: String) -> String { (directory as NSString).appendingPathComponent("\(name).json") }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(of: name)) }

    /// Names of the stored keys, sorted.
    public func names() throws(KeystoreError) -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
                .map { String($0.dropLast(5)) }
                .sorted()
        } catch {
            throw .io(path: directory, reason: (error as NSError).localizedDescription)
        }
    }

    /// Encrypts and stores `key` under `name`; refuses to replace an existing key unless `overwrite`.
    public func save(_ key: PrivateKey, as name: String, passphrase: String, overwrite: Bool = false)
        throws(KeystoreError)
    {
        try Self.validate(name)
        guard !passphrase.isEmpty else { throw .emptyPassphrase }
        let target = path(of: name)
        if !overwrite && exists(name) { throw .alreadyExists(name: name, path: target) }
        let file = try KeyFile.seal(
            key.protobufBytes, name: name, did: DID(publicKey: key.publicKey).uri, passphrase: passphrase,
            parameters: parameters)
        try createDirectory()
        do {
            try AtomicFile.write(Array(file.json.utf8), to: target)
        } catch {
            throw .io(path: error.path, reason: error.reason)
        }
    }

    /// Decrypts the key `name`. A wrong passphrase is reported as such (MAC mismatch), nothing more.
    public func load(_ name: String, passphrase: String) throws(KeystoreError) -> PrivateKey {
        try Self.validate(name)
        guard !passphrase.isEmpty else { throw .emptyPassphrase }
        let target = path(of: name)
        let file = try read(name)
        let plaintext = try file.open(passphrase: passphrase, name: name, path: target)
        let key: PrivateKey
        do {
            key = try PrivateKey(protobufBytes: plaintext)
        } catch {
            throw .corrupt(path: target, reason: "\(error)")
        }
        if let recorded = file.did, recorded != DID(publicKey: key.publicKey).uri {
            throw .corrupt(path: target, reason: "the recorded DID does not match the key")
        }
        return key
    }

    /// The DID recorded in the key file, without decrypting; nil for files written without it.
    public func recordedDID(of name: String) throws(KeystoreError) -> DID? {
        try Self.validate(name)
        return try read(name).did.flatMap { try? DID.key($0) }
    }

    /// Deletes a key after proving the passphrase opens it.
    public func delete(_ name: String, passphrase: String) throws(KeystoreError) {
        _ = try load(name, passphrase: passphrase)
        let target = path(of: name)
        guard unlink(target) == 0 else { throw .io(path: target, reason: String(cString: strerror(errno))) }
    }

    static func validate(_ name: String) throws(KeystoreError) {
        let allowed = name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        guard allowed, !name.isEmpty, name.count <= 64, !name.hasPrefix(".") else { throw .invalidName(name) }
    }

    private func read(_ name: String) throws(KeystoreError) -> KeyFile {
        let target = path(of: name)
        guard exists(name) else { throw .keyNotFound(name: name, path: target) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: target))
        } catch {
            throw .io(path: target, reason: (error as NSError).localizedDescription)
        }
        return try KeyFile(parsing: Array(data), path: target)
    }

    private func createDirectory() throws(KeystoreError) {
        var status = stat()
        if stat(directory, &status) == 0 { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(path: directory, reason: (error as NSError).localizedDescription)
        }
    }
}
