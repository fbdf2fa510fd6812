import DMSCore

/// A container to run: the image and how to start it, the host ports it publishes and the registry login
/// the ensemble gave (if any). Limits come from the request's resources.
public struct DockerWorkload: Sendable, Equatable {
    public var image: String
    public var entrypoint: [String]
    public var cmd: [String]
    /// `KEY=VALUE` entries.
    public var environment: [String]
    public var workingDirectory: String?
    public var privileged: Bool
    public var ports: [PortBinding]
    public var registryAuth: RegistryCredentials?

    public init(
        image: String, entrypoint: [String] = [], cmd: [String] = [], environment: [String] = [],
        workingDirectory: String? = nil, privileged: Bool = false, ports: [PortBinding] = [],
        registryAuth: RegistryCredentials? = nil
    ) {
        self.image = image
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.privileged = privileged
        self.ports = ports
        self.registryAuth = registryAuth
    }
}

/// A TCP port of the workload published on the host.
public struct PortBinding: Sendable, Equatable, Hashable, Codable {
    public var hostPort: Int
    public var containerPort: Int
    public init(hostPort: Int, containerPort: Int) {
        self.hostPort = hostPort
        self.containerPort = containerPort
    }

    enum CodingKeys: String, CodingKey {
        case hostPort = "host_port"
        case containerPort = "container_port"
    }
}

extension Sequence where Element == PortBinding {
    /// Host port → container port, as manifests list published ports.
    public var hostToContainer: [Int: Int] { Dictionary(map { ($0.hostPort, $0.containerPort) }) { first, _ in first } }
}
