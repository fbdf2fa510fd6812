import Multiformats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Libp2pHost {
    /// The listen addresses as other peers can dial them: a wildcard listen address (`0.0.0.0`, `::`) is
    /// replaced by each of this machine's interface addresses, as go-libp2p does, since a peer told
    /// "0.0.0.0" would dial itself. Used in identify answers and DHT records.
    public var advertisedAddresses: [Multiaddr] {
        let interfaces = InterfaceAddresses.current()
        var result: [Multiaddr] = []
        for address in listenAddresses {
            guard let first = address.components.first else { continue }
            let rest = Array(address.components.dropFirst())
            switch first {
            case .ip4(let bytes) where bytes == [0, 0, 0, 0]:
                result += interfaces.ipv4.map { Multiaddr([.ip4($0)] + rest) }
            case .ip6(let bytes) where bytes.allSatisfy({ $0 == 0 }):
                result += interfaces.ipv6.map { Multiaddr([.ip6($0)] + rest) }
            default:
                result.append(address)
            }
        }
        var seen = Set<[UInt8]>()
        return result.filter { seen.insert($0.bytes).inserted }
    }
}

/// This machine's IP addresses, loopback last so peers elsewhere try the useful ones first.
enum InterfaceAddresses {
    static func current() -> (ipv4: [[UInt8]], ipv6: [[UInt8]]) {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return ([[127, 0, 0, 1]], []) }
        defer { freeifaddrs(list) }
        var ipv4: [[UInt8]] = []
        var ipv6: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, entry.pointee.ifa_flags & UInt32(IFF_UP) != 0 else {
                continue
            }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                }
                ipv4.append(bytes)
            case AF_INET6:
                let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
                // Link-local addresses need a zone to be dialled; leave them out.
                if !(bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80) { ipv6.append(bytes) }
            default:
                continue
            }
        }
        func loopbackLast(_ list: [[UInt8]], isLoopback: ([UInt8]) -> Bool) -> [[UInt8]] {
            list.filter { !isLoopback($0) } + list.filter(isLoopback)
        }
        return (
            loopbackLast(ipv4) { $0[0] == 127 },
            loopbackLast(ipv6) { $0 == [UInt8](repeating: 0, count: 15) + [1] }
        )
    }
}
