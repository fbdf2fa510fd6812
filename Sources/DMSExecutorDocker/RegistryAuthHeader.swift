import DMSCore
import DMSExecutor
import Foundation

/// The `X-Registry-Auth` header of a pull: base64url of `{"username", "password", "serveraddress"}`.
public struct RegistryAuthHeader: Sendable, Equatable {
    public let value: String

    public init(_ credentials: RegistryCredentials, server: String) {
        struct Body: Encodable {
            let username: String
            let password: String
            let serveraddress: String
        }
        let json =
            (try? JSONEncoder().encode(
                Body(username: credentials.username, password: credentials.password, serveraddress: server)))
            ?? Data()
        value = json.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// The registry host of an image reference: its first component when that looks like a host (has a
    /// dot or a port, or is `localhost`), else Docker Hub.
    public static func registry(of image: String) -> String {
        guard let slash = image.firstIndex(of: "/") else { return "docker.io" }
        let first = image[..<slash]
        if first.contains(".") || first.contains(":") || first == "localhost" { return String(first) }
        return "docker.io"
    }
}
