/// `/dms/node/logger/config`, with the Go DMS's field names. Only `level` is served: the Go node's Elasticsearch
/// and APM settings (`url`, `interval`, `api_key`, `apm_url`, `elastic_enabled`) have no counterpart here
/// (traces go over OTLP, `observability.otlp_endpoint`), and a request that sets one is refused naming it.
public struct LoggerConfigRequest: Codable, Sendable, Equatable {
    /// trace, debug, info, notice, warning, error or critical; empty leaves the level as it is.
    public var level: String
    public var url: String
    public var interval: Int
    public var apiKey: String
    public var apmURL: String
    public var elasticEnabled: Bool?

    public init(
        level: String = "", url: String = "", interval: Int = 0, apiKey: String = "", apmURL: String = "",
        elasticEnabled: Bool? = nil
    ) {
        self.level = level
        self.url = url
        self.interval = interval
        self.apiKey = apiKey
        self.apmURL = apmURL
        self.elasticEnabled = elasticEnabled
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decodeIfPresent(String.self, forKey: .level) ?? ""
        url = try container.decodeIfPresent(String.self, forKey: .url) ?? ""
        interval = try container.decodeIfPresent(Int.self, forKey: .interval) ?? 0
        apiKey = try container.decodeIfPresent(String.self, forKey: .apiKey) ?? ""
        apmURL = try container.decodeIfPresent(String.self, forKey: .apmURL) ?? ""
        elasticEnabled = try container.decodeIfPresent(Bool.self, forKey: .elasticEnabled)
    }

    enum CodingKeys: String, CodingKey {
        case level, url, interval
        case apiKey = "api_key"
        case apmURL = "apm_url"
        case elasticEnabled = "elastic_enabled"
    }

    /// The Go settings this node does not have, by their JSON names, that the request sets.
    public var unsupportedFields: [String] {
        var fields: [String] = []
        if !url.isEmpty { fields.append("url") }
        if interval != 0 { fields.append("interval") }
        if !apiKey.isEmpty { fields.append("api_key") }
        if !apmURL.isEmpty { fields.append("apm_url") }
        if elasticEnabled == true { fields.append("elastic_enabled") }
        return fields
    }
}

/// The level in force after the change, and the one before it.
public struct LoggerConfigResponse: Codable, Sendable, Equatable {
    public var level: String
    public var previous: String

    public init(level: String, previous: String) {
        self.level = level
        self.previous = previous
    }
}
