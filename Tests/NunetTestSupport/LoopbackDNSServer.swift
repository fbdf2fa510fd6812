import NIOCore
import NIOPosix
import Synchronization

/// A DNS server on 127.0.0.1 for tests: answers from a fixed table over UDP and TCP on one port, NXDOMAIN
/// for names it does not hold. Its encoding is written apart from the resolver's (and compresses owner
/// names), so the resolver is checked against a second reading of RFC 1035 rather than against itself.
public final class LoopbackDNSServer: Sendable {
    public enum Record: Sendable, Hashable {
        case a(String, [UInt8])
        case aaaa(String, [UInt8])
        /// One TXT record made of these character-strings (each at most 255 bytes).
        case txt(String, [String])
        case cname(String, String)
    }

    /// How UDP queries are treated; TCP ones are always answered.
    public enum Behavior: Sendable {
        case answer
        /// Drops the first `count` UDP queries, so a resolver must retry.
        case dropFirst(Int)
        /// Drops every UDP query, so a resolver times out.
        case silent
        /// Sends a reply with another ID, one to another question and bytes that are not DNS before each answer.
        case decoysFirst
    }

    public struct Query: Sendable, Hashable {
        public let name: String
        public let type: UInt16
        public let overTCP: Bool
    }

    public let port: Int
    private let responder: Responder
    private let channels: [any Channel]

    /// `host:port` as a resolver's server list takes it.
    public var server: String { "127.0.0.1:\(port)" }
    /// Every query received, in order.
    public var queries: [Query] { responder.queries }

    /// Binds UDP and TCP on the same free port; answers above `udpLimit` bytes go out over UDP truncated.
    public static func start(
        records: [Record], behavior: Behavior = .answer, udpLimit: Int = 512,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LoopbackDNSServer {
        let responder = Responder(records: records, behavior: behavior, udpLimit: udpLimit)
        var lastError: (any Error)?
        for _ in 0..<10 {
            let udp = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramHandler(responder: responder))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            guard let port = udp.localAddress?.port else {
                try? await udp.close()
                continue
            }
            do {
                let tcp = try await ServerBootstrap(group: group)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(StreamHandler(responder: responder))
                        }
                    }
                    .bind(host: "127.0.0.1", port: port).get()
                return LoopbackDNSServer(port: port, responder: responder, channels: [udp, tcp])
            } catch {
                // The TCP port of that number is taken; try another pair.
                lastError = error
                try? await udp.close()
            }
        }
        throw lastError ?? ChannelError.unknownLocalAddress
    }

    private init(port: Int, responder: Responder, channels: [any Channel]) {
        self.port = port
        self.responder = responder
        self.channels = channels
    }

    public func close() async {
        for channel in channels { try? await channel.close() }
    }
}

/// The table and the answers built from it.
private final class Responder: Sendable {
    struct State {
        var queries: [LoopbackDNSServer.Query] = []
        var udpQueries = 0
    }

    let records: [String: [LoopbackDNSServer.Record]]
    let behavior: LoopbackDNSServer.Behavior
    let udpLimit: Int
    let state = Mutex(State())

    init(records: [LoopbackDNSServer.Record], behavior: LoopbackDNSServer.Behavior, udpLimit: Int) {
        self.records = Dictionary(grouping: records) { Self.key($0.owner) }
        self.behavior = behavior
        self.udpLimit = udpLimit
    }

    var queries: [LoopbackDNSServer.Query] { state.withLock { $0.queries } }

    /// The messages to send back for `query` (none: drop it).
    func reply(to query: [UInt8], overTCP: Bool) -> [[UInt8]] {
        guard let question = ParsedQuery(query) else { return [] }
        let seen = state.withLock { state in
            state.queries.append(.init(name: question.name, type: question.type, overTCP: overTCP))
            if !overTCP { state.udpQueries += 1 }
            return state.udpQueries
        }
        var answer = response(to: question, raw: query)
        if !overTCP, answer.count > udpLimit {
            answer = Self.message(id: question.id, flags: 0x8380, question: question.bytes(in: query), answers: [])
        }
        guard !overTCP else { return [answer] }
        switch behavior {
        case .answer: return [answer]
        case .dropFirst(let count): return seen <= count ? [] : [answer]
        case .silent: return []
        case .decoysFirst:
            let otherID = Self.message(
                id: question.id ^ 0x5A5A, flags: 0x8180, question: question.bytes(in: query), answers: [])
            var otherQuestion = Self.name("decoy.invalid")
            otherQuestion += [UInt8(question.type >> 8), UInt8(question.type & 0xFF), 0, 1]
            let otherName = Self.message(id: question.id, flags: 0x8180, question: otherQuestion, answers: [])
            return [otherID, otherName, [0xFF, 0x00, 0x13], answer]
        }
    }

