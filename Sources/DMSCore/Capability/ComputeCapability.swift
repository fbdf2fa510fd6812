/// The seed's "Capability": everything a machine offers or a job needs: resources, executors and job
/// types, localities, connectivity, prices and time. A provider's offer is one (its free resources and
/// its terms), so is an ensemble node's requirement. `adding` combines the requirements of allocations
/// placed on one node; `subtracting` reduces an offer by what a job locks, and fails, changing nothing,
/// exactly when the offer does not meet the requirement; `compare` says the same as a comparison.
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
        /// A requirement's public ports; an offer's ports still free when it lists them (bids give a
        /// range beside instead).
        public var ports: [Int]
        /// Whether the machine can join a private overlay network, or the job needs one.
        public var vpn: Bool
        /// Whether the machine publishes ports on a public address, or the job needs that (`public`;
        /// absent in the Go DMS's JSON, where it reads as false).
        public var publicPorts: Bool

        public init(ports: [Int] = [], vpn: Bool = false, publicPorts: Bool = false) {
            self.ports = ports
            self.vpn = vpn
            self.publicPorts = publicPorts
        }

        enum CodingKeys: String, CodingKey {
            case ports, vpn
            case publicPorts = "public"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ports = try container.decodeIfPresent([Int].self, forKey: .ports) ?? []
            vpn = try container.decodeIfPresent(Bool.self, forKey: .vpn) ?? false
            publicPorts = try container.decodeIfPresent(Bool.self, forKey: .publicPorts) ?? false
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

    /// Every rule the terms break (a price's currency or amounts, time's units), each naming its field
    /// under `path` (`Terms.price[0].currency`), the value and the rule.
    public func termProblems(at path: String = "") -> [String] {
        let prefix = path.isEmpty ? "" : path + "."
        return prices.enumerated().flatMap { $1.problems(at: "\(prefix)price[\($0)]") }
            + time.problems(at: prefix + "time")
    }

    /// `left` followed by the elements of `right` it lacks.
    public static func union<T: Equatable>(_ left: [T], _ right: [T]) -> [T] {
        left + right.filter { !left.contains($0) }
    }
}
