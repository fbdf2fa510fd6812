import DMSCore

/// One workload of an ensemble: what runs (executor + execution), what it needs, and how it is watched.
public struct Allocation: Sendable, Equatable, Codable {
    public var name: String
    public var executor: ExecutorKind
    public var type: AllocationType
    public var resources: Resources
    public var execution: Execution
    /// Defaults to the allocation's name.
    public var dnsName: String
    public var keys: [KeySpec]
    /// Script names from the ensemble's `scripts`, run in order before the workload.
    public var provision: [String]
    public var healthcheck: HealthCheck?
    public var volumes: [Volume]
    public var failureRecovery: AllocationRecovery
    public var dependsOn: [String]
    /// What the allocation asks of its provider beyond resources: price ceilings, run time, network,
    /// locality (the seed's Capability; resources stay in `resources`).
    public var requirements: ComputeCapability?

    public init(
        name: String, executor: ExecutorKind, type: AllocationType, resources: Resources, execution: Execution,
        dnsName: String? = nil, keys: [KeySpec] = [], provision: [String] = [], healthcheck: HealthCheck? = nil,
        volumes: [Volume] = [], failureRecovery: AllocationRecovery = .stayDown, dependsOn: [String] = [],
        requirements: ComputeCapability? = nil
    ) {
        self.name = name
        self.executor = executor
        self.type = type
        self.resources = resources
        self.execution = execution
        self.dnsName = dnsName ?? name
        self.keys = keys
        self.provision = provision
        self.healthcheck = healthcheck
        self.volumes = volumes
        self.failureRecovery = failureRecovery
        self.dependsOn = dependsOn
        self.requirements = requirements
    }
}

public enum ExecutorKind: String, Sendable, Equatable, Codable, CaseIterable {
    case docker
    case firecracker
    case wasm
    /// The no-op executor (`null` in the Go DMS): for tests.
    case null
}

public enum AllocationType: String, Sendable, Equatable, Codable, CaseIterable {
    /// Runs until shut down; exiting counts as a failure.
    case service
    /// Runs to completion; exit code 0 means completed.
    case task
}

/// What an allocation's failure does to its siblings (the ensemble's own restart strategy).
public enum AllocationRecovery: String, Sendable, Equatable, Codable, CaseIterable {
    case stayDown = "stay_down"
    case oneForOne = "one_for_one"
    case oneForAll = "one_for_all"
    case restForOne = "rest_for_one"
}

public struct KeySpec: Sendable, Equatable, Codable {
    public enum KeyType: String, Sendable, Equatable, Codable, CaseIterable {
        case ssh
        case gpg
    }
    public var type: KeyType
    public var file: String
    public var dest: String?
    public init(type: KeyType, file: String, dest: String? = nil) {
        self.type = type
        self.file = file
        self.dest = dest
    }
}

public struct HealthCheck: Sendable, Equatable, Codable {
    public enum CheckType: String, Sendable, Equatable, Codable, CaseIterable {
        case command
        case http
    }
    public var type: CheckType
    public var exec: [String]
    public var endpoint: String
    /// The expected response: contained in a command's output, equal to an http body. Nil: any success.
    public var expectedResponse: String?
    /// Seconds between checks; nil uses the supervisor's default.
    public var interval: Double?
    public init(
        type: CheckType, exec: [String] = [], endpoint: String = "", expectedResponse: String? = nil,
        interval: Double? = nil
    ) {
        self.type = type
        self.exec = exec
        self.endpoint = endpoint
        self.expectedResponse = expectedResponse
        self.interval = interval
    }
}

public struct Volume: Sendable, Equatable, Codable {
    public enum VolumeType: String, Sendable, Equatable, Codable, CaseIterable {
        case local
        case glusterfs
    }
    public var type: VolumeType
    public var mountDestination: String
    public var readOnly: Bool
    public var name: String
    public var src: String
    public var servers: [String]
    /// TLS material for a glusterfs mount (PEM text), when the servers require TLS.
    public var clientPrivateKey: String?
    public var clientPEM: String?
    public var clientCA: String?
    public init(
        type: VolumeType, mountDestination: String, readOnly: Bool = false, name: String = "", src: String = "",
        servers: [String] = [], clientPrivateKey: String? = nil, clientPEM: String? = nil, clientCA: String? = nil
    ) {
        self.type = type
        self.mountDestination = mountDestination
        self.readOnly = readOnly
        self.name = name
        self.src = src
        self.servers = servers
        self.clientPrivateKey = clientPrivateKey
        self.clientPEM = clientPEM
        self.clientCA = clientCA
    }
}
