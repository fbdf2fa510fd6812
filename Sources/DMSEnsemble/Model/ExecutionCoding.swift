import DMSCore

/// The wire form of an execution: `{"type": "wasm", "params": {…}}`, as the Go DMS's SpecConfig.
extension Execution: Codable {
    enum CodingKeys: String, CodingKey { case type, params }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(ExecutorKind.self, forKey: .type) {
        case .docker: self = .docker(try container.decode(DockerExecution.self, forKey: .params))
        case .firecracker: self = .firecracker(try container.decode(FirecrackerExecution.self, forKey: .params))
        case .wasm: self = .wasm(try container.decode(WasmExecution.self, forKey: .params))
        case .null: self = .null(try container.decode(NullExecution.self, forKey: .params))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .type)
        switch self {
        case .docker(let spec): try container.encode(spec, forKey: .params)
        case .firecracker(let spec): try container.encode(spec, forKey: .params)
        case .wasm(let spec): try container.encode(spec, forKey: .params)
        case .null(let spec): try container.encode(spec, forKey: .params)
        }
    }
}

/// `{"path": …}`, `{"url": …, "sha256": …}` or `{"inline": "<base64>"}`.
extension WasmModuleSource {
    enum CodingKeys: String, CodingKey { case path, url, sha256, inline }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let path = try container.decodeIfPresent(String.self, forKey: .path) {
            self = .path(path)
        } else if let url = try container.decodeIfPresent(String.self, forKey: .url) {
            self = .url(url, sha256: try container.decode(String.self, forKey: .sha256))
        } else {
            let text = try container.decode(String.self, forKey: .inline)
            guard let bytes = Base64.decode(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .inline, in: container, debugDescription: "inline module is not base64")
            }
            self = .inline(bytes)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .path(let path): try container.encode(path, forKey: .path)
        case .url(let url, let sha256):
            try container.encode(url, forKey: .url)
            try container.encode(sha256, forKey: .sha256)
        case .inline(let bytes): try container.encode(Base64.encode(bytes), forKey: .inline)
        }
    }
}
