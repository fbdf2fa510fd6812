import Foundation

/// Runs the built `nunet` binary (or another program) as a real process with its own environment, as a user
/// would, without blocking the threads other tests run on.
public final class NunetProcess: @unchecked Sendable {
    public let process = Process()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let stdoutBuffer = OutputBuffer()
    private let stderrBuffer = OutputBuffer()

    /// The `nunet` executable next to the test bundle in the build products directory.
    public static var executable: URL { BuildProducts.executable("nunet") }

    public init(
        _ arguments: [String], environment: [String: String], directory: String, stdin: String? = nil,
        executable: URL = NunetProcess.executable
    ) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let outBuffer = stdoutBuffer
        let errBuffer = stderrBuffer
        stdoutPipe.fileHandleForReading.readabilityHandler = { outBuffer.append($0.availableData) }
        stderrPipe.fileHandleForReading.readabilityHandler = { errBuffer.append($0.availableData) }
        try process.run()
    }

    /// A test that fails before stopping its daemon must not leave it running after the test run (an orphan
    /// on loopback, found two hours later): whatever still runs when the last reference goes is killed.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { stdoutBuffer.text }
    public var stderr: String { stderrBuffer.text }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits up to `timeout` seconds for the process to exit; returns its status, or nil on timeout.
    /// Suspends rather than blocks, so other tests keep running on the shared threads.
    @discardableResult
    public func wait(timeout: Double = 30) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        // Drain what is left in the pipes.
        stdoutPipe.fileHandleForReading.readabilityHandler = nil
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        stdoutBuffer.append(stdoutPipe.fileHandleForReading.readDataToEndOfFile())
        stderrBuffer.append(stderrPipe.fileHandleForReading.readDataToEndOfFile())
        return process.terminationStatus
    }

    /// Polls until `condition` holds or `timeout` seconds pass, without blocking a thread.
    public static func eventually(timeout: Double = 30, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// Runs `nunet arguments` to completion and returns status and output.
    public static func run(
        _ arguments: [String], environment: [String: String], directory: String, stdin: String? = nil,
        timeout: Double = 60, executable: URL = NunetProcess.executable
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try NunetProcess(
            arguments, environment: environment, directory: directory, stdin: stdin, executable: executable)
        guard let status = await child.wait(timeout: timeout) else {
            child.signal(SIGKILL)
            await child.wait()
            return (-1, child.stdout, child.stderr + "\n(timed out)")
        }
        return (status, child.stdout, child.stderr)
    }
}

final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
