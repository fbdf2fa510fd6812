import Foundation

/// Checks that a TCP port can be bound before any service starts, so "port in use" is reported as one
/// clear line instead of a failure halfway through start-up.
public enum PortProbe {
    public static func checkAvailable(address: String, port: Int) throws(StartupError) {
        var ipv4 = sockaddr_in()
        var ipv6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, address, &ipv4.sin_addr) == 1 {
            family = AF_INET
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = in_port_t(UInt16(port).bigEndian)
        } else if inet_pton(AF_INET6, address, &ipv6.sin6_addr) == 1 {
            family = AF_INET6
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = in_port_t(UInt16(port).bigEndian)
        } else {
            throw StartupError.portUnavailable(address: address, port: port, reason: "not an IP address")
        }
        #if canImport(Glibc)
            let socketType = Int32(SOCK_STREAM.rawValue)
        #else
            let socketType = SOCK_STREAM
        #endif
        let descriptor = socket(family, socketType, 0)
        guard descriptor >= 0 else {
            throw StartupError.portUnavailable(address: address, port: port, reason: systemErrorText())
        }
        defer { close(descriptor) }
        // Same option the server sets, so a port in TIME_WAIT is not mistaken for one in use.
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if family == AF_INET {
            result = withUnsafePointer(to: &ipv4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            result = withUnsafePointer(to: &ipv6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard result == 0 else {
            let code = errno
            if code == EADDRINUSE { throw StartupError.portInUse(address: address, port: port) }
            if code == EADDRNOTAVAIL {
                throw StartupError.portUnavailable(
                    address: address, port: port, reason: "address is not on this machine")
            }
            throw StartupError.portUnavailable(address: address, port: port, reason: systemErrorText(code))
        }
    }
}
