/// The seed's "Capability": everything a machine offers or a job needs, beyond raw resources. `adding`
/// combines the requirements of two jobs (or offers of two parts of a machine); `subtracting` reduces an
/// offer by what is locked; `compare` says whether an offer meets a requirement. Atomic like `Resources`.
public struct ComputeCapability: Sendable, Hashable, Codable {
    public enum JobType: String, Sendable, Codable, CaseIterable {
        case batch
        case singleRun = "single_run"
        case recurring
        case longRunning = "long_running"
    }

    public struct Library: Sendable, Hashable, Codable {
        public var name: String
        public var constraint: String
        public var version: String
        public init(name: String, constraint: String = "", version: String) {
            self.name = name
            self.constraint = constraint
            self.version = version
        }
    }

    public struct Locality: Sendable, Hashable, Codable {
        /// e.g. "region", "country", "city".
        public var kind: String
        public var name: String
        public init(kind: String, name: String) {
            self.kind = kind
            self.name = name
        }
    }

    public struct Storage: Sendable, Hashable, Codable {
        /// "ssd" or "hdd".
        public var type: String
        /// Bytes per volume.
        public var size: UInt64
        public var amount: Int
        public init(type: String, size: UInt64, amount: Int = 1) {
            self.type = type
            self.size = size
            self.amount = amount
        }
    }

    public struct Connectivity: Sendable, Hashable, Codable {
        public var ports: [Int]
        public var vpn: Bool
        public init(ports: [Int] = [], vpn: Bool = false) {
            self.ports = ports
            self.vpn = vpn
        }
    }

    public struct Price: Sendable, Hashable, Codable {
        public var currency: String
        public var currencyPerHour: Double
        public var totalPerJob: Double
        public var preference: Int
        public init(currency: String, currencyPerHour: Double, totalPerJob: Double = 0, preference: Int = 0) {
            self.currency = currency
            self.currencyPerHour = currencyPerHour
            self.totalPerJob = totalPerJob
            self.preference = preference
        }
        enum CodingKeys: String, CodingKey {
            case currency, preference
            case currencyPerHour = "currency_per_hour"
            case totalPerJob = "total_per_job"
        }
    }

    public struct Time: Sendable, Hashable, Codable {
        public var units: String
        public var maxTime: Int
        public var preference: Int
        public init(units: String = "seconds", maxTime: Int = 0, preference: Int = 0) {
            self.units = units
            self.maxTime = maxTime
            self.preference = preference
        }
        enum CodingKeys: String, CodingKey {
            case units, preference
            case maxTime = "max_time"
        }
    }

    public struct KYC: Sendable, Hashable, Codable {
        public var type: String
        public var data: String
        public init(type: String, data: String) {
            self.type = type
            self.data = data
        }
    }

    public var executors: [String]
    public var jobTypes: [JobType]
    public var resources: Resources
    public var libraries: [Library]
    public var localities: [Locality]
    public var storage: [Storage]
    public var connectivity: Connectivity
    public var prices: [Price]
    public var time: Time
    public var kyc: [KYC]

    public init(
        executors: [String] = [], jobTypes: [JobType] = [], resources: Resources = .zero, libraries: [Library] = [],
        localities: [Locality] = [], storage: [Storage] = [], connectivity: Connectivity = Connectivity(),
        prices: [Price] = [], time: Time = Time(), kyc: [KYC] = []
    ) {
        self.executors = executors
        self.jobTypes = jobTypes
        self.resources = resources
        self.libraries = libraries
        self.localities = localities
        self.storage = storage
        self.connectivity = connectivity
        self.prices = prices
        self.time = time
        self.kyc = kyc
    }

    enum CodingKeys: String, CodingKey {
        case executors = "executor"
        case jobTypes = "type"
        case resources, libraries
        case localities = "locality"
        case storage
        case connectivity
        case prices = "price"
        case time
        case kyc = "KYCs"
    }

