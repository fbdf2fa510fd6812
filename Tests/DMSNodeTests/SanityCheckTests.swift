import DMSConfig
import DMSNode
import DMSStore
import Foundation
import NunetTestSupport
import Testing

@Suite struct SanityCheckTests {
    /// A config whose data directory is `dataDirectory` and whose REST port is free.
    func config(_ host: ConfigTestHome, dataDirectory: String, port: Int = LoopbackNetwork.freePort()) throws
        -> EffectiveConfig
    {
        try host.loader.load(flags: [
            (key: "general.data_dir", flag: "--data-dir", text: dataDirectory),
            (key: "rest.port", flag: "--rest-port", text: String(port)),
        ])
    }

    @Test func aHealthyMachinePassesAndGetsALockAndAnOpenStore() throws {
        let host = ConfigTestHome()
        let dataDirectory = host.root.file("data")
        let resources = try SanityCheck.run(config: config(host, dataDirectory: dataDirectory))
        #expect(FileManager.default.fileExists(atPath: dataDirectory + "/" + Store.fileName))
        let permissions = try FileManager.default.attributesOfItem(atPath: dataDirectory)[.posixPermissions] as? Int
        #expect(permissions == 0o700)
        #expect(DataDirectoryLock.recordedPID(inDirectory: dataDirectory) == getpid())
        try resources.store.close()
        resources.lock.release()
    }

    @Test func aDataDirectoryThatIsAFileIsNamed() throws {
        let host = ConfigTestHome()
        let file = host.root.write("afile", "x")
        let error = #expect(throws: StartupError.self) {
            try SanityCheck.run(config: config(host, dataDirectory: file))
        }
        #expect(error == .dataDirectoryUnusable(path: file, reason: "it is a file, not a directory"))
    }

    @Test func aDataDirectoryThatCannotBeCreatedIsNamed() throws {
        let host = ConfigTestHome()
        let path = host.root.write("afile", "x") + "/data"
        let error = #expect(throws: StartupError.self) {
            try SanityCheck.run(config: config(host, dataDirectory: path))
        }
        #expect(error?.description == "data directory \(path) is not usable: cannot create it: Not a directory")
    }

    @Test func anUnwritableDataDirectoryIsNamed() throws {
        let host = ConfigTestHome()
        // Root ignores permission bits; a read-only mount is unwritable for everyone.
        let path = getuid() == 0 ? "/proc/sys" : host.root.file("readonly")
        if getuid() != 0 {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(path, 0o500)
        }
        defer { chmod(path, 0o700) }
        let error = #expect(throws: StartupError.self) {
            try SanityCheck.run(config: config(host, dataDirectory: path))
        }
        #expect(
            error?.description.hasPrefix("data directory \(path) is not usable: not writable:") == true,
            "\(String(describing: error))")
    }

    @Test func aPortInUseIsNamedAndTheLockIsReleased() throws {
        let host = ConfigTestHome()
        let busy = try LoopbackNetwork.Listener()
        let dataDirectory = host.root.file("data")
        let error = #expect(throws: StartupError.self) {
            try SanityCheck.run(config: config(host, dataDirectory: dataDirectory, port: busy.port))
        }
        #expect(error == .portInUse(address: "127.0.0.1", port: busy.port))
        #expect(error?.description.contains("port \(busy.port) on 127.0.0.1 is already in use") == true)
        let lock = try DataDirectoryLock.acquire(inDirectory: dataDirectory)
        lock.release()
    }

    @Test func anAddressNotOnThisMachineIsNamed() throws {
        let host = ConfigTestHome()
        let config = try host.loader.load(flags: [
            (key: "general.data_dir", flag: "--data-dir", text: host.root.file("data")),
            (key: "rest.addr", flag: "--rest-addr", text: "203.0.113.7"),
        ])
        let error = #expect(throws: StartupError.self) { try SanityCheck.run(config: config) }
        #expect(error == .portUnavailable(address: "203.0.113.7", port: 9999, reason: "address is not on this machine"))
    }

    @Test func anUnopenableStoreIsNamed() throws {
        let host = ConfigTestHome()
        let dataDirectory = host.root.file("data")
        let storePath = host.root.write("data/\(Store.fileName)", String(repeating: "garbage!", count: 512))
        let error = #expect(throws: StartupError.self) {
            try SanityCheck.run(config: config(host, dataDirectory: dataDirectory))
        }
        #expect(error?.description.contains(storePath) == true, "\(String(describing: error))")
        #expect(fileContents(storePath) == String(repeating: "garbage!", count: 512))
    }

    @Test func anUnwritableLogFileIsNamed() throws {
        let host = ConfigTestHome()
        let blocker = host.root.write("logs-blocker", "x")
        host.writeConfig(#"{"general": {"log_file": "\#(blocker)/nunet.jsonl"}}"#)
        let error = #expect(throws: StartupError.self) {
            try SanityCheck.run(config: config(host, dataDirectory: host.root.file("data")))
        }
        #expect(
            error?.description.hasPrefix("log file \(blocker)/nunet.jsonl is not writable") == true,
            "\(String(describing: error))")
    }
}

private func fileContents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
