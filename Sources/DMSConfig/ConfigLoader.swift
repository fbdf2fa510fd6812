import DMSCore
import Foundation

/// Builds the effective configuration: defaults, then the config file, then `DMS_<SECTION>_<KEY>`
/// environment variables, then command-line flags; each later layer wins.
public struct ConfigLoader: Sendable {
    public let environment: HostEnvironment

    public init(environment: HostEnvironment) { self.environment = environment }

    /// Files tried in order when no `--config` is given; the first that exists wins.
    public var searchPaths: [String] {
        var directories = [environment.currentDirectory]
        if let home = environment.variables["NUNET_HOME"], !home.isEmpty { directories.append(environment.nunetHome) }
        directories.append((environment.homeDirectory as NSString).appendingPathComponent(".nunet"))
        directories.append("/etc/nunet")
        var seen = Set<String>()
        return directories.map { ($0 as NSString).appendingPathComponent(ConfigSchema.fileName) }.filter {
            seen.insert($0).inserted
        }
    }

    /// The file to read: the explicit path (which must exist) or the first found on the search path.
    public func locateFile(explicit: String?) throws(ConfigError) -> String? {
        if let explicit {
            let path = environment.expandingPath(explicit)
            guard FileManager.default.fileExists(atPath: path) else { throw ConfigError.fileNotFound(path: path) }
            return path
        }
        return searchPaths.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Where `config set` writes when no file exists yet: the node's home directory.
    public var defaultWritePath: String {
        (environment.nunetHome as NSString).appendingPathComponent(ConfigSchema.fileName)
    }

    /// Loads the effective configuration. `flags` maps key names to the text given on the command line,
    /// with the flag spelling used in messages.
    public func load(explicitFile: String? = nil, flags: [(key: String, flag: String, text: String)] = [])
        throws(ConfigError) -> EffectiveConfig
    {
        let file = try locateFile(explicit: explicitFile)
        var entries: [String: EffectiveConfig.Entry] = [:]
        if let file {
            for (key, value) in try Self.values(inDocument: Self.readDocument(at: file), path: file) {
                entries[key] = .init(value: value, source: .file(path: file))
            }
        }
        for (key, value, variable) in try environmentValues() {
            entries[key] = .init(value: value, source: .environment(variable: variable))
        }
        for flag in flags {
            let source = ConfigSource.flag(name: flag.flag)
            let key = try ConfigSchema.requireKey(named: flag.key, source: source)
            entries[key.name] = .init(value: try key.value(fromText: flag.text, source: source), source: source)
        }
        return try completing(entries, file: file)
    }

    /// Fills in defaults for absent keys and checks the rules that span keys.
    func completing(_ given: [String: EffectiveConfig.Entry], file: String?) throws(ConfigError) -> EffectiveConfig {
        var entries = given
        if case .string(let directory)? = entries["general.data_dir"]?.value {
            let expanded = environment.expandingPath(directory)
            entries["general.data_dir"] = .init(value: .string(expanded), source: entries["general.data_dir"]!.source)
        }
        for key in ConfigSchema.keys where entries[key.name] == nil {
            let context = ConfigDefaultsContext(environment: environment, resolved: entries.mapValues(\.value))
            let (value, note) = key.defaultValue(context)
            entries[key.name] = .init(value: value, source: .defaultValue(note: note))
        }
        if case .string(let logFile)? = entries["general.log_file"]?.value {
            entries["general.log_file"] = .init(
                value: .string(environment.expandingPath(logFile)), source: entries["general.log_file"]!.source)
        }
        try ConfigSchema.checkConsistency(entries.mapValues(\.value))
        return EffectiveConfig(file: file, entries: entries)
    }

    /// Reads and parses a config file, reporting malformed JSON with its line and column.
    public static func readDocument(at path: String) throws(ConfigError) -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw ConfigError.malformed(path: path, line: error.line, column: error.column, reason: error.reason)
        }
    }

    /// The typed values a config document sets, refusing unknown sections and keys.
    static func values(inDocument document: JSONValue, path: String) throws(ConfigError) -> [String: ConfigValue] {
        guard case .object(let sections) = document else { throw ConfigError.notAnObject(path: path, key: nil) }
        let source = ConfigSource.file(path: path)
        var values: [String: ConfigValue] = [:]
        for (section, body) in sections {
            guard ConfigSchema.sections.contains(section) else {
                throw ConfigError.unknownKey(
                    key: section, source: source,
                    suggestion: Suggestion.closest(to: section, among: ConfigSchema.sections))
            }
            guard case .object(let members) = body else { throw ConfigError.notAnObject(path: path, key: section) }
            for (field, json) in members {
                let key = try ConfigSchema.requireKey(named: "\(section).\(field)", source: source)
                values[key.name] = try key.value(fromJSON: json, source: source)
            }
        }
        return values
    }

    /// `DMS_<SECTION>_<KEY>` overrides. A variable that names a config section but no key in it is a
    /// typo and is refused; other `DMS_` variables (such as `DMS_PASSPHRASE`) are not configuration.
    func environmentValues() throws(ConfigError) -> [(String, ConfigValue, String)] {
        var found: [(String, ConfigValue, String)] = []
        let byVariable = Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.environmentVariable, $0) })
        let sectionPrefixes = ConfigSchema.sections.map { "DMS_\($0.uppercased())_" }
        for (variable, text) in environment.variables.sorted(by: { $0.key < $1.key }) where variable.hasPrefix("DMS_") {
            let source = ConfigSource.environment(variable: variable)
            if let key = byVariable[variable] {
                found.append((key.name, try key.value(fromText: text, source: source), variable))
            } else if sectionPrefixes.contains(where: variable.hasPrefix) {
                throw ConfigError.unknownKey(
                    key: variable, source: source,
                    suggestion: Suggestion.closest(to: variable, among: byVariable.keys))
            }
        }
        return found
    }
}
