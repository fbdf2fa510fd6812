/// Docker's multiplexed stream (logs and exec output of a container without a TTY): frames of an 8-byte
/// header (stream 1 stdout, 2 stderr; three zero bytes; a big-endian length) and the payload. Partial
/// frames are kept until the rest arrives.
public struct LogFrames: Sendable {
    public enum Stream: UInt8, Sendable {
        case stdin = 0
        case stdout = 1
        case stderr = 2
    }

    public struct Frame: Sendable, Equatable {
        public var stream: Stream
        public var bytes: [UInt8]
    }

    private var pending: [UInt8] = []

    public init() {}

    /// The frames completed by `chunk`. An unknown stream byte is read as stdout, so nothing the container
    /// wrote is lost.
    public mutating func append(_ chunk: [UInt8]) -> [Frame] {
        pending.append(contentsOf: chunk)
        var frames: [Frame] = []
        var offset = 0
        while pending.count - offset >= 8 {
            let length =
                Int(pending[offset + 4]) << 24 | Int(pending[offset + 5]) << 16 | Int(pending[offset + 6]) << 8
                | Int(pending[offset + 7])
            guard pending.count - offset - 8 >= length else { break }
            let stream = Stream(rawValue: pending[offset]) ?? .stdout
            frames.append(Frame(stream: stream, bytes: Array(pending[(offset + 8)..<(offset + 8 + length)])))
            offset += 8 + length
        }
        pending.removeFirst(offset)
        return frames
    }

    /// Bytes of an incomplete frame still waiting for the rest.
    public var buffered: Int { pending.count }
}
