/// The yamux session as a pure state machine: bytes from the peer go in, events and bytes for the peer
/// come out. It keeps each stream's state and both flow-control windows, so the transport around it only
/// moves bytes. The dialer is the client (odd stream IDs), the listener the server (even IDs).
public struct YamuxSession: Sendable {
    public enum Side: Sendable { case client, server }

    public struct Configuration: Sendable {
        /// The window every stream starts with (the protocol's fixed initial value).
        public static let initialWindow: UInt32 = 256 * 1024
        /// How far a busy stream's receive window may grow.
        public var maxWindow: UInt32 = 16 * 1024 * 1024
        /// The most all receive windows of one session may add up to, which bounds buffered data.
        public var windowBudget: Int = 64 * 1024 * 1024
        /// Streams the peer may have open at once; more are reset.
        public var maxInboundStreams = 512
        /// Streams opened here that the peer has not acknowledged yet.
        public var maxPendingAcks = 256
        /// DATA frames carry at most this many bytes.
        public var maxFramePayload = 64 * 1024

        public init() {}
    }

    public enum Event: Sendable, Equatable {
        case inboundStream(UInt32)
        case data(UInt32, [UInt8])
        /// The peer will send no more on the stream (FIN).
        case remoteClosed(UInt32)
        case reset(UInt32)
        case acknowledged(UInt32)
        /// More may be sent on the stream.
        case sendWindowOpened(UInt32)
        case pong(UInt32)
        case goAway(UInt32)
    }

    struct Stream: Sendable {
        var sendWindow = Configuration.initialWindow
        var receiveWindow = Configuration.initialWindow
        /// What the peer may still send before our next window update.
        var receiveCredit = Configuration.initialWindow
        /// Consumed by the application, not yet returned to the peer.
        var consumed: UInt32 = 0
        var localClosed = false
        var remoteClosed = false
        var awaitingAck = false
        let inbound: Bool
    }

    public let side: Side
    public let configuration: Configuration
    private var streams: [UInt32: Stream] = [:]
    /// The receive windows of all streams added up, kept as streams come, grow and go, so returning
    /// window on every read does not walk the stream table.
    private var receiveWindowTotal = 0
    private var nextStreamID: UInt32
    private var input: [UInt8] = []
    private var inputIndex = 0
    private var pendingData: (frame: YamuxFrame, remaining: Int)?
    private var nextPing: UInt32 = 0
    public private(set) var goneAway = false
    /// Bytes to send to the peer; the caller takes them with `takeOutput()`.
    private var output: [UInt8] = []

    public init(side: Side, configuration: Configuration = Configuration()) {
        self.side = side
        self.configuration = configuration
        nextStreamID = side == .client ? 1 : 2
    }

    public var openStreams: Int { streams.count }

    public mutating func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    public var hasOutput: Bool { !output.isEmpty }

    // MARK: Operations from this side

    public mutating func openStream() throws(YamuxError) -> UInt32 {
        guard !goneAway else { throw .sessionClosed }
        let pending = streams.values.count { !$0.inbound && $0.awaitingAck }
        guard pending < configuration.maxPendingAcks else { throw .tooManyPendingAcks(configuration.maxPendingAcks) }
        let id = nextStreamID
        nextStreamID += 2
        var stream = Stream(inbound: false)
        stream.awaitingAck = true
        add(stream, id)
        YamuxFrame(.windowUpdate, flags: .syn, streamID: id, length: 0).encode(into: &output)
        return id
    }

    /// Queues as much of `data` as the peer's window allows; returns how many bytes were taken.
    public mutating func send(_ data: some Collection<UInt8>, on id: UInt32) throws(YamuxError) -> Int {
        guard var stream = streams[id], !stream.localClosed else { throw .streamClosed(id) }
        let count = min(data.count, Int(stream.sendWindow))
        var start = data.startIndex
        var remaining = count
        while remaining > 0 {
            let size = min(remaining, configuration.maxFramePayload)
            let end = data.index(start, offsetBy: size)
            YamuxFrame(.data, streamID: id, length: UInt32(size)).encode(into: &output)
            output += data[start..<end]
            start = end
            remaining -= size
        }
        stream.sendWindow -= UInt32(count)
        streams[id] = stream
        return count
    }

    /// The application has read `count` bytes of the stream: return them to the peer's window, growing
    /// the window of a busy stream while the session's budget allows.
    public mutating func consumed(_ count: Int, on id: UInt32) {
        guard var stream = streams[id], !stream.remoteClosed else { return }
        stream.consumed += UInt32(count)
        guard stream.consumed >= stream.receiveWindow / 2 else {
            streams[id] = stream
            return
        }
        let budgetLeft = configuration.windowBudget - receiveWindowTotal
        let grown = min(UInt64(stream.receiveWindow) * 2, UInt64(configuration.maxWindow))
        let growth = UInt32(max(0, min(Int(grown) - Int(stream.receiveWindow), budgetLeft)))
        stream.receiveWindow += growth
        receiveWindowTotal += Int(growth)
        let delta = stream.consumed + growth
        stream.receiveCredit += delta
        stream.consumed = 0
        streams[id] = stream
        YamuxFrame(.windowUpdate, streamID: id, length: delta).encode(into: &output)
    }

    /// Half-closes the stream: the peer reads to the end, and may still answer.
    public mutating func closeWrite(_ id: UInt32) {
        guard var stream = streams[id], !stream.localClosed else { return }
        stream.localClosed = true
        YamuxFrame(.windowUpdate, flags: .fin, streamID: id, length: 0).encode(into: &output)
        store(stream, id)
    }

    public mutating func reset(_ id: UInt32) {
        guard remove(id) != nil else { return }
        YamuxFrame(.windowUpdate, flags: .rst, streamID: id, length: 0).encode(into: &output)
    }

