import Crypto
import DMSCore
import Foundation
import _CryptoExtras

/// The encrypted key-file format (version 3, scrypt + AES-256-CTR + SHA3-256 MAC).
struct KeyFile {
    var name: String
    var did: String?
    var ciphertext: [UInt8]
    var iv: [UInt8]
    var salt: [UInt8]
    var parameters: ScryptParameters
    var derivedKeyLength: Int
    var mac: [UInt8]

    static func seal(
        _ plaintext: [UInt8], name: String, did: String, passphrase: String, parameters: ScryptParameters
    ) throws(KeystoreError) -> KeyFile {
        let salt = randomBytes(32)
        let iv = randomBytes(16)
        let derived = try deriveKey(passphrase, salt: salt, parameters: parameters, length: 64, path: name)
        let ciphertext = try crypt(plaintext, key: Array(derived[0..<32]), iv: iv, path: name)
        return KeyFile(
            name: name, did: did, ciphertext: ciphertext, iv: iv, salt: salt, parameters: parameters,
            derivedKeyLength: 64, mac: mac(derived, ciphertext))
    }

    func open(passphrase: String, name: String, path: String) throws(KeystoreError) -> [UInt8] {
        let derived = try Self.deriveKey(
            passphrase, salt: salt, parameters: parameters, length: derivedKeyLength, path: path)
        guard Self.mac(derived, ciphertext) == mac else { throw .wrongPassphrase(name: name) }
        return try Self.crypt(ciphertext, key: Array(derived[0..<32]), iv: iv, path: path)
    }

    var json: String {
        let hex = { (bytes: [UInt8]) in JSONValue.string(Hex.encode(bytes)) }
        var members: [(key: String, value: JSONValue)] = [
            ("id", .string(name)),
            (
                "crypto",
                .object([
                    ("cipher", .string("aes-256-ctr")),
                    ("ciphertext", hex(ciphertext)),
                    ("cipherparams", .object([("iv", hex(iv))])),
                    ("kdf", .string("scrypt")),
                    (
                        "kdfparams",
                        .object([
                            ("n", .integer(parameters.n)), ("r", .integer(parameters.r)), ("p", .integer(parameters.p)),
                            ("dklen", .integer(derivedKeyLength)), ("salt", hex(salt)),
                        ])
                    ),
                    ("mac", hex(mac)),
                ])
            ),
            ("version", .integer(3)),
        ]
        if let did { members.insert(("did", .string(did)), at: 1) }
        return JSONWriter(pretty: true, escapeHTML: false).string(.object(members)) + "\n"
    }

    init(
        name: String, did: String?, ciphertext: [UInt8], iv: [UInt8], salt: [UInt8], parameters: ScryptParameters,
        derivedKeyLength: Int, mac: [UInt8]
    ) {
        self.name = name
        self.did = did
        self.ciphertext = ciphertext
        self.iv = iv
        self.salt = salt
        self.parameters = parameters
        self.derivedKeyLength = derivedKeyLength
        self.mac = mac
    }

    /// Parses a key file, checking version, cipher and KDF before any decryption is attempted.
    init(parsing bytes: [UInt8], path: String) throws(KeystoreError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .corrupt(path: path, reason: "not valid JSON (\(error))")
        }
        func field(_ value: JSONValue?, _ name: String) throws(KeystoreError) -> JSONValue {
            guard let value else { throw .corrupt(path: path, reason: "missing \(name)") }
            return value
        }
        func text(_ value: JSONValue?, _ name: String) throws(KeystoreError) -> String {
            guard case .string(let string) = try field(value, name) else {
                throw .corrupt(path: path, reason: "\(name) is not a string")
            }
            return string
        }
        func hex(_ value: JSONValue?, _ name: String) throws(KeystoreError) -> [UInt8] {
            guard let bytes = Hex.decode(try text(value, name)) else {
                throw .corrupt(path: path, reason: "\(name) is not hex")
            }
            return bytes
        }
        func integer(_ value: JSONValue?, _ name: String) throws(KeystoreError) -> Int {
            guard case .number(let literal) = try field(value, name), let number = Int(literal), number > 0 else {
                throw .corrupt(path: path, reason: "\(name) is not a positive integer")
            }
            return number
        }
        guard case .number(let version)? = document["version"], version == "3" else {
            throw .unsupported(path: path, reason: "only version 3 key files are supported")
        }
        let crypto = try field(document["crypto"], "crypto")
        guard try text(crypto["cipher"], "crypto.cipher") == "aes-256-ctr" else {
            throw .unsupported(path: path, reason: "cipher must be aes-256-ctr")
        }
        guard try text(crypto["kdf"], "crypto.kdf") == "scrypt" else {
            throw .unsupported(path: path, reason: "kdf must be scrypt")
        }
        let kdf = try field(crypto["kdfparams"], "crypto.kdfparams")
        name = try text(document["id"], "id")
        did = try? text(document["did"], "did")
        ciphertext = try hex(crypto["ciphertext"], "crypto.ciphertext")
        iv = try hex(crypto["cipherparams"]?["iv"], "crypto.cipherparams.iv")
        salt = try hex(kdf["salt"], "crypto.kdfparams.salt")
        mac = try hex(crypto["mac"], "crypto.mac")
        parameters = ScryptParameters(
            n: try integer(kdf["n"], "kdfparams.n"), r: try integer(kdf["r"], "kdfparams.r"),
            p: try integer(kdf["p"], "kdfparams.p"))
        derivedKeyLength = try integer(kdf["dklen"], "kdfparams.dklen")
        guard iv.count == 16 else { throw .corrupt(path: path, reason: "the IV must be 16 bytes") }
        guard derivedKeyLength >= 64 else { throw .corrupt(path: path, reason: "dklen must be at least 64") }
        guard parameters.n & (parameters.n - 1) == 0, parameters.n <= 1 << 22, parameters.r <= 32, parameters.p <= 16
        else { throw .unsupported(path: path, reason: "scrypt parameters are out of the supported range") }
    }

    private static func deriveKey(
        _ passphrase: String, salt: [UInt8], parameters: ScryptParameters, length: Int, path: String
    ) throws(KeystoreError) -> [UInt8] {
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(passphrase.utf8), salt: salt, outputByteCount: length, rounds: parameters.n,
                blockSize: parameters.r, parallelism: parameters.p, maxMemory: parameters.memoryBytes)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .unsupported(path: path, reason: "scrypt failed: \(error)")
        }
    }

    private static func crypt(_ input: [UInt8], key: [UInt8], iv: [UInt8], path: String) throws(KeystoreError)
        -> [UInt8]
    {
        do {
            return Array(
                try AES._CTR.encrypt(input, using: SymmetricKey(data: key), nonce: AES._CTR.Nonce(nonceBytes: iv)))
        } catch {
            throw .corrupt(path: path, reason: "AES-CTR failed: \(error)")
        }
    }

    private static func mac(_ derived: [UInt8], _ ciphertext: [UInt8]) -> [UInt8] {
        Array(SHA3_256.hash(data: Array(derived[32..<64]) + ciphertext))
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
