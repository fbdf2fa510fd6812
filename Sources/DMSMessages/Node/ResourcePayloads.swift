import DMSCore
import DMSExecutor

/// Payloads of the onboarding, resources and hardware behaviors, with the Go DMS's JSON keys.
public struct OnboardingConfig: Codable, Sendable, Equatable {
    public var isOnboarded: Bool?
    public var onboardedResources: Resources?

    public init(isOnboarded: Bool? = nil, onboardedResources: Resources? = nil) {
        self.isOnboarded = isOnboarded
        self.onboardedResources = onboardedResources
    }

    enum CodingKeys: String, CodingKey {
        case isOnboarded = "is_onboarded"
        case onboardedResources = "onboarded_resources"
    }
}

/// `/dms/node/onboarding/onboard` request: the resources to offer in `Config.onboarded_resources`
/// (GPUs by index with the VRAM to offer), or GPUs as `"index:VRAM,…"` text, and optionally where the
/// provider is (`Location`, this node's addition: it sets the `general.host_*` keys).
public struct OnboardRequest: Codable, Sendable, Equatable {
    public var noGPU: Bool?
    public var gpus: String?
    public var config: OnboardingConfig
    public var location: HostLocationPayload?
    /// The provider's terms from now on (`Terms`, this node's addition: prices, time, connectivity as a
    /// Capability; it sets the `provider.*` keys); nil leaves them as they are.
    public var terms: ComputeCapability?

    public init(
        noGPU: Bool? = nil, gpus: String? = nil, config: OnboardingConfig, location: HostLocationPayload? = nil,
        terms: ComputeCapability? = nil
    ) {
        self.noGPU = noGPU
        self.gpus = gpus
        self.config = config
        self.location = location
        self.terms = terms
    }

    enum CodingKeys: String, CodingKey {
        case noGPU = "NoGPU"
        case gpus = "GPUs"
        case config = "Config"
        case location = "Location"
        case terms = "Terms"
    }
}

/// A provider's declared location: a continent (by name), an ISO 3166 country code and a city, the
/// parts after the continent optional. Shown as `Continent/CC/City`.
public struct HostLocationPayload: Codable, Sendable, Equatable, CustomStringConvertible {
    public var continent: String
    public var country: String?
    public var city: String?

    public init(continent: String, country: String? = nil, city: String? = nil) {
        self.continent = continent
        self.country = country
        self.city = city
    }

    public var description: String {
        [continent, country ?? "", city ?? ""].filter { !$0.isEmpty }.joined(separator: "/")
    }
}

public struct OnboardResponse: Codable, Sendable, Equatable {
    public var success: Bool
    public var error: String?
    public var config: OnboardingConfig?

    public init(success: Bool, error: String? = nil, config: OnboardingConfig? = nil) {
        self.success = success
        self.error = error
        self.config = config
    }
}

public struct OffboardRequest: Codable, Sendable, Equatable {
    public var force: Bool?
    public init(force: Bool? = nil) { self.force = force }
    enum CodingKeys: String, CodingKey { case force = "Force" }
}

public struct OffboardResponse: Codable, Sendable, Equatable {
    public var success: Bool
    public var error: String?

    public init(success: Bool, error: String? = nil) {
        self.success = success
        self.error = error
    }
}

/// `/dms/node/onboarding/status`: whether and what the machine offers, and where the provider says it is
/// (`location`, absent when undeclared).
public struct OnboardStatusResponse: Codable, Sendable, Equatable {
    public var onboarded: Bool
    public var error: String?
    public var resources: Resources?
    public var location: HostLocationPayload?
    /// The terms bids offer now: prices, time, connectivity.
    public var terms: ComputeCapability?

    public init(
        onboarded: Bool, error: String? = nil, resources: Resources? = nil, location: HostLocationPayload? = nil,
        terms: ComputeCapability? = nil
    ) {
        self.onboarded = onboarded
        self.error = error
        self.resources = resources
        self.location = location
        self.terms = terms
    }
}

public struct ResourcesResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var resources: Resources
    public var error: String?

    public init(ok: Bool, resources: Resources, error: String? = nil) {
        self.ok = ok
        self.resources = resources
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case resources = "Resources"
        case error
    }
}

public struct HardwareSpecResponse: Codable, Sendable, Equatable {
    public struct CPU: Codable, Sendable, Equatable {
        public var model: String
        public var vendor: String
        public var logicalCores: Int
        public var quotaCores: Double?

        public init(model: String, vendor: String, logicalCores: Int, quotaCores: Double? = nil) {
            self.model = model
            self.vendor = vendor
            self.logicalCores = logicalCores
            self.quotaCores = quotaCores
        }
        enum CodingKeys: String, CodingKey {
            case model, vendor
            case logicalCores = "logical_cores"
            case quotaCores = "quota_cores"
        }
    }

    public var ok: Bool
    public var resources: Resources
    public var cpu: CPU?
    public var problems: [String]
    /// Each executor of a provider and whether it can run now ("Docker 24.0.7, API 1.43", or why not).
    public var executors: [String: ExecutorAvailability]?

    public init(
        ok: Bool, resources: Resources, cpu: CPU? = nil, problems: [String],
        executors: [String: ExecutorAvailability]? = nil
    ) {
        self.ok = ok
        self.resources = resources
        self.cpu = cpu
        self.problems = problems
        self.executors = executors
    }

    enum CodingKeys: String, CodingKey {
        case ok = "OK"
        case resources = "Resources"
        case cpu = "CPU"
        case problems = "Problems"
        case executors = "Executors"
    }
}
