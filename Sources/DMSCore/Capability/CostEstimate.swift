/// What a placement is expected to cost: the offer's price that applies and the job's expected run time.
/// Recorded in the deployment's manifest as the agreed terms, so a later payment step has the numbers.
public struct CostEstimate: Sendable, Hashable, Codable, CustomStringConvertible {
    public var price: ComputeCapability.Price
    /// The requirement's expected run time; nil when the ensemble states none.
    public var seconds: Int?

    public init(price: ComputeCapability.Price, seconds: Int?) {
        self.price = price
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case price
        case seconds = "expected_seconds"
    }

    /// The estimated cost in `price.currency`: the per-job part, plus the hourly part when the run time
    /// is known.
    public var cost: Double { price.cost(seconds: seconds) }

    /// Whether the provider charges nothing at all.
    public var isFree: Bool { price.currencyPerHour == 0 && price.totalPerJob == 0 }

    /// Whether the estimate leaves out an hourly price because the run time is unknown.
    public var isOpenEnded: Bool { seconds == nil && price.currencyPerHour > 0 }

    /// `1.5 NTX (0.5 NTX/h × 3 h)`, `0.5 NTX/h, run time unknown`, `free`.
    public var description: String {
        if isFree { return "free" }
        if isOpenEnded { return "\(price.description), run time unknown" }
        let time = seconds.map { " × \(ComputeCapability.Time.describe(seconds: $0))" } ?? ""
        return "\(ComputeCapability.Price.amount(cost)) \(price.currency) (\(price.description)\(time))"
    }
}
