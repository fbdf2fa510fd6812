import Crypto
import DMSCore
import Foundation

/// The bearer tokens that open the REST API when it listens beyond loopback. `nunet rest token new`
/// creates one and prints it once; only its SHA-256 is kept, in `<data_dir>/rest_tokens.json` (mode 0600,
/// replaced atomically, changed under a lock), so the file never holds a usable secret. The daemon re-reads the file when it
/// changes, so a new or revoked token takes effect without a restart.
public struct RESTTokens: Sendable {
    /// What is kept of one token: never the token itself.
    public struct Entry: Sendable, Codable, Equatable {
        /// The token's visible prefix (`nunet_<id>_…`), used to name it in `list` and `revoke`.
        public let id: String
        public let name: String
        /// Unix seconds.
        public let createdAt: Double
        let sha256: String

        enum CodingKeys: String, CodingKey {
            case id, name, sha256
            case createdAt = "created_at"
        }
    }

    /// A token file that cannot be used, or a request that breaks a rule; names the file or the field.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    private struct File: Codable {
        var tokens: [Entry]
    }

    public static let fileName = "rest_tokens.json"
    public let path: String

    public init(dataDirectory: String) {
        path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.fileName).path
    }

    /// The tokens in creation order; none when the file does not exist yet.
    public func list() throws(Failure) -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "\(path): cannot be read")
        }
        do {
            return try JSONDecoder().decode(File.self, from: data).tokens
        } catch {
            throw Failure(description: "\(path): not a token file (\(error))")
        }
    }

    /// Creates a token named `name` and returns it: the only time it is ever shown.
    public func create(name: String, now: Date = Date()) throws(Failure) -> (token: String, entry: Entry) {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0))
            })
        else {
            throw Failure(
                description: "name: \"\(name)\" must be 1 to 64 ASCII letters, digits, '-', '_' or '.'")
        }
        return try exclusively { () throws(Failure) in try add(name: name, now: now) }
    }

    private func add(name: String, now: Date) throws(Failure) -> (token: String, entry: Entry) {
        var tokens = try list()
        guard !tokens.contains(where: { $0.name == name }) else {
            throw Failure(description: "name: \"\(name)\" is already the name of a token (names are unique)")
        }
        var generator = SystemRandomNumberGenerator()
        let id = Hex.encode((0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let secret = Hex.encode((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let token = "nunet_\(id)_\(secret)"
        let entry = Entry(id: id, name: name, createdAt: now.timeIntervalSince1970, sha256: Self.digest(token))
        tokens.append(entry)
        try write(tokens)
        return (token, entry)
    }

    /// Removes the token with `idOrName` (its ID or its name).
    public func revoke(_ idOrName: String) throws(Failure) -> Entry {
        try exclusively { () throws(Failure) in try remove(idOrName) }
    }

    private func remove(_ idOrName: String) throws(Failure) -> Entry {
        var tokens = try list()
        guard let index = tokens.firstIndex(where: { $0.id == idOrName || $0.name == idOrName }) else {
            throw Failure(description: "token: \"\(idOrName)\" is neither the ID nor the name of a token")
        }
        let removed = tokens.remove(at: index)
        try write(tokens)
        return removed
    }

    /// Runs a read-modify-write of the file holding an exclusive `flock` on `<file>.lock`, so two `nunet rest
    /// token` commands at once both land instead of one overwriting the other's token. The lock goes with the
    /// process if it dies.
    private func exclusively<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else {
            throw Failure(description: "\(path).lock: cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw Failure(description: "\(path).lock: cannot be locked (\(String(cString: strerror(errno))))")
            }
        }
        return try body()
    }

    private func write(_ tokens: [Entry]) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try AtomicFile.write(Array(try encoder.encode(File(tokens: tokens))), to: path, mode: 0o600)
        } catch {
            throw Failure(description: "\(path): not written (\(error))")
        }
    }

    static func digest(_ token: String) -> String { Hex.encode(Array(SHA256.hash(data: Array(token.utf8)))) }
}