    private func response(to question: ParsedQuery, raw query: [UInt8]) -> [UInt8] {
        let questionBytes = question.bytes(in: query)
        let asked = Self.key(question.name)
        var owner = asked
        var answers: [[UInt8]] = []
        // Follow CNAMEs held in the table, as a recursive server would, a few steps at most.
        for _ in 0..<8 {
            guard case .cname(_, let target)? = records[owner]?.first(where: { $0.type == 5 }) else { break }
            answers.append(record(owner: owner, asked: asked, type: 5, data: Self.name(target)))
            owner = Self.key(target)
        }
        guard records[asked] != nil else {
            return Self.message(id: question.id, flags: 0x8183, question: questionBytes, answers: [])
        }
        for entry in records[owner] ?? [] where entry.type == question.type {
            answers.append(record(owner: owner, asked: asked, type: entry.type, data: entry.data))
        }
        return Self.message(id: question.id, flags: 0x8180, question: questionBytes, answers: answers)
    }

    /// An answer record; the owner is a pointer to the question's name (offset 12) when it is that name.
    private func record(owner: String, asked: String, type: UInt16, data: [UInt8]) -> [UInt8] {
        var bytes = owner == asked ? [0xC0, 0x0C] : Self.name(owner)
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1, 0, 0, 0, 60]
        bytes += [UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
        return bytes
    }

    static func message(id: UInt16, flags: UInt16, question: [UInt8], answers: [[UInt8]]) -> [UInt8] {
        var bytes = [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF), 0, 1]
        bytes += [UInt8(answers.count >> 8), UInt8(answers.count & 0xFF), 0, 0, 0, 0]
        return bytes + question + answers.flatMap { $0 }
    }

    static func name(_ text: String) -> [UInt8] {
        text.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    static func key(_ name: String) -> String {
        (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
    }
}

extension LoopbackDNSServer.Record {
    fileprivate var owner: String {
        switch self {
        case .a(let name, _), .aaaa(let name, _), .txt(let name, _), .cname(let name, _): return name
        }
    }

    fileprivate var type: UInt16 {
        switch self {
        case .a: return 1
        case .aaaa: return 28
        case .txt: return 16
        case .cname: return 5
        }
    }

    fileprivate var data: [UInt8] {
        switch self {
        case .a(_, let bytes), .aaaa(_, let bytes): return bytes
        case .txt(_, let strings): return strings.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        case .cname(_, let target): return Responder.name(target)
        }
    }
}

/// The one question of a query (uncompressed, as resolvers send it); nil for anything else.
private struct ParsedQuery {
    let id: UInt16
    let name: String
    let type: UInt16
    let end: Int

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12, bytes[4] == 0, bytes[5] == 1 else { return nil }
        var labels: [String] = []
        var index = 12
        while index < bytes.count, bytes[index] != 0 {
            let length = Int(bytes[index])
            guard length <= 63, index + 1 + length < bytes.count else { return nil }
            labels.append(String(decoding: bytes[(index + 1)..<(index + 1 + length)], as: UTF8.self))
            index += 1 + length
        }
        guard index + 5 <= bytes.count else { return nil }
        id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        name = labels.joined(separator: ".")
        type = UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index + 2])
        end = index + 5
    }

    func bytes(in query: [UInt8]) -> [UInt8] { Array(query[12..<end]) }
}

private final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: Responder

    init(responder: Responder) { self.responder = responder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        for reply in responder.reply(to: Array(envelope.data.readableBytesView), overTCP: false) {
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))
            context.write(wrapOutboundOut(out), promise: nil)
        }
        context.flush()
    }
}

/// Length-prefixed queries on a TCP connection, answered in turn.
private final class StreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let responder: Responder
    var received: [UInt8] = []

    init(responder: Responder) { self.responder = responder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytesView
        while received.count >= 2 {
            let length = Int(received[0]) << 8 | Int(received[1])
            guard received.count >= 2 + length else { return }
            let query = Array(received[2..<(2 + length)])
            received.removeFirst(2 + length)
            for reply in responder.reply(to: query, overTCP: true) {
                let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xFF)] + reply
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: framed)), promise: nil)
            }
        }
    }
}
