import Foundation
import Libp2pCrypto
import NIOConcurrencyHelpers

/// A real go-libp2p or py-libp2p peer from `Tests/Interop`, driven through its JSON-lines contract.
final class InteropPeer: @unchecked Sendable {
    enum Implementation: String, CaseIterable, Sendable, CustomStringConvertible {
        case go, py
        var description: String { rawValue == "go" ? "go-libp2p" : "py-libp2p" }
    }

    struct Unavailable: Error, CustomStringConvertible { let description: String }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The venv's python, or nil when `Tests/Interop/setup.sh` has not been run here.
    static func python(_ implementation: Implementation) -> String? {
        let directory =
            ProcessInfo.processInfo.environment["NUNET_INTEROP_DIR"]
            ?? repository.appendingPathComponent(".build/interop").path
        let path = "\(directory)/\(implementation.rawValue)-peer/bin/python"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Whether the peer can run here. Skips with a message on a developer machine without the venvs;
    /// in CI (`CI` set), where `.ci/run` installs them, their absence is a failure.
    static func installed(_ implementation: Implementation) throws -> Bool {
        if python(implementation) != nil { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            throw Unavailable(description: "\(implementation) peer missing in CI; Tests/Interop/setup.sh did not run")
        }
        print("skipping interop with \(implementation): run Tests/Interop/setup.sh first")
        return false
    }

    /// A go peer whose identity key has type `keyType`, or nil (said why) when it cannot be checked here.
    static func go(keyType: KeyType) async throws -> InteropPeer? {
        guard try installed(.go) else { return nil }
        if keyType == .secp256k1, !PublicKey.canVerifySecp256k1 {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                throw Unavailable(description: "libsecp256k1 missing in CI; .ci/run installs it")
            }
            print("skipping interop with a secp256k1 go peer: install libsecp256k1-dev to verify its signatures")
            return nil
        }
        let names: [KeyType: String] = [.ed25519: "ed25519", .rsa: "rsa", .ecdsa: "ecdsa", .secp256k1: "secp256k1"]
        guard let name = names[keyType] else {
            throw Unavailable(description: "go-libp2p has no \(keyType) identities")
        }
        return try await InteropPeer(.go, arguments: ["--key-type", name])
    }

    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lines = NIOLockedValueBox<[Data]>([])
    private let partial = NIOLockedValueBox<Data>(Data())
    private var nextID = 0
    private(set) var peerID = ""
    private(set) var address = ""

    /// Starts `Tests/Interop/<script>` (default: the implementation's plain peer, `go_peer.py` or `py_peer.py`);
    /// `arguments` are its command-line options (e.g. `--key-type rsa` for the go peer).
    init(_ implementation: Implementation, script: String? = nil, arguments: [String] = []) async throws {
        guard let python = Self.python(implementation) else {
            throw Unavailable(description: "interop venv missing; run Tests/Interop/setup.sh")
        }
        process.executableURL = URL(fileURLWithPath: python)
        let script = Self.repository.appendingPathComponent(
            "Tests/Interop/\(script ?? "\(implementation.rawValue)_peer.py")")
        process.arguments = [script.path] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        let lines = self.lines
        let partial = self.partial
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            partial.withLockedValue { buffer in
                buffer.append(data)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer.removeSubrange(buffer.startIndex...newline)
                    lines.withLockedValue { $0.append(Data(line)) }
                }
            }
        }
        try process.run()
        let ready = try await next(timeout: 30) { $0["event"] as? String == "ready" }
        peerID = ready["peer_id"] as? String ?? ""
        address = ((ready["addrs"] as? [String])?.first ?? "") + "/p2p/\(peerID)"
    }

    /// The first line matching `predicate`, removed from the queue.
    func next(timeout: Double = 30, _ predicate: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let pending = lines.withLockedValue { $0 }
            for (index, line) in pending.enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], predicate(object)
                else { continue }
                lines.withLockedValue { _ = $0.remove(at: index) }
                return object
            }
            guard process.isRunning else { throw Unavailable(description: "peer exited") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw Unavailable(description: "no answer from the peer within \(timeout) s")
    }

    /// Sends a command and returns its answer (which may carry "error").
    func command(_ command: String, _ arguments: [String: Any] = [:], timeout: Double = 60) async throws -> [String:
        Any]
    {
        nextID += 1
        let id = nextID
        var request = arguments
        request["id"] = id
        request["cmd"] = command
        var data = try JSONSerialization.data(withJSONObject: request)
        data.append(0x0A)
        input.fileHandleForWriting.write(data)
        return try await next(timeout: timeout) { ($0["id"] as? Int) == id }
    }

    func quit() async {
        _ = try? await command("quit", timeout: 5)
        try? input.fileHandleForWriting.close()
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { process.terminate() }
    }
}
