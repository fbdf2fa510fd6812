import DMSCore

/// What an allocation used on its provider: run time over all its runs and what that costs at the agreed
/// hourly price. Recorded by the provider when each run ends, for a later contracts or payments step.
public struct AllocationUsage: Sendable, Equatable, Codable, CustomStringConvertible {
    public var seconds: Double
    public var currency: String
    public var cost: Double

    public init(seconds: Double = 0, currency: String = "NTX", cost: Double = 0) {
        self.seconds = seconds
        self.currency = currency
        self.cost = cost
    }

    /// This usage and one more run of `seconds` at `price` per hour (nil: free).
    public func adding(run seconds: Double, at price: ComputeCapability.Price?) -> AllocationUsage {
        let run = max(seconds, 0)
        return AllocationUsage(
            seconds: self.seconds + run, currency: price?.currency ?? currency,
            cost: cost + (price?.currencyPerHour ?? 0) * run / 3600)
    }

    /// `1 h 2 min, 0.516667 NTX`.
    public var description: String {
        let whole = Int(seconds.rounded())
        let time =
            whole >= 3600
            ? "\(whole / 3600) h \(whole % 3600 / 60) min"
            : whole >= 60 ? "\(whole / 60) min \(whole % 60) s" : "\(whole) s"
        return "\(time), \(ComputeCapability.Price.amount(cost)) \(currency)"
    }
}
