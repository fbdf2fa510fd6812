import Libp2pCrypto
import Multiformats
import NIOConcurrencyHelpers
import NIOCore

/// A yamux stream on a connection: ordered, flow-controlled bytes in both directions. Reads return
/// whatever has arrived (nil once the peer has closed its side); writes wait while the peer's window is
/// full. All state lives on the connection's event loop.
public final class Libp2pStream: Sendable {
    let connection: NIOLoopBound<ConnectionHandler>
    public let id: UInt32
    public let remotePeer: PeerID
    /// The protocol agreed for this stream (empty until negotiated).
    public let protocolID: String
    /// Bytes that arrived with the protocol agreement and belong to the protocol.
    private let leftover: NIOLockedValueBox<[UInt8]>
    /// Where the bytes the stream moves are counted, and under which label (set by the host once the protocol
    /// is known).
    private let counting: (traffic: Libp2pTraffic, key: String)?

    init(
        connection: NIOLoopBound<ConnectionHandler>, id: UInt32, remotePeer: PeerID, protocolID: String = "",
        leftover: [UInt8] = [], counting: (traffic: Libp2pTraffic, key: String)? = nil
    ) {
        self.connection = connection
        self.id = id
        self.remotePeer = remotePeer
        self.protocolID = protocolID
        self.leftover = NIOLockedValueBox(leftover)
        self.counting = counting
    }

    func negotiated(_ protocolID: String, leftover: [UInt8]) -> Libp2pStream {
        Libp2pStream(
            connection: connection, id: id, remotePeer: remotePeer, protocolID: protocolID, leftover: leftover,
            counting: counting)
    }

    /// The same stream, its opening and its bytes counted in `traffic` under its protocol.
    func counted(in traffic: Libp2pTraffic, inbound: Bool) -> Libp2pStream {
        let key = traffic.streamOpened(protocolID, inbound: inbound)
        let pending = leftover.withLockedValue { value in
            defer { value = [] }
            return value
        }
        return Libp2pStream(
            connection: connection, id: id, remotePeer: remotePeer, protocolID: protocolID, leftover: pending,
            counting: (traffic, key))
    }

    /// The next bytes from the peer, or nil when the peer has closed its side.
    public func read() async throws -> [UInt8]? {
        let early = leftover.withLockedValue { value in
            defer { value = [] }
            return value
        }
        if !early.isEmpty { return early }
        let connection = self.connection
        let id = self.id
        let bytes: [UInt8]? = try await withCheckedThrowingContinuation { continuation in
            connection.onLoop { $0.read(id, continuation) }
        }
        if let counting, let bytes { counting.traffic.received(bytes.count, under: counting.key) }
        return bytes
    }

    /// Exactly `count` bytes; fails if the stream ends first.
    public func read(exactly count: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            guard let chunk = try await read() else { throw Libp2pError.connectionClosed }
            bytes += chunk
        }
        if bytes.count > count { unread(Array(bytes[count...])) }
        return Array(bytes.prefix(count))
    }

    /// Everything until the peer closes, refusing more than `limit` bytes.
    public func readAll(limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await read() {
            bytes += chunk
            guard bytes.count <= limit else { throw Libp2pError.messageTooLarge(bytes.count, limit: limit) }
        }
        return bytes
    }

    /// Puts bytes back to be read first (after reading past a message boundary).
    func unread(_ bytes: [UInt8]) {
        leftover.withLockedValue { $0 = bytes + $0 }
    }

    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        let connection = self.connection
        let id = self.id
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            connection.onLoop { $0.write(bytes, on: id, continuation) }
        }
        if let counting { counting.traffic.sent(bytes.count, under: counting.key) }
    }

    /// Half-closes: the peer reads to the end and may still answer.
    public func closeWrite() {
        let connection = self.connection
        let id = self.id
        connection.eventLoop.execute { connection.value.closeWrite(id) }
    }

    /// Aborts the stream in both directions.
    public func reset() {
        let connection = self.connection
        let id = self.id
        connection.eventLoop.execute { connection.value.reset(id) }
    }
}

extension Libp2pStream {
    /// The next `uvarint length ‖ bytes` message (kad, identify), nil if the peer closed its side first.
    /// Bytes past the message stay in the stream for the next read.
    public func readDelimited(limit: Int) async throws -> [UInt8]? {
        var decoder = FrameDecoder(maxFrameSize: limit)
        var received = false
        while true {
            do {
                if let frame = try decoder.next() {
                    let rest = decoder.remainder
                    if !rest.isEmpty { unread(rest) }
                    return frame
                }
            } catch .tooLarge(let length, let limit) {
                throw Libp2pError.messageTooLarge(Int(clamping: length), limit: limit)
            } catch {
                throw Libp2pError.malformed("invalid message length prefix")
            }
            guard let chunk = try await read() else {
                if received { throw Libp2pError.connectionClosed }
                return nil
            }
            received = true
            decoder.append(chunk)
        }
    }

    /// Writes one `uvarint length ‖ bytes` message.
    public func writeDelimited(_ message: [UInt8]) async throws {
        try await write(Varint.encode(UInt64(message.count)) + message)
    }
}
