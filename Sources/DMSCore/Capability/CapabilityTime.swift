extension ComputeCapability {
    /// How long: for an offer, the longest job it accepts and until when it is available; for a
    /// requirement, how long the job is expected to run. `maxTime` 0 means not stated.
    public struct Time: Sendable, Hashable, Codable {
        /// Seconds per unit; the units a capability's time may be given in.
        public static let unitSeconds: [(name: String, seconds: Int)] = [
            ("seconds", 1), ("minutes", 60), ("hours", 3600), ("days", 86400),
        ]

        public var units: String
        public var maxTime: Int
        public var preference: Int
        /// An offer's end of availability in Unix seconds (nil: open-ended); a job that would run past it
        /// is not accepted.
        public var availableUntil: Int64?

        public init(units: String = "seconds", maxTime: Int = 0, preference: Int = 0, availableUntil: Int64? = nil) {
            self.units = units
            self.maxTime = maxTime
            self.preference = preference
            self.availableUntil = availableUntil
        }

        /// `seconds` expressed in the largest unit that divides it exactly.
        public init(seconds: Int, availableUntil: Int64? = nil) {
            let unit = Self.unitSeconds.last { seconds % $0.seconds == 0 } ?? Self.unitSeconds[0]
            self.init(units: unit.name, maxTime: seconds / unit.seconds, availableUntil: availableUntil)
        }

        enum CodingKeys: String, CodingKey {
            case units, preference
            case maxTime = "max_time"
            case availableUntil = "available_until"
        }

        /// `maxTime` in seconds; nil when not stated, or when the units are unknown or it overflows.
        public var seconds: Int? {
            guard maxTime > 0, let unit = Self.unitSeconds.first(where: { $0.name == units }) else { return nil }
            let (total, overflow) = maxTime.multipliedReportingOverflow(by: unit.seconds)
            return overflow ? nil : total
        }

        /// Every rule the time breaks, naming `path`'s field: known units, no negative time.
        public func problems(at path: String) -> [String] {
            var problems: [String] = []
            if !Self.unitSeconds.contains(where: { $0.name == units }) {
                let known = Self.unitSeconds.map(\.name).joined(separator: ", ")
                problems.append("\(path).units: unknown time unit \"\(units)\" (use one of \(known))")
            }
            if maxTime < 0 { problems.append("\(path).max_time: \(maxTime) is negative") }
            return problems
        }

        /// `3 h`, `90 min`, `45 s`.
        public static func describe(seconds: Int) -> String {
            if seconds % 86400 == 0 { return "\(seconds / 86400) d" }
            if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
            if seconds % 60 == 0 { return "\(seconds / 60) min" }
            return "\(seconds) s"
        }
    }
}
