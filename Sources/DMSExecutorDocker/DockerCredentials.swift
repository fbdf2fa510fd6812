import DMSCore
import DMSExecutor
import Foundation

/// Registry logins the provider keeps in Docker's own client file (`~/.docker/config.json`, written by
/// `docker login`): `{"auths": {"<registry>": {"auth": base64("user:password")}}}`. Credential helpers
/// are not consulted.
public struct DockerCredentials: Sendable, Equatable {
    public let logins: [String: RegistryCredentials]

    public init(logins: [String: RegistryCredentials] = [:]) { self.logins = logins }

    /// Reads the file; a missing file means no logins, an unreadable one is an error naming it.
    public static func load(from path: String) throws(DockerEngineError) -> DockerCredentials {
        guard FileManager.default.fileExists(atPath: path) else { return DockerCredentials() }
        struct File: Decodable {
            struct Entry: Decodable {
                let auth: String?
                let username: String?
                let password: String?
            }
            let auths: [String: Entry]?
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DockerEngineError(status: 0, message: "Docker credentials file \(path) is not readable: \(error)")
        }
        var logins: [String: RegistryCredentials] = [:]
        for (server, entry) in file.auths ?? [:] {
            let host = Self.host(of: server)
            if let auth = entry.auth,
                let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":")
            {
                logins[host] = RegistryCredentials(
                    username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]),
                    server: host)
            } else if let username = entry.username, let password = entry.password {
                logins[host] = RegistryCredentials(username: username, password: password, server: host)
            }
        }
        return DockerCredentials(logins: logins)
    }

    /// `https://index.docker.io/v1/` and `docker.io` name the same registry; other keys are hosts, maybe
    /// written as URLs.
    static func host(of server: String) -> String {
        var host = server
        for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host.removeFirst(scheme.count) }
        if let slash = host.firstIndex(of: "/") { host = String(host[..<slash]) }
        return host == "index.docker.io" ? "docker.io" : host
    }

    public func login(for image: String) -> RegistryCredentials? { logins[RegistryAuthHeader.registry(of: image)] }
}
