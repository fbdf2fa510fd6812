import NIOCore
import NIOPosix

/// A stub resolver for what libp2p addresses need (A, AAAA and TXT): asks recursive name servers over UDP
/// and again over TCP when an answer is truncated, so dialling never blocks a thread in getaddrinfo and
/// `/dnsaddr` TXT records are reachable at all.
public struct DNSResolver: Sendable {
    /// Where the name servers come from.
    public enum Servers: Sendable, Hashable {
        /// The `nameserver` lines of a resolv.conf, read at every lookup so a changed file applies.
        case system(resolvConf: String = "/etc/resolv.conf")
        /// These servers, in order.
        case list([DNSServerAddress])
    }

    /// The UDP payload offered through EDNS(0): the size DNS Flag Day 2020 settled on.
    static let udpPayloadSize: UInt16 = 1232

    public var servers: Servers
    /// How long one server has to answer one query.
    public var timeout: TimeAmount
    /// Rounds through the servers before giving up (resolv.conf's `attempts`, 2 by default there too).
    public var attempts: Int
    let group: any EventLoopGroup

    public init(
        servers: Servers = .system(), timeout: TimeAmount = .seconds(5), attempts: Int = 2,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.servers = servers
        self.timeout = timeout
        self.attempts = attempts
        self.group = group
    }

    /// The IPv4 addresses (4 bytes each) of `name`, in answer order.
    public func ipv4Addresses(of name: DNSName) async throws(DNSError) -> [[UInt8]] {
        try await lookup(name, .a).compactMap { if case .a(let bytes) = $0 { bytes } else { nil } }
    }

    /// The IPv6 addresses (16 bytes each) of `name`, in answer order.
    public func ipv6Addresses(of name: DNSName) async throws(DNSError) -> [[UInt8]] {
        try await lookup(name, .aaaa).compactMap { if case .aaaa(let bytes) = $0 { bytes } else { nil } }
    }

    /// The TXT records of `name`, each record's character-strings joined (RFC 7208 §3.3 reads them so, and
    /// so does libp2p's dnsaddr).
    public func textRecords(of name: DNSName) async throws(DNSError) -> [[UInt8]] {
        try await lookup(name, .txt).compactMap {
            if case .txt(let strings) = $0 { strings.flatMap { $0 } } else { nil }
        }
    }

    /// The data of every `type` record of `name`, following CNAMEs within the answer. NXDOMAIN ends the
    /// lookup at once; a timeout, an unreachable server or a server error moves on to the next server.
    func lookup(_ name: DNSName, _ type: DNSRecordType) async throws(DNSError) -> [DNSResourceRecord.Data] {
        let servers = try await currentServers()
        var failures: [DNSError] = []
        for _ in 0..<max(1, attempts) {
            for server in servers {
                do throws(DNSError) {
                    let reply = try await exchange(name, type, with: server)
                    switch reply.responseCode {
                    case 0: return try Self.records(of: type, for: name, in: reply)
                    case DNSMessage.responseCodeNameError: throw DNSError.nameNotFound(name.description)
                    default:
                        failures.append(
                            .serverError(name: name.description, server: server.description, code: reply.responseCode))
                    }
                } catch {
                    switch error {
                    case .nameNotFound, .noRecords: throw error
                    default: failures.append(error)
                    }
                }
            }
        }
        // The last failure that says more than "no answer in time", if any.
        guard let telling = failures.last(where: { if case .timedOut = $0 { false } else { true } }) else {
            throw .timedOut(name: name.description, servers: servers.map(\.description))
        }
        throw telling
    }

    private func currentServers() async throws(DNSError) -> [DNSServerAddress] {
        switch servers {
        case .list(let list):
            guard !list.isEmpty else { throw .noServers(source: "the configured server list is empty") }
            return list
        case .system(let path):
            return try await ResolvConf.servers(at: path)
        }
    }

    /// One query with a fresh random ID over UDP, repeated over TCP if the answer is truncated.
    private func exchange(_ name: DNSName, _ type: DNSRecordType, with server: DNSServerAddress)
        async throws(DNSError) -> DNSMessage
    {
        let query = DNSMessage.query(
            id: UInt16.random(in: 0...UInt16.max), name: name, type: type, udpPayloadSize: Self.udpPayloadSize)
        let bytes = try query.encoded()
        let matches: @Sendable (DNSMessage) -> Bool = { Self.answers($0, query) }
        let reply = try await DNSUDPExchange.run(
            bytes, to: server, name: name.description, timeout: timeout, group: group, matches: matches)
        guard reply.isTruncated else { return reply }
        return try await DNSTCPExchange.run(
            bytes, to: server, name: name.description, timeout: timeout, group: group, matches: matches)
    }

    /// Whether `reply` answers `query`: a response with its ID and, unless it reports an error (servers
    /// may drop the question then), its question.
    static func answers(_ reply: DNSMessage, _ query: DNSMessage) -> Bool {
        guard reply.isResponse, reply.id == query.id, reply.opcode == query.opcode else { return false }
        return reply.questions == query.questions || (reply.questions.isEmpty && reply.responseCode != 0)
    }

    /// The records of `type` owned by `name` or by a name a CNAME chain from it reaches.
    static func records(of type: DNSRecordType, for name: DNSName, in reply: DNSMessage) throws(DNSError)
        -> [DNSResourceRecord.Data]
    {
        let answers = reply.answers.filter { $0.recordClass == DNSResourceRecord.classIN }
        var aliases: [DNSName: [DNSName]] = [:]
        for record in answers {
            if case .cname(let target) = record.data { aliases[record.name, default: []].append(target) }
        }
        var owners: Set<DNSName> = [name]
        var pending = [name]
        while let owner = pending.popLast() {
            for target in aliases[owner] ?? [] where owners.insert(target).inserted { pending.append(target) }
        }
        let data = answers.filter { $0.type == type && owners.contains($0.name) }.map(\.data)
        guard !data.isEmpty else { throw .noRecords(name.description, type: type) }
        return data
    }
}
