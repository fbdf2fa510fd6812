import DMSCapabilities
import DMSCore
import DMSCrypto
import Foundation
import NunetTestSupport
import Testing

@Suite struct CapabilityContextStoreTests {
    let clock = TestClock()

    @Test func anchorsSurviveSaveAndLoad() throws {
        let directory = TemporaryDirectory()
        let store = CapabilityContextStore(dataDirectory: directory.path)
        let key = PrivateKey()
        let user = Party("user", clock: clock)
        try store.create("dms", did: DID(publicKey: key.publicKey))
        let context = try store.load("dms", signer: key, clock: clock.function)
        let require = try user.context.grant(
            .delegate, subject: user.did, expiry: clock.inOneDay(), capabilities: ["/public"])
        let provide = try user.context.grant(
            .delegate, subject: context.did, expiry: clock.inOneDay(), capabilities: ["/dms"])
        let revocation = try user.context.revoke(
            try user.context.grant(.delegate, subject: context.did, expiry: clock.inOneDay(), capabilities: ["/x"]))
        try context.addAnchors(
            CapabilityAnchors(roots: [user.did], require: [require], provide: [provide], revoke: [revocation]))
        try store.save(context)
        let reloaded = try store.load("dms", clock: clock.function)
        #expect(reloaded.anchors == context.anchors)
        #expect(reloaded.did == context.did)
        #expect(!reloaded.canSign)
        #expect(store.names() == ["dms"])
    }

    @Test func everySaveKeepsABackupAndOnlyTheNewestTenAreKept() throws {
        let directory = TemporaryDirectory()
        let store = CapabilityContextStore(dataDirectory: directory.path)
        let key = PrivateKey()
        try store.create("dms", did: DID(publicKey: key.publicKey))
        let context = try store.load("dms", clock: clock.function)
        for _ in 0..<12 {
            try context.addAnchors(CapabilityAnchors(roots: [DID(publicKey: PrivateKey().publicKey)]))
            try store.save(context)
        }
        let backups = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter {
            $0.hasPrefix("dms.cap.")
        }
        #expect(backups.count == CapabilityContextStore.keptBackups)
        #expect(try store.load("dms").anchors.roots.count == 12)
    }

    @Test func expiredTokensAreDroppedOnLoad() throws {
        let directory = TemporaryDirectory()
        let store = CapabilityContextStore(dataDirectory: directory.path)
        let user = Party("user", clock: clock)
        let key = PrivateKey()
        try store.create("dms", did: DID(publicKey: key.publicKey))
        let context = try store.load("dms", clock: clock.function)
        try context.addAnchors(
            CapabilityAnchors(require: [
                try user.context.grant(.delegate, subject: user.did, expiry: clock.inOneHour(), capabilities: ["/a"]),
                try user.context.grant(
                    .delegate, subject: Party.actorDID(), expiry: clock.inOneDay(), capabilities: ["/b"]),
            ]))
        try store.save(context)
        clock.advance(seconds: 7200)
        #expect(try store.load("dms", clock: clock.function).anchors.require.map(\.capabilities) == [["/b"]])
    }

    @Test func corruptOrTamperedFilesAreReportedAndLeftAlone() throws {
        let directory = TemporaryDirectory()
        let store = CapabilityContextStore(dataDirectory: directory.path)
        let user = Party("user", clock: clock)
        let key = PrivateKey()
        try store.create("dms", did: DID(publicKey: key.publicKey))
        let context = try store.load("dms", clock: clock.function)
        try context.addAnchors(
            CapabilityAnchors(require: [
                try user.context.grant(
                    .delegate, subject: user.did, expiry: clock.inOneDay(), capabilities: ["/public"])
            ]))
        try store.save(context)
        let path = store.path(of: "dms")
        let good = try String(contentsOfFile: path, encoding: .utf8)
        for (contents, reason) in [
            ("{\"did\":", "not valid JSON"),
            (good.replacingOccurrences(of: "\"/public\"", with: "\"/\""), "bad token signature"),
            ("{\"did\":{\"uri\":\"did:key:nope\"}}", "\"did\" must be"),
        ] {
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: ContextStoreError.self) { try store.load("dms", clock: clock.function) }
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == contents)
        }
    }

    @Test func missingDuplicateAndMismatchedContextsAreExplained() throws {
        let directory = TemporaryDirectory()
        let store = CapabilityContextStore(dataDirectory: directory.path)
        let missing = #expect(throws: ContextStoreError.self) { try store.load("user") }
        #expect(missing?.description.contains("create it with: nunet cap new user") == true)
        let key = PrivateKey()
        try store.create("user", did: DID(publicKey: key.publicKey))
        #expect(throws: ContextStoreError.alreadyExists(name: "user", path: store.path(of: "user"))) {
            try store.create("user", did: DID(publicKey: key.publicKey))
        }
        let other = PrivateKey()
        #expect(
            throws: ContextStoreError.keyMismatch(
                name: "user", contextDID: DID(publicKey: key.publicKey).uri, keyDID: DID(publicKey: other.publicKey).uri
            )
        ) {
            try store.load("user", signer: other)
        }
        #expect(throws: ContextStoreError.invalidName("../x")) {
            try store.create("../x", did: DID(publicKey: key.publicKey))
        }
    }
}
