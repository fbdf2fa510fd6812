import DMSCore
import Foundation

/// What a provider asks for and promises, as `nunet onboard --price-per-hour 0.5 --max-job-time 3h`
/// declares it and the `provider.*` keys store it: prices in one currency, the longest job, the end of
/// availability, public ports and VPN. Every value is checked with its key's rule, so flags, `nunet config
/// set` and the daemon agree on what is valid. Bids offer it as the terms of a Capability.
public struct ProviderTerms: Sendable, Equatable, CustomStringConvertible {
    public var currency: String
    public var pricePerHour: Double
    public var pricePerJob: Double
    /// The longest job accepted, in seconds (nil: no limit).
    public var maxJobSeconds: Int?
    /// Unix seconds after which no job may run (nil: open-ended).
    public var availableUntil: Int64?
    public var publicPorts: Bool
    public var vpn: Bool
    /// The kinds of job taken (empty: any).
    public var jobTypes: [ComputeCapability.JobType]

    /// `base` with the `provider.*` keys in `values` (text as a config file or a flag gives it) applied,
    /// each checked with its key's rule; the error names the key, the value and the rule.
    public init(values: [String: String], over base: ProviderTerms = .none, source: ConfigSource) throws(ConfigError) {
        self = base
        for (key, text) in values.sorted(by: { $0.key < $1.key }) {
            let value = try ConfigSchema.requireKey(named: key, source: source).value(fromText: text, source: source)
            switch (key, value) {
            case ("provider.currency", .string(let currency)): self.currency = currency
            case ("provider.price_per_hour", .string(let amount)): pricePerHour = Double(amount) ?? 0
            case ("provider.price_per_job", .string(let amount)): pricePerJob = Double(amount) ?? 0
            case ("provider.max_job_time", .string(let time)):
                maxJobSeconds = time.isEmpty ? nil : (try? TimeSpec.duration(time)).map { Int($0 / 1_000_000_000) }
            case ("provider.available_until", .string(let time)):
                availableUntil = time.isEmpty ? nil : (try? TimeSpec.instant(time)).map { Int64($0 / 1_000_000_000) }
            case ("provider.public_ports", .boolean(let flag)): publicPorts = flag
            case ("provider.vpn", .boolean(let flag)): vpn = flag
            case ("provider.job_types", .list(let names)):
                let types = names.compactMap(ComputeCapability.JobType.init(rawValue:))
                jobTypes = Set(types) == Set(ComputeCapability.JobType.allCases) ? [] : types
            default: break
            }
        }
    }

    /// The terms in an effective configuration (whose values the loader has checked with the same rules).
    public init(config: EffectiveConfig) {
        let values = Dictionary(
            uniqueKeysWithValues: ConfigSchema.keys.filter { $0.section == "provider" }.compactMap { key in
                config.value(of: key.name).map { (key.name, $0.description) }
            })
        self = (try? ProviderTerms(values: values, source: .defaultValue(note: nil))) ?? .none
    }

    private init(
        currency: String, pricePerHour: Double, pricePerJob: Double, maxJobSeconds: Int?, availableUntil: Int64?,
        publicPorts: Bool, vpn: Bool, jobTypes: [ComputeCapability.JobType]
    ) {
        self.currency = currency
        self.pricePerHour = pricePerHour
        self.pricePerJob = pricePerJob
        self.maxJobSeconds = maxJobSeconds
        self.availableUntil = availableUntil
        self.publicPorts = publicPorts
        self.vpn = vpn
        self.jobTypes = jobTypes
    }

    /// Free, open-ended, public ports, no VPN: the defaults.
    public static let none = ProviderTerms(
        currency: "NTX", pricePerHour: 0, pricePerJob: 0, maxJobSeconds: nil, availableUntil: nil, publicPorts: true,
        vpn: false, jobTypes: [])

    /// The terms of a bid: prices (none when free), time, connectivity.
    public var capability: ComputeCapability {
        var terms = ComputeCapability(jobTypes: jobTypes, connectivity: .init(vpn: vpn, publicPorts: publicPorts))
        if pricePerHour > 0 || pricePerJob > 0 {
            terms.prices = [.init(currency: currency, currencyPerHour: pricePerHour, totalPerJob: pricePerJob)]
        }
        terms.time =
            maxJobSeconds.map { .init(seconds: $0, availableUntil: availableUntil) }
            ?? .init(availableUntil: availableUntil)
        return terms
    }

    /// The terms a bid's Capability states (its first price), so a daemon's live terms read back as set.
    public init(capability: ComputeCapability) {
        let price = capability.prices.first
        self.init(
            currency: price?.currency ?? "NTX", pricePerHour: price?.currencyPerHour ?? 0,
            pricePerJob: price?.totalPerJob ?? 0, maxJobSeconds: capability.time.seconds,
            availableUntil: capability.time.availableUntil, publicPorts: capability.connectivity.publicPorts,
            vpn: capability.connectivity.vpn, jobTypes: capability.jobTypes)
    }

    /// `0.5 NTX/h + 1 NTX per job; jobs up to 3 h; until 2027-01-31T00:00:00Z; public ports; no VPN`.
    public var description: String {
        let price = ComputeCapability.Price(currency: currency, currencyPerHour: pricePerHour, totalPerJob: pricePerJob)
        var parts = [price.description]
        parts.append(
            maxJobSeconds.map { "jobs up to \(ComputeCapability.Time.describe(seconds: $0))" } ?? "jobs of any length")
        if let availableUntil {
            parts.append(
                "until \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(availableUntil))))")
        }
        if !jobTypes.isEmpty { parts.append("only " + jobTypes.map(\.rawValue).joined(separator: ", ")) }
        parts.append(publicPorts ? "public ports" : "no public ports")
        parts.append(vpn ? "VPN" : "no VPN")
        return parts.joined(separator: "; ")
    }
}
