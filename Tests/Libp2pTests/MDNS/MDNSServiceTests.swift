import Libp2pCrypto
import Multiformats
import NIOCore
import Testing

@testable import Libp2p

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Two hosts with mDNS on find each other over real multicast and connect. Both join 224.0.0.251 on the
/// loopback interface only (Linux allows that even without the interface's multicast flag, so no setup is
/// needed), on a port of their own so that other mDNS traffic on the machine, or another test run, does not
/// mix in.
@Suite struct MDNSServiceTests {
    struct TimedOut: Error {}

    /// The loopback interface's name (`lo` on Linux, `lo0` on macOS).
    static func loopbackInterface() throws -> String {
        let device = try System.enumerateDevices().first { device in
            guard case .v4(let address)? = device.address else { return false }
            return address.address.sin_addr.s_addr == UInt32(0x7F00_0001).bigEndian
        }
        return try #require(device?.name)
    }

    static func service(_ host: Libp2pHost, port: Int) throws -> MDNSService {
        var configuration = MDNSService.Configuration()
        configuration.interfaces = [try loopbackInterface()]
        configuration.port = port
        configuration.queryInterval = .milliseconds(500)
        return MDNSService(host: host, configuration: configuration)
    }

    /// The first announcement of `peer` that `service` hears (failing after 20 s rather than hanging).
    static func firstAnnouncement(of peer: PeerID, on service: MDNSService) async throws -> MDNSPeer {
        try await withDeadline(.now + .seconds(20), timeout: TimedOut()) {
            for await found in service.peers where found.peer == peer { return found }
            throw TimedOut()
        }
    }

    /// Multicasts `bytes` to the group on `port` out of the loopback interface, as a hostile neighbour would.
    static func sendRaw(_ bytes: [UInt8], port: Int) {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return }
        defer { close(fd) }
        var interface = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        _ = setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_IF, &interface, socklen_t(MemoryLayout<in_addr>.size))
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(port).bigEndian
        target.sin_addr = in_addr(s_addr: UInt32(0xE000_00FB).bigEndian)
        _ = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    @Test func twoHostsOnOneMachineFindEachOtherAndConnect() async throws {
        let port = Int.random(in: 20000...60000)
        let (first, firstAddress) = try await HostFixtures.listening()
        let (second, _) = try await HostFixtures.listening()
        let firstMDNS = try Self.service(first, port: port)
        let secondMDNS = try Self.service(second, port: port)
        try await firstMDNS.start()
        // Garbage and a truncated query reach the first service before any peer does; it keeps working.
        Self.sendRaw([0xFF, 0x00, 0x13], port: port)
        Self.sendRaw(Array(try MDNSPacket.query().dropLast(3)), port: port)
        Self.sendRaw((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }, port: port)
        try await secondMDNS.start()

        let heardSecond = try await Self.firstAnnouncement(of: second.peerID, on: firstMDNS)
        #expect(heardSecond.addresses == second.listenAddresses)
        let heardFirst = try await Self.firstAnnouncement(of: first.peerID, on: secondMDNS)
        #expect(heardFirst.addresses == [firstAddress.splittingPeer.address])

        first.peerStore.addAddresses(heardSecond.addresses, for: second.peerID)
        let connection = try await first.connection(to: second.peerID)
        #expect(connection.remotePeer == second.peerID)

        await firstMDNS.stop()
        await secondMDNS.stop()
        // Stopped services finish their streams.
        for await _ in firstMDNS.peers {}
        await first.close()
        await second.close()
    }
}
