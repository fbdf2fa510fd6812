import Foundation

extension ComputeCapability {
    /// What a provider charges (an offer) or the most a user pays (a requirement), in one currency. An
    /// offer's job costs `totalPerJob` plus `currencyPerHour` for every hour it runs; a requirement's
    /// `currencyPerHour` caps the offer's hourly price and its `totalPerJob` caps the job's estimated cost,
    /// 0 meaning no cap on that part.
    public struct Price: Sendable, Hashable, Codable {
        /// The currencies a price may be given in: NuNet's token, the chains the Go DMS pays on, and the
        /// stable coins and fiat units users quote prices in.
        public static let currencies = ["NTX", "ADA", "ETH", "USDT", "USDC", "USD", "EUR"]

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

        /// An offer's price for a job of `seconds` (nil: unknown, so only the per-job part counts).
        public func cost(seconds: Int?) -> Double {
            totalPerJob + currencyPerHour * Double(seconds ?? 0) / 3600
        }

        /// Every rule a price breaks, each naming `path`'s field, the value and the rule: a known currency,
        /// finite non-negative amounts.
        public func problems(at path: String) -> [String] {
            var problems: [String] = []
            if !Self.currencies.contains(currency) {
                let known = Self.currencies.joined(separator: ", ")
                problems.append("\(path).currency: unknown currency \"\(currency)\" (use one of \(known))")
            }
            for (field, amount) in [("currency_per_hour", currencyPerHour), ("total_per_job", totalPerJob)]
            where !amount.isFinite || amount < 0 {
                problems.append("\(path).\(field): \(amount) is not a finite amount of 0 or more")
            }
            return problems
        }

        /// `0.5 NTX/h + 2 NTX per job`, `free`.
        public var description: String {
            var parts: [String] = []
            if currencyPerHour > 0 { parts.append("\(Self.amount(currencyPerHour)) \(currency)/h") }
            if totalPerJob > 0 { parts.append("\(Self.amount(totalPerJob)) \(currency) per job") }
            return parts.isEmpty ? "free" : parts.joined(separator: " + ")
        }

        /// An amount with at most six decimals and no trailing zeros.
        public static func amount(_ value: Double) -> String {
            guard value.isFinite else { return "\(value)" }
            var text = String(format: "%.6f", value)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text
        }
    }
}
