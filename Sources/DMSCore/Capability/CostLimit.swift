import Foundation

/// The most a whole deployment may cost (`nunet deploy --max-cost`): an amount, in a currency or in
/// whatever currency the placement is priced in.
public struct CostLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    public var amount: Double
    public var currency: String?

    public init(amount: Double, currency: String? = nil) {
        self.amount = amount
        self.currency = currency
    }

    /// `3`, `3NTX` or `3 NTX`: a finite amount of 0 or more and, optionally, a known currency.
    public init(parsing text: String) throws(CapabilityInputError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        guard let amount = Double(number), amount.isFinite, amount >= 0 else {
            throw CapabilityInputError(
                field: "max-cost", value: text, rule: "must be a finite amount of 0 or more, such as 3 or 3 NTX")
        }
        if !unit.isEmpty && !ComputeCapability.Price.currencies.contains(unit.uppercased()) {
            let known = ComputeCapability.Price.currencies.joined(separator: ", ")
            throw CapabilityInputError(field: "max-cost", value: text, rule: "unknown currency (use one of \(known))")
        }
        self.init(amount: amount, currency: unit.isEmpty ? nil : unit.uppercased())
    }

    /// Why `estimates` (one per node) exceed this limit, or nil when their total is within it: costs in
    /// another currency, or hourly prices whose run time is unknown, cannot be shown to be within it.
    public func refusal(of estimates: [CostEstimate]) -> String? {
        let charged = estimates.filter { $0.cost > 0 || $0.isOpenEnded }
        if let open = charged.first(where: \.isOpenEnded) {
            return "--max-cost \(self): the cost is open-ended (\(open.price.description) with no duration)"
        }
        let currencies = Set(charged.map(\.price.currency))
        if currencies.count > 1 || (currency != nil && !currencies.isSubset(of: [currency!])) {
            return "--max-cost \(self): the placement is priced in \(currencies.sorted().joined(separator: ", "))"
        }
        let total = charged.reduce(0) { $0 + $1.cost }
        guard total > amount else { return nil }
        let unit = currencies.first ?? currency ?? ""
        return "estimated cost \(ComputeCapability.Price.amount(total)) \(unit) above --max-cost \(self)"
    }

    public var description: String {
        ComputeCapability.Price.amount(amount) + (currency.map { " \($0)" } ?? "")
    }
}

/// A value given on the command line or in a request that breaks its rule.
public struct CapabilityInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var rule: String

    public init(field: String, value: String, rule: String) {
        self.field = field
        self.value = value
        self.rule = rule
    }

    public var description: String { "\(field): \"\(value)\" \(rule)" }
}
