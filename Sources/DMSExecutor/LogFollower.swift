import Foundation

/// Streams an execution's log file: what it holds now, and with `follow` what gets appended until the execution
/// has ended and the file is drained. Log files are written by another process (or task), so it polls.
public enum LogFollower {
    public static let pollInterval = Duration.milliseconds(25)
    private static let chunkSize = 64 * 1024

    public static func stream(
        _ file: URL, follow: Bool, hasEnded: @escaping @Sendable () async -> Bool
    ) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let handle = try FileHandle(forReadingFrom: file)
                    defer { try? handle.close() }
                    while true {
                        // Checked before draining: whatever the execution wrote before it ended is read below.
                        let ended = follow ? await hasEnded() : true
                        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                            continuation.yield([UInt8](chunk))
                        }
                        if ended { break }
                        try await Task.sleep(for: pollInterval)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
