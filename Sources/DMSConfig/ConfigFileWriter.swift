import DMSCore
import Foundation

/// Changes config files without ever leaving a broken or half-written one: every new content is
/// validated first and written to a temporary file that atomically replaces the old one.
public struct ConfigFileWriter: Sendable {
    public let loader: ConfigLoader

    public init(loader: ConfigLoader) { self.loader = loader }

    /// Sets `name` to the value parsed from `text` in the active config file (or creates the file in the
    /// node home). Returns the file written and the typed value.
    public func set(_ name: String, to text: String, explicitFile: String?) throws(ConfigError) -> (
        path: String, value: ConfigValue
    ) {
        let result = try set([(name, text)], explicitFile: explicitFile, source: .flag(name: "config set"))
        return (result.path, result.values[0])
    }

    /// Sets several keys in one write: every value and the result as a whole are checked first, so either
    /// all change or none (`nunet onboard --location` sets the three `general.host_*` keys this way).
    public func set(_ changes: [(key: String, text: String)], explicitFile: String?, source: ConfigSource)
        throws(ConfigError) -> (path: String, values: [ConfigValue])
    {
        let path = try loader.locateFile(explicit: explicitFile) ?? loader.defaultWritePath
        var document: JSONValue = .object([])
        if FileManager.default.fileExists(atPath: path) {
            document = try ConfigLoader.readDocument(at: path)
        }
        var values: [ConfigValue] = []
        for (name, text) in changes {
            let key = try ConfigSchema.requireKey(named: name, source: source)
            let value = try key.value(fromText: text, source: source)
            document = try Self.setting(key, to: value.json, in: document, path: path)
            values.append(value)
        }
        try validate(document, path: path)
        try Self.writeAtomically(JSONWriter(pretty: true, escapeHTML: false).string(document) + "\n", to: path)
        return (path, values)
    }

    /// Checks that `document` would be a valid config file on its own (with defaults for the rest).
    public func validate(_ document: JSONValue, path: String) throws(ConfigError) {
        let values = try ConfigLoader.values(inDocument: document, path: path)
        _ = try loader.completing(values.mapValues { .init(value: $0, source: .file(path: path)) }, file: path)
    }

    static func setting(_ key: ConfigKey, to value: JSONValue, in document: JSONValue, path: String) throws(ConfigError)
        -> JSONValue
    {
        guard case .object(var sections) = document else { throw ConfigError.notAnObject(path: path, key: nil) }
        var members: [(key: String, value: JSONValue)] = []
        let sectionIndex = sections.firstIndex { $0.key == key.section }
        if let sectionIndex {
            guard case .object(let existing) = sections[sectionIndex].value else {
                throw ConfigError.notAnObject(path: path, key: key.section)
            }
            members = existing
        }
        if let fieldIndex = members.firstIndex(where: { $0.key == key.field }) {
            members[fieldIndex].value = value
        } else {
            members.append((key.field, value))
        }
        if let sectionIndex {
            sections[sectionIndex].value = .object(members)
        } else {
            sections.append((key.section, .object(members)))
        }
        return .object(sections)
    }

    /// Writes `contents` atomically, creating the directory if needed.
    public static func writeAtomically(_ contents: String, to path: String) throws(ConfigError) {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw ConfigError.writeFailed(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            try AtomicFile.write(Array(contents.utf8), to: path, mode: 0o644)
        } catch {
            throw ConfigError.writeFailed(path: error.path, reason: error.reason)
        }
    }
}
