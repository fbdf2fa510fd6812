import Multiformats

/// Splits the bytes of a `/meshsub` or `/kad` stream into `uvarint length ‖ RPC` frames, refusing a frame whose
/// declared length exceeds the limit before buffering it, so a peer cannot make us hold more than one
/// maximal frame.
struct FrameDecoder {
    enum Failure: Error, Equatable {
        case tooLarge(UInt64, limit: Int)
        case invalidLength
    }

    let maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    init(maxFrameSize: Int) { self.maxFrameSize = maxFrameSize }

    /// Bytes held, waiting for the rest of a frame.
    var buffered: Int { buffer.count - start }

    mutating func append(_ bytes: [UInt8]) { buffer += bytes }

    /// The bytes after the frames taken so far.
    var remainder: [UInt8] { Array(buffer[start...]) }

    /// The next complete frame, nil when more bytes are needed.
    mutating func next() throws(Failure) -> [UInt8]? {
        let pending = buffer[start...]
        guard !pending.isEmpty else { return nil }
        let length: UInt64
        let prefix: Int
        do {
            (length, prefix) = try Varint.decode(pending)
        } catch .truncated {
            guard pending.count < 10 else { throw .invalidLength }
            return nil
        } catch {
            throw .invalidLength
        }
        guard length <= UInt64(maxFrameSize) else { throw .tooLarge(length, limit: maxFrameSize) }
        guard pending.count - prefix >= Int(length) else { return nil }
        let bodyStart = start + prefix
        let frame = Array(buffer[bodyStart..<bodyStart + Int(length)])
        start = bodyStart + Int(length)
        if start == buffer.count {
            buffer = []
            start = 0
        } else if start > 65536 {
            buffer.removeFirst(start)
            start = 0
        }
        return frame
    }
}
