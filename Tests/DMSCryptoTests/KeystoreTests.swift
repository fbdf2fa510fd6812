import DMSCore
import DMSCrypto
import Foundation
import NunetTestSupport
import Testing

@Suite struct KeystoreTests {
    /// Cheap scrypt parameters keep the suite fast; the format is the same.
    static let fast = ScryptParameters(n: 1 << 10, r: 8, p: 1)

    func keystore(_ directory: TemporaryDirectory) -> Keystore {
        Keystore(dataDirectory: directory.path, parameters: Self.fast)
    }

    @Test func savedKeysRoundTripAndFilesArePrivate() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        let key = PrivateKey()
        try store.save(key, as: "user", passphrase: "correct horse")
        #expect(try store.load("user", passphrase: "correct horse").publicKey == key.publicKey)
        #expect(try store.recordedDID(of: "user") == DID(publicKey: key.publicKey))
        let manager = FileManager.default
        #expect(try manager.attributesOfItem(atPath: store.directory)[.posixPermissions] as? Int == 0o700)
        #expect(try manager.attributesOfItem(atPath: store.path(of: "user"))[.posixPermissions] as? Int == 0o600)
        let text = try String(contentsOfFile: store.path(of: "user"), encoding: .utf8)
        let document = try JSONParser.parse(text)
        #expect(document["version"] == .number("3"))
        #expect(document["crypto"]?["cipher"] == .string("aes-256-ctr"))
        #expect(document["crypto"]?["kdf"] == .string("scrypt"))
        #expect(document["crypto"]?["kdfparams"]?["n"] == .number("1024"))
        #expect(!text.contains(Hex.encode(key.seed)))
    }

    @Test func aWrongPassphraseIsReportedAsSuchAndRevealsNothing() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        try store.save(PrivateKey(), as: "user", passphrase: "right")
        let error = #expect(throws: KeystoreError.self) { try store.load("user", passphrase: "wrong") }
        #expect(error == .wrongPassphrase(name: "user"))
        #expect(error?.description == "wrong passphrase for key \"user\"")
    }

    @Test func emptyPassphrasesMissingKeysAndBadNamesAreRefused() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        #expect(throws: KeystoreError.emptyPassphrase) { try store.save(PrivateKey(), as: "a", passphrase: "") }
        #expect(throws: KeystoreError.keyNotFound(name: "ghost", path: store.path(of: "ghost"))) {
            try store.load("ghost", passphrase: "x")
        }
        for bad in ["", "../etc", ".hidden", "a/b", "with space", String(repeating: "k", count: 65)] {
            #expect(throws: KeystoreError.invalidName(bad)) { try store.save(PrivateKey(), as: bad, passphrase: "x") }
        }
        #expect(!FileManager.default.fileExists(atPath: store.directory))
    }

    @Test func existingKeysAreOnlyReplacedWhenAsked() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        let first = PrivateKey()
        try store.save(first, as: "user", passphrase: "p")
        #expect(throws: KeystoreError.alreadyExists(name: "user", path: store.path(of: "user"))) {
            try store.save(PrivateKey(), as: "user", passphrase: "p")
        }
        #expect(try store.load("user", passphrase: "p").publicKey == first.publicKey)
        let second = PrivateKey()
        try store.save(second, as: "user", passphrase: "p", overwrite: true)
        #expect(try store.load("user", passphrase: "p").publicKey == second.publicKey)
    }

    @Test func deleteChecksThePassphraseFirst() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        try store.save(PrivateKey(), as: "user", passphrase: "p")
        #expect(throws: KeystoreError.wrongPassphrase(name: "user")) { try store.delete("user", passphrase: "q") }
        #expect(store.exists("user"))
        try store.delete("user", passphrase: "p")
        #expect(!store.exists("user"))
    }

    @Test func listsNamesWithoutTheExtension() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        for name in ["user", "dms", "org-1"] { try store.save(PrivateKey(), as: name, passphrase: "p") }
        #expect(try store.names() == ["dms", "org-1", "user"])
    }

    @Test func corruptFilesAreReportedWithTheirPathAndLeftAlone() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        try store.save(PrivateKey(), as: "user", passphrase: "p")
        let path = store.path(of: "user")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let cases: [(String, String)] = [
            ("{ not json", "is corrupt: not valid JSON"),
            (original.replacingOccurrences(of: "\"version\": 3", with: "\"version\": 4"), "only version 3"),
            (original.replacingOccurrences(of: "aes-256-ctr", with: "aes-128-cbc"), "cipher must be aes-256-ctr"),
            (original.replacingOccurrences(of: "\"iv\": \"", with: "\"iv\": \"zz"), "is not hex"),
        ]
        for (contents, reason) in cases {
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: KeystoreError.self) { try store.load("user", passphrase: "p") }
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == contents)
        }
    }

    @Test func aTamperedCiphertextFailsTheMAC() throws {
        let directory = TemporaryDirectory()
        let store = keystore(directory)
        try store.save(PrivateKey(), as: "user", passphrase: "p")
        let path = store.path(of: "user")
        var document = try String(contentsOfFile: path, encoding: .utf8)
        let range = try #require(document.range(of: "\"ciphertext\": \""))
        let index = range.upperBound
        document.replaceSubrange(index...index, with: document[index] == "0" ? "1" : "0")
        try document.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: KeystoreError.wrongPassphrase(name: "user")) { try store.load("user", passphrase: "p") }
    }

    @Test func aDirectoryThatCannotBeCreatedIsNamed() throws {
        let directory = TemporaryDirectory()
        let blocker = directory.write("blocker", "x")
        let store = Keystore(directory: blocker + "/key", parameters: Self.fast)
        let error = #expect(throws: KeystoreError.self) { try store.save(PrivateKey(), as: "a", passphrase: "p") }
        #expect(error?.description.contains(blocker + "/key") == true)
    }
}

@Suite struct KeystoreStandardCostTests {
    @Test func theGoDMSParametersWork() async throws {
        let directory = TemporaryDirectory()
        let store = Keystore(dataDirectory: directory.path)
        #expect(store.parameters == ScryptParameters(n: 262_144, r: 8, p: 1))
        let key = PrivateKey()
        // Two standard-cost scrypt derivations take seconds in a debug build.
        let loaded = try await offThePool {
            try store.save(key, as: "dms", passphrase: "p")
            return try store.load("dms", passphrase: "p").publicKey
        }
        #expect(loaded == key.publicKey)
    }
}
