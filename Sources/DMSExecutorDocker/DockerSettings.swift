import DMSHTTPClient

/// The provider's policy for containers: where the Docker daemon is, whose containers these are, and the
/// limits and privileges it allows.
public struct DockerSettings: Sendable {
    public var endpoint: HTTPEndpoint
    /// Written on every container as `nunet.owner`, so several nodes can share one Docker daemon and each
    /// removes only what it left behind.
    public var owner: String
    public var pidsLimit: Int64
    /// How long a container has after SIGTERM before it is killed.
    public var stopGrace: Duration
    public var allowPrivileged: Bool
    /// Host address published ports listen on.
    public var publishAddress: String
    public var credentials: DockerCredentials

    public init(
        endpoint: HTTPEndpoint, owner: String, pidsLimit: Int64 = 4096, stopGrace: Duration = .seconds(10),
        allowPrivileged: Bool = false, publishAddress: String = "0.0.0.0", credentials: DockerCredentials = .init()
    ) {
        self.endpoint = endpoint
        self.owner = owner
        self.pidsLimit = pidsLimit
        self.stopGrace = stopGrace
        self.allowPrivileged = allowPrivileged
        self.publishAddress = publishAddress
        self.credentials = credentials
    }
}

/// The labels the executor puts on containers.
enum DockerLabels {
    static let executor = "nunet.executor"
    static let owner = "nunet.owner"
    static let execution = "nunet.execution"
}