    /// Both together: lists are merged without duplicates, resources and time added, storage of the same
    /// type combined, VPN needed if either needs it.
    public func adding(_ other: ComputeCapability) throws(ResourceError) -> ComputeCapability {
        var result = self
        result.executors = Self.union(executors, other.executors)
        result.jobTypes = Self.union(jobTypes, other.jobTypes)
        result.resources = try resources.adding(other.resources)
        result.libraries = Self.union(libraries, other.libraries)
        result.localities = Self.union(localities, other.localities)
        for volume in other.storage {
            if let index = result.storage.firstIndex(where: { $0.type == volume.type }) {
                result.storage[index].size += volume.size
                result.storage[index].amount += volume.amount
            } else {
                result.storage.append(volume)
            }
        }
        result.connectivity = Connectivity(
            ports: Self.union(connectivity.ports, other.connectivity.ports),
            vpn: connectivity.vpn || other.connectivity.vpn)
        result.prices = Self.union(prices, other.prices)
        result.time.maxTime += other.time.maxTime
        result.kyc = Self.union(kyc, other.kyc)
        return result
    }

    /// This offer less what `other` locks: resources, ports, storage and time. Lists that describe kinds
    /// (executors, job types, libraries, localities, prices, KYC) are not consumed. Fails with every
    /// shortfall and changes nothing.
    public func subtracting(_ other: ComputeCapability) throws(ResourceError) -> ComputeCapability {
        var shortfalls: [String] = []
        var result = self
        do {
            result.resources = try resources.subtracting(other.resources)
        } catch {
            shortfalls += error.shortfalls
        }
        for port in other.connectivity.ports {
            if let index = result.connectivity.ports.firstIndex(of: port) {
                result.connectivity.ports.remove(at: index)
            } else {
                shortfalls.append("port \(port): not offered")
            }
        }
        for volume in other.storage {
            guard let index = result.storage.firstIndex(where: { $0.type == volume.type }),
                result.storage[index].size >= volume.size, result.storage[index].amount >= volume.amount
            else {
                shortfalls.append("storage \(volume.type): need \(Units.formatBytes(volume.size)) × \(volume.amount)")
                continue
            }
            if result.storage[index] == volume {
                result.storage.remove(at: index)
            } else {
                result.storage[index].size -= volume.size
                result.storage[index].amount -= volume.amount
            }
        }
        if other.time.maxTime > time.maxTime {
            shortfalls.append("time: need \(other.time.maxTime) \(time.units), \(time.maxTime) offered")
        } else {
            result.time.maxTime -= other.time.maxTime
        }
        guard shortfalls.isEmpty else { throw ResourceError(shortfalls) }
        return result
    }

    /// How this offer compares with `requirement`: worse when it lacks an executor, job type, library,
    /// locality, port, VPN or storage the requirement names, or when its resources compare worse;
    /// otherwise the resources decide.
    public func compare(to requirement: ComputeCapability) -> Comparison {
        let covered =
            Set(requirement.executors).isSubset(of: executors) && Set(requirement.jobTypes).isSubset(of: jobTypes)
            && Set(requirement.libraries).isSubset(of: libraries)
            && (requirement.localities.isEmpty || !Set(requirement.localities).isDisjoint(with: localities))
            && Set(requirement.connectivity.ports).isSubset(of: connectivity.ports)
            && (!requirement.connectivity.vpn || connectivity.vpn)
            && requirement.storage.allSatisfy { need in
                storage.contains { $0.type == need.type && $0.size >= need.size && $0.amount >= need.amount }
            }
            && (requirement.time.maxTime == 0 || time.maxTime == 0 || time.maxTime >= requirement.time.maxTime)
        guard covered else { return .worse }
        return resources.compare(to: requirement.resources)
    }

    static func union<T: Equatable>(_ left: [T], _ right: [T]) -> [T] {
        left + right.filter { !left.contains($0) }
    }
}
