import DMSCore
import Foundation

/// The wasm executor's settings (our schema): a WASI module given by `path` (read and inlined by the CLI),
/// by an https `url` with its SHA-256 (fetched and checked by the provider), or `inline` as base64; the
/// export to call, arguments, environment, an optional fuel budget and an optional wall-clock timeout.
///
/// ```yaml
/// execution:
///   type: wasm
///   module: {url: https://example.org/app.wasm, sha256: <64 hex digits>}   # or a path, or {inline: <base64>}
///   entry: _start
///   args: [--verbose]
///   env: {MODE: fast}
///   fuel: 1000000
///   timeout: 30s      # killed after this long (seconds or a duration)
/// ```
extension ExecutionRules {
    /// Every WASM binary starts with `\0asm`.
    static let wasmMagic: [UInt8] = [0x00, 0x61, 0x73, 0x6D]

    func wasm(_ fields: Fields) -> WasmExecution? {
        let module = fields["module"].flatMap { wasmModule($0, at: fields.path("module")) }
        if fields["module"] == nil { fields.reportMissing("module", "required: a path, {url, sha256} or {inline}") }
        let entry = fields.string("entry") ?? "_start"
        let args = fields.strings("args", allowEmpty: true) ?? []
        var env: [String: String] = [:]
        for (name, keyNode, value) in fields.stringMap("env") ?? [] {
            guard EnvironmentName.isValid(name) else {
                diagnostics.report(fields.path("env").key(name), keyNode, EnvironmentName.rule)
                continue
            }
            env[name] = value
        }
        let fuel = fields.integer("fuel", in: 1...Int.max, rule: "must be a whole number of fuel units above 0")
        let timeout = fields.seconds("timeout")
        guard let module else { return nil }
        return WasmExecution(
            module: module, entry: entry, args: args, env: env, fuel: fuel.map { UInt64($0) }, timeout: timeout)
    }

    private func wasmModule(_ node: YAMLNode, at path: FieldPath) -> WasmModuleSource? {
        if node.text != nil {
            return Fields.text(node, at: path, allowEmpty: false, diagnostics: diagnostics).map { .path($0) }
        }
        let keys = ["path", "url", "sha256", "inline"]
        guard let fields = Fields(node, at: path, known: keys, diagnostics: diagnostics) else { return nil }
        let forms = ["path", "url", "inline"].filter { fields[$0] != nil }
        guard forms.count == 1 else {
            diagnostics.report(path, node, "must give exactly one of path, url (with sha256) or inline")
            return nil
        }
        if fields["sha256"] != nil && forms != ["url"] {
            fields.report("sha256", "only a url module has a sha256")
        }
        switch forms[0] {
        case "path":
            return fields.string("path").map { .path($0) }
        case "url":
            let url = fields.string("url")
            if let url, !Self.isHTTPS(url) {
                fields.report("url", "must be an https URL, such as https://example.org/app.wasm")
            }
            let digest = fields.string("sha256", required: true)?.lowercased()
            if let digest, !(digest.count == 64 && Hex.decode(digest) != nil) {
                fields.report("sha256", "must be the module's SHA-256 as 64 hexadecimal digits")
            }
            guard let url, let digest else { return nil }
            return .url(url, sha256: digest)
        default:
            guard let text = fields.string("inline") else { return nil }
            let compact = String(text.unicodeScalars.filter { !$0.properties.isWhitespace })
            guard let bytes = Base64.decode(compact), bytes.starts(with: Self.wasmMagic) else {
                fields.report("inline", "must be a WASM module in base64 (its bytes start with \\0asm)")
                return nil
            }
            return .inline(bytes)
        }
    }

    private static func isHTTPS(_ text: String) -> Bool {
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else { return false }
        return url.scheme?.lowercased() == "https"
    }
}
