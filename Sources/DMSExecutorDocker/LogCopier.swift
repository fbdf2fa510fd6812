import Foundation

/// Writes a container's multiplexed output into stdout.log and stderr.log (truncated when created).
final class LogCopier: @unchecked Sendable {
    private let lock = NSLock()
    private var frames = LogFrames()
    private let stdout: FileHandle
    private let stderr: FileHandle

    init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func open(_ name: String) throws -> FileHandle {
            let path = directory.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        stdout = try open("stdout.log")
        stderr = try open("stderr.log")
    }

    func write(_ chunk: [UInt8]) {
        lock.withLock {
            for frame in frames.append(chunk) {
                (frame.stream == .stderr ? stderr : stdout).write(Data(frame.bytes))
            }
        }
    }

    /// A line from the node itself, on stderr.
    func note(_ text: String) {
        lock.withLock { stderr.write(Data(text.utf8)) }
    }

    func close() {
        lock.withLock {
            try? stdout.close()
            try? stderr.close()
        }
    }
}
