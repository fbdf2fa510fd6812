import Foundation

/// Where a provider says it is, as `nunet onboard --location Europe/DE/Berlin` declares it: the same
/// values as the `general.host_continent`, `general.host_country` and `general.host_city` keys, checked
/// with their rules, so the flag and `nunet config set` can never disagree on what is valid.
public struct HostLocation: Sendable, Equatable, CustomStringConvertible {
    public var continent: String
    public var country: String
    public var city: String

    /// The config keys the location is stored in, in the order of its parts.
    public static let keys = ["general.host_continent", "general.host_country", "general.host_city"]

    /// Two-letter continent codes accepted for the continent's name.
    static let continentCodes = [
        "AF": "Africa", "AN": "Antarctica", "AS": "Asia", "EU": "Europe", "NA": "North America", "OC": "Oceania",
        "SA": "South America",
    ]

    /// A location whose parts are checked with the config keys' rules (the continent required, a city
    /// only with a country); the error names the key, the value and the rule.
    public init(continent: String, country: String = "", city: String = "", source: ConfigSource) throws(ConfigError) {
        self.continent = continent
        self.country = country
        self.city = city
        guard !continent.isEmpty else {
            throw .invalidValue(
                key: Self.keys[0], value: "\"\"", rule: "a continent is required to declare a location", source: source)
        }
        for (key, value) in settings {
            guard let schema = ConfigSchema.key(named: key) else { continue }
            _ = try schema.value(fromText: value, source: source)
        }
        try ConfigSchema.checkConsistency(
            Dictionary(uniqueKeysWithValues: settings.map { ($0.key, ConfigValue.string($0.value)) }))
    }

    /// Parses `Continent[/CC[/City]]`: the continent by name (any case) or two-letter code (EU, NA, …),
    /// the country as an ISO 3166 code (any case), the city as written.
    public init(parsing text: String, source: ConfigSource) throws(ConfigError) {
        let parts = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let given = parts.first ?? ""
        let continent =
            Self.continentCodes[given.uppercased()]
            ?? ConfigRule<String>.continents.first { $0.lowercased() == given.lowercased() } ?? given
        try self.init(
            continent: continent, country: parts.count > 1 ? parts[1].uppercased() : "",
            city: parts.count > 2 ? parts[2] : "", source: source)
    }

    /// The config keys and their values.
    public var settings: [(key: String, value: String)] {
        zip(Self.keys, [continent, country, city]).map { ($0, $1) }
    }

    public var description: String { [continent, country, city].filter { !$0.isEmpty }.joined(separator: "/") }
}
