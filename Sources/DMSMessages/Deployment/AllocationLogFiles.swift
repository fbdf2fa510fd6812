import DMSExecutor
import Foundation

/// Reading log files in pieces, so following a log sends only what is new.
public enum LogFiles {
    /// At most 1 MiB from `offset`; returns the text and the offset after it.
    public static func read(_ file: URL, from offset: UInt64) -> (String, UInt64) {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return ("", offset) }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        return (String(decoding: data, as: UTF8.self), offset + UInt64(data.count))
    }

    /// `stdout.log` and `stderr.log` of `directory` from the request's offsets.
    public static func reply(from directory: URL, _ request: AllocationLogsRequest, running: Bool)
        -> AllocationLogsReply
    {
        let (stdout, stdoutEnd) = read(
            directory.appendingPathComponent(LogStream.stdout.fileName), from: request.stdoutOffset)
        let (stderr, stderrEnd) = read(
            directory.appendingPathComponent(LogStream.stderr.fileName), from: request.stderrOffset)
        return AllocationLogsReply(
            stdout: stdout, stderr: stderr, stdoutOffset: stdoutEnd, stderrOffset: stderrEnd, running: running)
    }
}
