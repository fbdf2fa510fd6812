import Libp2pCrypto
import Multiformats

/// The packets of libp2p's mDNS discovery (libp2p specs, discovery/mdns.md): a query for PTR
/// `_p2p._udp.local`, and a response naming an instance `<label>._p2p._udp.local` whose TXT strings are
/// `dnsaddr=<address>/p2p/<peer>`. Responses also carry SRV and A/AAAA records, because go-libp2p's
/// zeroconf browser drops an instance that has no IP address.
enum MDNSPacket {
    static let serviceName = DNSName(checkedLabels: [Array("_p2p".utf8), Array("_udp".utf8), Array("local".utf8)])
    static let localDomain = DNSName(checkedLabels: [Array("local".utf8)])
    static let dnsaddrPrefix = Array("dnsaddr=".utf8)
    /// Seconds a receiver may keep our records: the two minutes RFC 6762 suggests for host-independent ones.
    static let timeToLive: UInt32 = 120
    /// A TXT character-string holds at most 255 bytes, so a longer address cannot be announced.
    static let maximumStringLength = 255
    /// Caps what one response announces and what one received response may report, bounding both.
    static let maximumAddresses = PeerStore.maxAddresses
    static let maximumPeersPerPacket = 16
    /// mDNS allows packets up to 9000 bytes (RFC 6762 §17); larger datagrams are ignored unread.
    static let maximumPacketLength = 9000

    /// A query for the libp2p service, sent with ID 0 as mDNS does.
    static func query() throws(DNSError) -> [UInt8] {
        try DNSMessage(id: 0, questions: [DNSMessage.Question(name: serviceName, type: .ptr)]).encoded()
    }

    /// Whether `message` asks for the libp2p service (PTR or ANY), which we answer.
    static func asksForService(_ message: DNSMessage) -> Bool {
        guard !message.isResponse, message.opcode == 0 else { return false }
        let any = DNSRecordType(rawValue: 255)
        return message.questions.contains { $0.name == serviceName && ($0.type == .ptr || $0.type == any) }
    }

    /// A random instance label, 32 to 63 letters and digits as go-libp2p picks, so that announcing does not
    /// reveal the peer ID in the name and two nodes on one machine do not collide.
    static func randomLabel() -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        return (0..<Int.random(in: 32...63)).map { _ in alphabet.randomElement()! }
    }

    /// The addresses worth announcing: IPv4 or IPv6 followed by TCP and nothing else (the transports a peer
    /// can dial us on), each small enough for a TXT string once `/p2p/<peer>` is added.
    static func announceable(_ addresses: [Multiaddr], peer: PeerID) -> [Multiaddr] {
        let suffix = "/p2p/\(peer)"
        let usable = addresses.filter { address in
            guard address.components.count == 2, case .tcp = address.components[1] else { return false }
            switch address.components[0] {
            case .ip4, .ip6:
                return dnsaddrPrefix.count + address.description.utf8.count + suffix.utf8.count
                    <= maximumStringLength
            default: return false
            }
        }
        return Array(usable.prefix(maximumAddresses))
    }

    /// The response announcing `peer` at `addresses` under the instance `label`; nil when no address can be
    /// announced.
    static func response(label: [UInt8], peer: PeerID, addresses: [Multiaddr]) throws(DNSError) -> [UInt8]? {
        let addresses = announceable(addresses, peer: peer)
        guard let port = addresses.lazy.compactMap(tcpPort).first else { return nil }
        let instance = DNSName(checkedLabels: [label] + serviceName.labels)
        let hostName = DNSName(checkedLabels: [label] + localDomain.labels)
        let strings = addresses.map { dnsaddrPrefix + Array("\($0)/p2p/\(peer)".utf8) }
        var srv: [UInt8] = []
        srv.appendBigEndian(UInt16(0))  // priority
        srv.appendBigEndian(UInt16(0))  // weight
        srv.appendBigEndian(port)
        hostName.encode(into: &srv)
        var additionals = [
            DNSResourceRecord(name: instance, ttl: timeToLive, data: .txt(strings)),
            DNSResourceRecord(name: instance, ttl: timeToLive, data: .other(.srv, srv)),
        ]
        var seen = Set<[UInt8]>()
        for address in addresses {
            switch address.components[0] {
            case .ip4(let bytes) where seen.insert(bytes).inserted:
                additionals.append(DNSResourceRecord(name: hostName, ttl: timeToLive, data: .a(bytes)))
            case .ip6(let bytes) where seen.insert(bytes).inserted:
                additionals.append(DNSResourceRecord(name: hostName, ttl: timeToLive, data: .aaaa(bytes)))
            default: continue
            }
        }
        var message = DNSMessage(
            id: 0, isResponse: true,
            answers: [DNSResourceRecord(name: serviceName, ttl: timeToLive, data: .ptr(instance))],
            additionals: additionals)
        message.isAuthoritative = true
        return try message.encoded()
    }

    /// The peers a response announces, other than `localPeer`: every TXT string `dnsaddr=…/p2p/<peer>` on an
    /// instance the response's PTR records name, whatever section they sit in. Entries that do not parse are
    /// skipped, so one bad string does not hide the rest.
    static func peers(in message: DNSMessage, excluding localPeer: PeerID) -> [MDNSPeer] {
        guard message.isResponse else { return [] }
        let records = message.answers + message.authorities + message.additionals
        var instances = Set<DNSName>()
        for record in records where record.name == serviceName {
            if case .ptr(let instance) = record.data { instances.insert(instance) }
        }
        var order: [PeerID] = []
        var found: [PeerID: [Multiaddr]] = [:]
        for record in records where instances.contains(record.name) {
            guard case .txt(let strings) = record.data else { continue }
            for string in strings where string.starts(with: dnsaddrPrefix) {
                guard let text = String(validating: string.dropFirst(dnsaddrPrefix.count), as: UTF8.self),
                    let (peer, address) = peerAddress(text), peer != localPeer
                else { continue }
                if found[peer] == nil {
                    guard order.count < maximumPeersPerPacket else { continue }
                    order.append(peer)
                }
                if found[peer, default: []].count < maximumAddresses, !found[peer, default: []].contains(address) {
                    found[peer, default: []].append(address)
                }
            }
        }
        return order.map { MDNSPeer(peer: $0, addresses: found[$0] ?? []) }
    }

    /// `<address>/p2p/<peer>` split into the peer and the address before it.
    private static func peerAddress(_ text: String) -> (PeerID, Multiaddr)? {
        guard let full = try? Multiaddr(text) else { return nil }
        let (address, peerBytes) = full.splittingPeer
        guard let peerBytes, let multihash = try? Multihash(decoding: peerBytes) else { return nil }
        return (PeerID(multihash: multihash), address)
    }

    private static func tcpPort(_ address: Multiaddr) -> UInt16? {
        guard case .tcp(let port) = address.components[1] else { return nil }
        return port
    }
}