    public mutating func ping() -> UInt32 {
        nextPing &+= 1
        YamuxFrame(.ping, flags: .syn, streamID: 0, length: nextPing).encode(into: &output)
        return nextPing
    }

    /// Tells the peer no new streams will be accepted (code 0 normal, 1 protocol error, 2 internal error).
    public mutating func goAway(code: UInt32 = 0) {
        goneAway = true
        YamuxFrame(.goAway, streamID: 0, length: code).encode(into: &output)
    }

    // MARK: Bytes from the peer

    public mutating func receive(_ bytes: some Collection<UInt8>) throws(YamuxError) -> [Event] {
        if bytes.withContiguousStorageIfAvailable({ input.append(contentsOf: $0) }) == nil {
            input += bytes
        }
        var events: [Event] = []
        while true {
            if let (frame, remaining) = pendingData {
                let available = min(remaining, input.count - inputIndex)
                if available > 0, streams[frame.streamID] != nil {
                    events.append(.data(frame.streamID, Array(input[inputIndex..<inputIndex + available])))
                }
                inputIndex += available
                if available < remaining {
                    pendingData = (frame, remaining - available)
                    break
                }
                pendingData = nil
                try finishFlags(frame, into: &events)
                continue
            }
            guard let frame = try YamuxFrame.decode(input, at: inputIndex) else { break }
            inputIndex += YamuxFrame.headerLength
            try handle(frame, into: &events)
        }
        if inputIndex == input.count {
            input.removeAll(keepingCapacity: true)
            inputIndex = 0
        } else if inputIndex > 64 * 1024 {
            input.removeFirst(inputIndex)
            inputIndex = 0
        }
        return events
    }

    private mutating func handle(_ frame: YamuxFrame, into events: inout [Event]) throws(YamuxError) {
        switch frame.kind {
        case .ping:
            guard frame.streamID == 0 else { throw .protocolError("ping on stream \(frame.streamID)") }
            if frame.flags.contains(.syn) {
                YamuxFrame(.ping, flags: .ack, streamID: 0, length: frame.length).encode(into: &output)
            } else if frame.flags.contains(.ack) {
                events.append(.pong(frame.length))
            }
        case .goAway:
            goneAway = true
            events.append(.goAway(frame.length))
        case .windowUpdate, .data:
            guard frame.streamID != 0 else { throw .protocolError("\(frame.kind) frame on stream 0") }
            try openIfNew(frame, into: &events)
            if frame.kind == .windowUpdate {
                if var stream = streams[frame.streamID], frame.length > 0 {
                    let (window, overflow) = stream.sendWindow.addingReportingOverflow(frame.length)
                    guard !overflow else { throw .protocolError("window of stream \(frame.streamID) overflows") }
                    stream.sendWindow = window
                    streams[frame.streamID] = stream
                    events.append(.sendWindowOpened(frame.streamID))
                }
                try finishFlags(frame, into: &events)
            } else {
                if var stream = streams[frame.streamID] {
                    guard frame.length <= stream.receiveCredit else {
                        throw .protocolError("stream \(frame.streamID) sent \(frame.length) bytes beyond its window")
                    }
                    stream.receiveCredit -= frame.length
                    streams[frame.streamID] = stream
                }
                if frame.length == 0 {
                    try finishFlags(frame, into: &events)
                } else {
                    pendingData = (frame, Int(frame.length))
                }
            }
        }
    }

    private mutating func openIfNew(_ frame: YamuxFrame, into events: inout [Event]) throws(YamuxError) {
        guard frame.flags.contains(.syn) else { return }
        let peerParity: UInt32 = side == .client ? 0 : 1
        guard frame.streamID % 2 == peerParity else {
            throw .protocolError("peer opened stream \(frame.streamID) with this side's parity")
        }
        guard streams[frame.streamID] == nil else { throw .protocolError("stream \(frame.streamID) opened twice") }
        let inbound = streams.values.count { $0.inbound }
        guard !goneAway, inbound < configuration.maxInboundStreams else {
            YamuxFrame(.windowUpdate, flags: .rst, streamID: frame.streamID, length: 0).encode(into: &output)
            return
        }
        add(Stream(inbound: true), frame.streamID)
        YamuxFrame(.windowUpdate, flags: .ack, streamID: frame.streamID, length: 0).encode(into: &output)
        events.append(.inboundStream(frame.streamID))
    }

    /// ACK, FIN and RST, applied after the frame's data.
    private mutating func finishFlags(_ frame: YamuxFrame, into events: inout [Event]) throws(YamuxError) {
        guard var stream = streams[frame.streamID] else { return }
        if frame.flags.contains(.rst) {
            remove(frame.streamID)
            events.append(.reset(frame.streamID))
            return
        }
        if frame.flags.contains(.ack), stream.awaitingAck {
            stream.awaitingAck = false
            events.append(.acknowledged(frame.streamID))
        }
        if frame.flags.contains(.fin), !stream.remoteClosed {
            stream.remoteClosed = true
            events.append(.remoteClosed(frame.streamID))
        }
        store(stream, frame.streamID)
    }

    private mutating func add(_ stream: Stream, _ id: UInt32) {
        streams[id] = stream
        receiveWindowTotal += Int(stream.receiveWindow)
    }

    @discardableResult
    private mutating func remove(_ id: UInt32) -> Stream? {
        guard let stream = streams.removeValue(forKey: id) else { return nil }
        receiveWindowTotal -= Int(stream.receiveWindow)
        return stream
    }

    /// Keeps a stream until both directions are closed.
    private mutating func store(_ stream: Stream, _ id: UInt32) {
        if stream.localClosed && stream.remoteClosed {
            remove(id)
        } else {
            streams[id] = stream
        }
    }
}
