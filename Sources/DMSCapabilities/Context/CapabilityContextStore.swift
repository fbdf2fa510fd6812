import DMSCore
import DMSCrypto
import Foundation

/// Capability contexts on disk: `<data dir>/cap/<name>.cap`, JSON
/// `{"did", "roots", "require", "provide", "revoke"}` as the Go DMS writes it. Every save keeps the
/// previous file as `<name>.cap.<unix seconds>` (the newest ten are kept) and replaces the file
/// atomically; expired tokens are dropped on load; a file that fails to parse or verify is reported with
/// its path and left untouched.
public struct CapabilityContextStore: Sendable {
    public static let keptBackups = 10

    public let directory: String

    public init(directory: String) { self.directory = directory }

    public init(dataDirectory: String) {
        self.init(directory: (dataDirectory as NSString).appendingPathComponent("cap"))
    }

    public func path(of name: String) -> String { (directory as NSString).appendingPathComponent("\(name).cap") }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(of: name)) }

    public func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { $0.hasSuffix(".cap") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Writes a new, empty context for `did`. Refuses to replace an existing one unless `force`.
    public func create(_ name: String, did: DID, force: Bool = false) throws(ContextStoreError) {
        try Self.validate(name)
        if exists(name) && !force { throw .alreadyExists(name: name, path: path(of: name)) }
        try write(name: name, did: did, anchors: CapabilityAnchors())
    }

    /// The DID a context file belongs to, read without loading its tokens.
    public func did(of name: String) throws(ContextStoreError) -> DID {
        try Self.validate(name)
        return try Self.did(in: read(name), path: path(of: name))
    }

    /// Loads a context. With `signer` it can issue tokens; the signer must be the context's key.
    public func load(
        _ name: String, signer: PrivateKey? = nil, verifier: TokenVerifier = .shared,
        clock: @escaping @Sendable () -> UInt64 = UnixTime.nowNanoseconds
    ) throws(ContextStoreError) -> CapabilityContext {
        try Self.validate(name)
        let file = path(of: name)
        let document = try read(name)
        let did = try Self.did(in: document, path: file)
        if let signer {
            let keyDID = DID(publicKey: signer.publicKey)
            guard keyDID == did else { throw .keyMismatch(name: name, contextDID: did.uri, keyDID: keyDID.uri) }
        }
        let context = CapabilityContext(name: name, did: did, signer: signer, verifier: verifier, clock: clock)
        let now = clock()
        do {
            let roots = try Self.roots(document["roots"], path: file)
            let live = { (tokens: [CapabilityToken]) in tokens.filter { !$0.expires(before: now) } }
            try context.addAnchors(
                CapabilityAnchors(
                    roots: roots, require: live(try Self.tokens(document["require"])),
                    provide: live(try Self.tokens(document["provide"])),
                    revoke: live(try Self.tokens(document["revoke"]))))
        } catch let error as ContextStoreError {
            throw error
        } catch {
            throw .corrupt(path: file, reason: "\(error)")
        }
        return context
    }

    /// The anchors recorded in a context file (expired tokens left out), verified against the file's DID.
    public func anchors(of name: String, clock: @escaping @Sendable () -> UInt64 = UnixTime.nowNanoseconds)
        throws(ContextStoreError) -> CapabilityAnchors
    {
        try load(name, clock: clock).anchors
    }

    /// Modification time of a context file, to notice changes made by other processes.
    public func modificationTime(of name: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path(of: name)))?[.modificationDate] as? Date
    }

    /// Persists the context's anchors, keeping the previous file as a backup.
    public func save(_ context: CapabilityContext) throws(ContextStoreError) {
        try write(name: context.name, did: context.did, anchors: context.anchors)
    }

    static func validate(_ name: String) throws(ContextStoreError) {
        let allowed = name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        guard allowed, !name.isEmpty, name.count <= 64, !name.hasPrefix(".") else { throw .invalidName(name) }
    }

    private func read(_ name: String) throws(ContextStoreError) -> JSONValue {
        let file = path(of: name)
        guard exists(name) else { throw .notFound(name: name, path: file) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .io(path: file, reason: (error as NSError).localizedDescription)
        }
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw .corrupt(path: file, reason: "not valid JSON: \(error)")
        }
    }

    private static func did(in document: JSONValue, path: String) throws(ContextStoreError) -> DID {
        guard case .string(let uri)? = document["did"]?["uri"], let did = try? DID.key(uri) else {
            throw .corrupt(path: path, reason: "\"did\" must be {\"uri\": \"did:key:...\"}")
        }
        return did
    }

    private static func roots(_ value: JSONValue?, path: String) throws(ContextStoreError) -> [DID] {
        guard let value, value != .null else { return [] }
        guard case .array(let entries) = value else { throw .corrupt(path: path, reason: "\"roots\" must be a list") }
        var roots: [DID] = []
        for entry in entries {
            guard case .string(let uri)? = entry["uri"], let did = try? DID(uri) else {
                throw .corrupt(path: path, reason: "a root must be {\"uri\": \"did:...\"}")
            }
            roots.append(did)
        }
        return roots
    }

    private static func tokens(_ value: JSONValue?) throws(CapabilityError) -> [CapabilityToken] {
        guard let value, value != .null else { return [] }
        return try TokenList(json: value).tokens
    }

    private func write(name: String, did: DID, anchors: CapabilityAnchors) throws(ContextStoreError) {
        try Self.validate(name)
        let file = path(of: name)
        var output = Array(#"{"did":"#.utf8)
        TokenEncoding.appendDID(did, to: &output)
        output.append(contentsOf: #","roots":["#.utf8)
        for (index, root) in anchors.roots.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            TokenEncoding.appendDID(root, to: &output)
        }
        output.append(contentsOf: #"],"require":"#.utf8)
        output.append(contentsOf: TokenList(anchors.require).encoding)
        output.append(contentsOf: #","provide":"#.utf8)
        output.append(contentsOf: TokenList(anchors.provide).encoding)
        output.append(contentsOf: #","revoke":"#.utf8)
        output.append(contentsOf: TokenList(anchors.revoke).encoding)
        output.append(contentsOf: "}\n".utf8)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(path: directory, reason: (error as NSError).localizedDescription)
        }
        if exists(name) { try backUp(file) }
        do {
            try AtomicFile.write(output, to: file)
        } catch {
            throw .io(path: error.path, reason: error.reason)
        }
    }

    /// Hard-links the current file as `<file>.<unix seconds>` and prunes backups beyond the kept count.
    private func backUp(_ file: String) throws(ContextStoreError) {
        let seconds = UnixTime.nowNanoseconds() / 1_000_000_000
        var backup = "\(file).\(seconds)"
        var attempt = 1
        while FileManager.default.fileExists(atPath: backup) {
            backup = "\(file).\(seconds)-\(attempt)"
            attempt += 1
        }
        guard link(file, backup) == 0 else { throw .io(path: backup, reason: String(cString: strerror(errno))) }
        let prefix = (file as NSString).lastPathComponent + "."
        let backups = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(prefix) && $0.dropFirst(prefix.count).first?.isNumber == true }
            .sorted { Self.backupOrder($0, prefix) < Self.backupOrder($1, prefix) }
        for stale in backups.dropLast(Self.keptBackups) {
            unlink((directory as NSString).appendingPathComponent(stale))
        }
    }

    private static func backupOrder(_ name: String, _ prefix: String) -> (UInt64, Int) {
        let parts = name.dropFirst(prefix.count).split(separator: "-")
        return (UInt64(parts.first ?? "") ?? 0, Int(parts.dropFirst().first ?? "") ?? 0)
    }
}
