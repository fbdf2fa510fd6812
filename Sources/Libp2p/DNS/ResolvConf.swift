import Foundation
import NIOPosix

/// The `nameserver` lines of resolv.conf(5): the recursive servers the system's own resolver asks, and so
/// the ones a node asks unless it is given others.
enum ResolvConf {
    static let defaultPath = "/etc/resolv.conf"
    /// The C library uses the first three (MAXNS) and ignores the rest.
    static let maximumServers = 3

    /// Reads `path` on the NIO thread pool (file reads block), then parses it.
    static func servers(at path: String) async throws(DNSError) -> [DNSServerAddress] {
        let text: String
        do {
            text = try await NIOThreadPool.singleton.runIfActive { try String(contentsOfFile: path, encoding: .utf8) }
        } catch {
            throw .unreadableConfiguration(path: path, reason: "\(error)")
        }
        return try servers(in: text, path: path)
    }

    /// Servers in file order. Lines that are not `nameserver <IP address>` are skipped, as the C library
    /// skips them; a file without a usable one is an error naming the lines passed over.
    static func servers(in text: String, path: String) throws(DNSError) -> [DNSServerAddress] {
        var servers: [DNSServerAddress] = []
        var skipped: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = words.first, keyword == "nameserver" else { continue }
            guard words.count >= 2, let server = try? DNSServerAddress(host: String(words[1])) else {
                skipped.append(String(line))
                continue
            }
            if servers.count < maximumServers, !servers.contains(server) { servers.append(server) }
        }
        guard !servers.isEmpty else {
            let detail = skipped.isEmpty ? "" : " (unusable: \(skipped.map { "\"\($0)\"" }.joined(separator: ", ")))"
            throw .noServers(source: "no usable nameserver line in \(path)\(detail)")
        }
        return servers
    }
}
