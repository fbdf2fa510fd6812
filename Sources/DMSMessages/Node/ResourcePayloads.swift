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
/// (GPUs by index with the VRAM to offer), or GPUs as `"index:VRAM,…"` text.
public struct OnboardRequest: Codable, Sendable, Equatable {
    public var noGPU: Bool?
    public var gpus: String?
    public var config: OnboardingConfig

    public init(noGPU: Bool? = nil, gpus: String? = nil, config: OnboardingConfig) {
        self.noGPU = noGPU
        self.gpus = gpus
        self.config = config
    }

    enum CodingKeys: String, CodingKey {
        case noGPU = "NoGPU"
        case gpus = "GPUs"
        case config = "Config"
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

public struct OnboardStatusResponse: Codable, Sendable, Equatable {
    public var onboarded: Bool
    public var error: String?
    public var resources: Resources?

    public init(onboarded: Bool, error: String? = nil, resources: Resources? = nil) {
        self.onboarded = onboarded
        self.error = error
        self.resources = resources
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
