import DMSCore

/// A group of allocations placed together on one provider, with its ports, location and pinning.
public struct NodeSpec: Sendable, Equatable, Codable {
    public var name: String
    public var allocations: [String]
    public var ports: [PortMapping]
    public var location: LocationConstraint
    /// Pins the node to this peer: the bid request goes to it alone, and only its bid is accepted.
    public var peer: String?
    public var redundancy: Int
    public var failureRecovery: NodeRecovery
    /// What the whole node asks of its provider beyond its allocations' own requirements.
    public var requirements: ComputeCapability?

    public init(
        name: String, allocations: [String], ports: [PortMapping] = [], location: LocationConstraint = .init(),
        peer: String? = nil, redundancy: Int = 0, failureRecovery: NodeRecovery = .stayDown,
        requirements: ComputeCapability? = nil
    ) {
        self.name = name
        self.allocations = allocations
        self.ports = ports
        self.location = location
        self.peer = peer
        self.redundancy = redundancy
        self.failureRecovery = failureRecovery
        self.requirements = requirements
    }
}

public struct PortMapping: Sendable, Equatable, Codable {
    /// 0: any free port the provider picks.
    public var publicPort: Int
    public var privatePort: Int
    public var allocation: String
    public init(publicPort: Int, privatePort: Int, allocation: String) {
        self.publicPort = publicPort
        self.privatePort = privatePort
        self.allocation = allocation
    }
}

/// What a node does when its provider fails or vanishes.
public enum NodeRecovery: String, Sendable, Equatable, Codable, CaseIterable {
    case stayDown = "stay_down"
    case restart
    case redeploy
}

public struct Location: Sendable, Equatable, Hashable, Codable {
    public var continent: String
    public var country: String
    public var city: String
    public var asn: Int
    public var isp: String
    public init(continent: String, country: String = "", city: String = "", asn: Int = 0, isp: String = "") {
        self.continent = continent
        self.country = country
        self.city = city
        self.asn = asn
        self.isp = isp
    }

    /// Whether this rule matches a provider's location: the same continent, and every field the rule sets
    /// equal.
    public func matches(_ provider: Location) -> Bool {
        continent == provider.continent && (country.isEmpty || country == provider.country)
            && (city.isEmpty || city == provider.city) && (isp.isEmpty || isp == provider.isp)
            && (asn <= 0 || asn == provider.asn)
    }
}

public struct LocationConstraint: Sendable, Equatable, Codable {
    public var accept: [Location]
    public var reject: [Location]
    public init(accept: [Location] = [], reject: [Location] = []) {
        self.accept = accept
        self.reject = reject
    }

    /// A non-empty accept list alone decides; otherwise any reject match fails. A provider with no known
    /// location matches no rule: it passes a reject-only list and fails any accept list.
    public func admits(_ provider: Location?) -> Bool {
        if accept.isEmpty && reject.isEmpty { return true }
        guard let provider else { return accept.isEmpty }
        if !accept.isEmpty { return accept.contains { $0.matches(provider) } }
        return !reject.contains { $0.matches(provider) }
    }
}

extension NodeSpec {
    /// Everything the node asks of one provider, as a Capability: its allocations' resources and
    /// requirements added up with its own, their executors, its static public ports, and public ports
    /// whenever it publishes any. Allocations missing from `allocations` are skipped (a valid ensemble has
    /// them all). Throws if the resources overflow.
    public func requirement(allocations: [String: Allocation]) throws(ResourceError) -> ComputeCapability {
        let members = self.allocations.compactMap { allocations[$0] }
        var total = requirements ?? ComputeCapability()
        for member in members {
            var part = member.requirements ?? ComputeCapability()
            part.resources = member.resources
            part.executors = [member.executor.rawValue]
            part.jobTypes = [member.type == .service ? .longRunning : .batch]
            total = try total.adding(part)
        }
        total.connectivity.ports = ComputeCapability.union(
            total.connectivity.ports, ports.map(\.publicPort).filter { $0 != 0 })
        if !ports.isEmpty { total.connectivity.publicPorts = true }
        return total
    }
}
