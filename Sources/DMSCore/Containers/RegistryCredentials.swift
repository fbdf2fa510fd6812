/// A login for a container registry: given by an ensemble for its image, or kept by a provider.
public struct RegistryCredentials: Sendable, Equatable, Codable {
    public var username: String
    public var password: String
    /// The registry host (`registry.example.com:5000`); empty: the image's own registry.
    public var server: String
    public init(username: String, password: String, server: String = "") {
        self.username = username
        self.password = password
        self.server = server
    }
}
