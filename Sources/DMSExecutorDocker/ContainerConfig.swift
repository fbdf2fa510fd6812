import DMSCore
import DMSExecutor

/// The body of `POST /containers/create`, built from an execution request: the command, the labels that
/// say whose container it is, and every limit the allocation holds (CPU, memory without extra swap,
/// processes, disk where the storage driver can, GPUs), ports and mounts.
public struct ContainerConfig: Sendable, Encodable, Equatable {
    public var image: String
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var env: [String]
    public var workingDir: String?
    public var labels: [String: String]
    public var exposedPorts: [String: Empty]
    public var hostConfig: HostConfig

    /// The memory cap when the allocation names no RAM: a container never runs unlimited.
    public static let defaultMemoryLimit: UInt64 = 256 << 20

    /// The container's memory limit (and swap limit) for an allocation holding `resources`.
    public static func memoryLimit(_ resources: Resources) -> UInt64 {
        resources.ram == 0 ? defaultMemoryLimit : resources.ram
    }

    public struct Empty: Sendable, Encodable, Equatable {}

    public struct HostConfig: Sendable, Encodable, Equatable {
        public var nanoCPUs: Int64
        public var memory: Int64
        public var memorySwap: Int64
        public var pidsLimit: Int64
        public var privileged: Bool
        public var portBindings: [String: [HostPort]]
        public var binds: [String]
        public var storageOpt: [String: String]?
        public var deviceRequests: [DeviceRequest]?
        public var devices: [Device]?
        public var groupAdd: [String]?
        public var securityOpt: [String]

        enum CodingKeys: String, CodingKey {
            case nanoCPUs = "NanoCpus"
            case memory = "Memory"
            case memorySwap = "MemorySwap"
            case pidsLimit = "PidsLimit"
            case privileged = "Privileged"
            case portBindings = "PortBindings"
            case binds = "Binds"
            case storageOpt = "StorageOpt"
            case deviceRequests = "DeviceRequests"
            case devices = "Devices"
            case groupAdd = "GroupAdd"
            case securityOpt = "SecurityOpt"
        }
    }

    public struct HostPort: Sendable, Encodable, Equatable {
        public var hostIP: String
        public var hostPort: String
        enum CodingKeys: String, CodingKey {
            case hostIP = "HostIp"
            case hostPort = "HostPort"
        }
    }

    public struct DeviceRequest: Sendable, Encodable, Equatable {
        public var driver: String
        public var count: Int?
        public var deviceIDs: [String]?
        public var capabilities: [[String]]
        enum CodingKeys: String, CodingKey {
            case driver = "Driver"
            case count = "Count"
            case deviceIDs = "DeviceIDs"
            case capabilities = "Capabilities"
        }
    }

    public struct Device: Sendable, Encodable, Equatable {
        public var pathOnHost: String
        public var pathInContainer: String
        public var cgroupPermissions: String
        enum CodingKeys: String, CodingKey {
            case pathOnHost = "PathOnHost"
            case pathInContainer = "PathInContainer"
            case cgroupPermissions = "CgroupPermissions"
        }
    }

    enum CodingKeys: String, CodingKey {
        case image = "Image"
        case entrypoint = "Entrypoint"
        case cmd = "Cmd"
        case env = "Env"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case exposedPorts = "ExposedPorts"
        case hostConfig = "HostConfig"
    }

    /// - Parameters:
    ///   - diskLimit: whether the storage driver can cap a container's writable layer (overlay2 on xfs
    ///     with project quotas); without it the disk demand is checked at onboarding only.
    ///   - publishAddress: the host address published ports bind to.
    public init(
        _ workload: DockerWorkload, resources: Resources, mounts: [Mount], labels: [String: String],
        pidsLimit: Int64, diskLimit: Bool, publishAddress: String
    ) {
        image = workload.image
        entrypoint = workload.entrypoint.isEmpty ? nil : workload.entrypoint
        cmd = workload.cmd.isEmpty ? nil : workload.cmd
        env = workload.environment
        workingDir = workload.workingDirectory
        self.labels = labels
        exposedPorts = Dictionary(workload.ports.map { ("\($0.containerPort)/tcp", Empty()) }) { first, _ in first }
        var bindings: [String: [HostPort]] = [:]
        for port in workload.ports {
            bindings["\(port.containerPort)/tcp", default: []].append(
                HostPort(hostIP: publishAddress, hostPort: String(port.hostPort)))
        }
        let memory = Int64(clamping: Self.memoryLimit(resources))
        hostConfig = HostConfig(
            nanoCPUs: Int64(resources.cpu.cores * 1e9), memory: memory, memorySwap: memory, pidsLimit: pidsLimit,
            privileged: workload.privileged, portBindings: bindings,
            binds: mounts.map { "\($0.hostPath):\($0.guestPath)\($0.readOnly ? ":ro" : "")" },
            storageOpt: diskLimit && resources.disk > 0 ? ["size": String(resources.disk)] : nil,
            deviceRequests: nil, devices: nil, groupAdd: nil,
            securityOpt: workload.privileged ? [] : ["no-new-privileges"])
        applyGPUs(resources.gpus)
    }

    /// NVIDIA through the container toolkit's device request (by index when the allocation names them);
    /// AMD through /dev/kfd and /dev/dri and the `video` group; Intel through /dev/dri.
    private mutating func applyGPUs(_ gpus: [GPU]) {
        guard !gpus.isEmpty else { return }
        let nvidia = gpus.filter { $0.vendor == .nvidia }
        if !nvidia.isEmpty {
            let indices = nvidia.map(\.index)
            let named = indices.allSatisfy { $0 >= 0 }
            hostConfig.deviceRequests = [
                DeviceRequest(
                    driver: "nvidia", count: named ? nil : nvidia.count,
                    deviceIDs: named ? indices.map(String.init) : nil, capabilities: [["gpu"]])
            ]
        }
        var devices: [Device] = []
        if gpus.contains(where: { $0.vendor == .amd }) {
            devices.append(Device(pathOnHost: "/dev/kfd", pathInContainer: "/dev/kfd", cgroupPermissions: "rwm"))
            hostConfig.groupAdd = ["video"]
        }
        if gpus.contains(where: { $0.vendor == .amd || $0.vendor == .intel }) {
            devices.append(Device(pathOnHost: "/dev/dri", pathInContainer: "/dev/dri", cgroupPermissions: "rwm"))
        }
        if !devices.isEmpty { hostConfig.devices = devices }
    }
}
