import DMSHTTPClient
import Foundation

/// The Docker Engine API (v1.41, Docker 20.10 and later) over its unix socket, as far as the executor uses
/// it. Every call is a plain HTTP request on `HTTP1Client`; nothing shells out to the `docker` CLI.
public struct DockerEngine: Sendable {
    public static let apiVersion = "1.41"
    public let endpoint: HTTPEndpoint
    private let client: HTTP1Client

    public init(endpoint: HTTPEndpoint) {
        self.endpoint = endpoint
        self.client = HTTP1Client(endpoint, connectTimeout: .seconds(2))
    }

    /// `DOCKER_HOST` (`unix:///path` or `tcp://host:port`) when set, else `/var/run/docker.sock`.
    public static func endpoint(dockerHost: String?) throws(DockerEngineError) -> HTTPEndpoint {
        guard let dockerHost, !dockerHost.isEmpty else { return .unix(path: "/var/run/docker.sock") }
        if dockerHost.hasPrefix("unix://") { return .unix(path: String(dockerHost.dropFirst("unix://".count))) }
        if dockerHost.hasPrefix("tcp://") {
            let address = dockerHost.dropFirst("tcp://".count)
            if let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) {
                return .tcp(host: String(address[..<colon]), port: port)
            }
        }
        throw DockerEngineError(
            status: 0,
            message: "DOCKER_HOST \(dockerHost) is not unix:///path or tcp://host:port (TLS is not supported)")
    }

    // MARK: - The daemon

    public struct Version: Sendable, Decodable, Equatable {
        public let version: String
        public let apiVersion: String
        enum CodingKeys: String, CodingKey {
            case version = "Version"
            case apiVersion = "ApiVersion"
        }
    }

    public func version() async throws(DockerEngineError) -> Version {
        try await decode(Version.self, from: call("GET", "/version", timeout: .seconds(3)))
    }

    /// The storage driver and its details (`Backing Filesystem`), which decide whether a disk limit holds.
    public struct Info: Sendable, Decodable {
        public let driver: String
        public let driverStatus: [[String]]
        enum CodingKeys: String, CodingKey {
            case driver = "Driver"
            case driverStatus = "DriverStatus"
        }
        public var backingFilesystem: String? {
            driverStatus.first { $0.first == "Backing Filesystem" }.flatMap { $0.count > 1 ? $0[1] : nil }
        }
    }

    public func info() async throws(DockerEngineError) -> Info {
        try await decode(Info.self, from: call("GET", "/info", timeout: .seconds(5)))
    }

    // MARK: - Images

    public func imageExists(_ reference: String) async throws(DockerEngineError) -> Bool {
        do {
            _ = try await call("GET", "/images/\(Self.escapePath(reference))/json", timeout: .seconds(10))
            return true
        } catch  where error.isNotFound {
            return false
        }
    }

    /// Pulls an image, reporting each progress line; an error the registry reports mid-stream (the
    /// daemon answers 200 first) is thrown with the registry's words.
    public func pull(
        _ reference: String, auth: RegistryAuthHeader?, progress: @Sendable (PullProgress.Line) -> Void
    ) async throws(DockerEngineError) {
        var headers: [(name: String, value: String)] = []
        if let auth { headers.append(("X-Registry-Auth", auth.value)) }
        let response = try await open(
            "POST", "/images/create?fromImage=\(Self.escapeQuery(reference))", headers: headers)
        try await Self.check(response)
        var lines = JSONLines()
        do {
            for try await chunk in response.body {
                for line in lines.append(chunk) {
                    guard let parsed = PullProgress.Line.parse(line) else { continue }
                    if let error = parsed.error {
                        throw DockerEngineError(status: response.status, message: "pull \(reference): \(error)")
                    }
                    progress(parsed)
                }
            }
        } catch let error as DockerEngineError {
            throw error
        } catch {
            throw DockerEngineError(status: 0, message: "pull \(reference): \(error)")
        }
    }

    // MARK: - Containers

    /// Creates a container and returns its ID.
    public func createContainer(name: String, _ config: ContainerConfig) async throws(DockerEngineError) -> String {
        let response = try await call(
            "POST", "/containers/create?name=\(Self.escapeQuery(name))", json: encode(config), timeout: .seconds(30))
        return try decode(Created.self, from: response).id
    }

    public func start(_ id: String) async throws(DockerEngineError) {
        _ = try await call("POST", "/containers/\(id)/start", timeout: .seconds(30))
    }

    /// Waits until the container is not running and returns its exit code.
    public func wait(_ id: String) async throws(DockerEngineError) -> Int32 {
        struct Waited: Decodable {
            let statusCode: Int64
            enum CodingKeys: String, CodingKey { case statusCode = "StatusCode" }
        }
        let response = try await open("POST", "/containers/\(id)/wait?condition=not-running")
        try await Self.check(response)
        do {
            let collected = try await response.collect(limit: 1 << 20)
            return Int32(
                truncatingIfNeeded: try JSONDecoder().decode(Waited.self, from: Data(collected.body)).statusCode)
        } catch {
            throw DockerEngineError(status: 0, message: "waiting for container \(id.prefix(12)): \(error)")
        }
    }

    /// What the executor reads of a container's state: the exit code comes from `wait`.
    public struct ContainerState: Sendable, Decodable, Equatable {
        public let status: String
        public let oomKilled: Bool
        public let error: String
        enum CodingKeys: String, CodingKey {
            case status = "Status"
            case oomKilled = "OOMKilled"
            case error = "Error"
        }
    }

    public struct ContainerDetails: Sendable, Decodable {
        public let id: String
        public let state: ContainerState
        public let labels: [String: String]
        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case state = "State"
            case config = "Config"
        }
        enum ConfigKeys: String, CodingKey { case labels = "Labels" }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            state = try container.decode(ContainerState.self, forKey: .state)
            let config = try container.nestedContainer(keyedBy: ConfigKeys.self, forKey: .config)
            labels = try config.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        }
    }

    public func inspect(_ id: String) async throws(DockerEngineError) -> ContainerDetails {
        try await decode(
            ContainerDetails.self, from: call("GET", "/containers/\(Self.escapePath(id))/json", timeout: .seconds(10)))
    }

    /// The container's stdout and stderr as Docker multiplexes them (see `LogFrames`), from its start;
    /// with `follow`, until it stops.
    public func logs(_ id: String, follow: Bool) async throws(DockerEngineError) -> AsyncThrowingStream<
        [UInt8], any Error
    > {
        let response = try await open("GET", "/containers/\(id)/logs?stdout=1&stderr=1&follow=\(follow ? 1 : 0)")
        try await Self.check(response)
        return response.body
    }

    /// The container's stdout and stderr as they are written, multiplexed (see `LogFrames`), from the
    /// moment of attaching until it stops: attached before the start, nothing is missed and nothing waits
    /// for the log driver.
    public func attach(_ id: String) async throws(DockerEngineError) -> AsyncThrowingStream<[UInt8], any Error> {
        let response = try await open("POST", "/containers/\(id)/attach?stream=1&stdout=1&stderr=1")
        try await Self.check(response)
        return response.body
    }

    /// SIGTERM, then SIGKILL after `grace`.
    public func stop(_ id: String, grace: Duration) async throws(DockerEngineError) {
        let seconds = max(0, Int(grace.components.seconds))
        _ = try await call("POST", "/containers/\(id)/stop?t=\(seconds)", timeout: grace + .seconds(30))
    }

    /// Removes the container (killing it if it runs); returns once it is gone, also when another caller's
    /// removal was already under way.
    public func remove(_ id: String) async throws(DockerEngineError) {
        do {
            _ = try await call("DELETE", "/containers/\(id)?force=1&v=1", timeout: .seconds(30))
        } catch  where error.isNotFound {
            return
        } catch  where error.status == 409 {
            for _ in 0..<100 {
                do {
                    _ = try await inspect(id)
                } catch  where error.isNotFound {
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            throw error
        }
    }

    public struct ContainerSummary: Sendable, Decodable {
        public let id: String
        public let labels: [String: String]
        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case labels = "Labels"
        }
    }

    /// Every container, running or not, carrying `label` (`key=value`).
    public func containers(label: String) async throws(DockerEngineError) -> [ContainerSummary] {
        let filters = #"{"label":["\#(label)"]}"#
        return try await decode(
            [ContainerSummary].self,
            from: call("GET", "/containers/json?all=1&filters=\(Self.escapeQuery(filters))", timeout: .seconds(10)))
    }

    public struct Stats: Sendable, Decodable {
        public struct Memory: Sendable, Decodable {
            public let usage: UInt64?
            public let maxUsage: UInt64?
            enum CodingKeys: String, CodingKey {
                case usage
                case maxUsage = "max_usage"
            }
        }
        public struct CPU: Sendable, Decodable {
            public struct Usage: Sendable, Decodable {
                public let totalUsage: UInt64
                enum CodingKeys: String, CodingKey { case totalUsage = "total_usage" }
            }
            public let cpuUsage: Usage
            enum CodingKeys: String, CodingKey { case cpuUsage = "cpu_usage" }
        }
        public let memoryStats: Memory
        public let cpuStats: CPU
        enum CodingKeys: String, CodingKey {
            case memoryStats = "memory_stats"
            case cpuStats = "cpu_stats"
        }
    }

    public func stats(_ id: String) async throws(DockerEngineError) -> Stats {
        try await decode(Stats.self, from: call("GET", "/containers/\(id)/stats?stream=false", timeout: .seconds(10)))
    }

    /// Runs a command in a running container and returns its exit code and combined output.
    public func exec(_ id: String, command: [String], timeout: Duration) async throws(DockerEngineError) -> (
        exitCode: Int32, output: [UInt8]
    ) {
        struct Inspected: Decodable {
            let exitCode: Int32?
            enum CodingKeys: String, CodingKey { case exitCode = "ExitCode" }
        }
        struct ExecConfig: Encodable {
            let command: [String]
            let attachStdout = true
            let attachStderr = true
            enum CodingKeys: String, CodingKey {
                case command = "Cmd"
                case attachStdout = "AttachStdout"
                case attachStderr = "AttachStderr"
            }
        }
        struct ExecStart: Encodable {
            let detach = false
            let tty = false
            enum CodingKeys: String, CodingKey {
                case detach = "Detach"
                case tty = "Tty"
            }
        }
        let created = try await decode(
            Created.self,
            from: call(
                "POST", "/containers/\(id)/exec", json: encode(ExecConfig(command: command)), timeout: .seconds(10)))
        let started = try await call(
            "POST", "/exec/\(created.id)/start", json: encode(ExecStart()), timeout: timeout)
        var frames = LogFrames()
        let output = frames.append(started.body).map(\.bytes).joined()
        let inspected = try await decode(
            Inspected.self, from: call("GET", "/exec/\(created.id)/json", timeout: .seconds(10)))
        return (inspected.exitCode ?? -1, Array(output))
    }

    // MARK: - Plumbing

    /// The answer of the calls that create something (a container, an exec): its ID.
    private struct Created: Decodable {
        let id: String
        enum CodingKeys: String, CodingKey { case id = "Id" }
    }

    private func call(
        _ method: String, _ path: String, json: [UInt8]? = nil, timeout: Duration
    ) async throws(DockerEngineError) -> HTTPResponse {
        let headers: [(name: String, value: String)] = json == nil ? [] : [("Content-Type", "application/json")]
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(
                    method, "/v\(Self.apiVersion)\(path)", headers: headers, body: json ?? (method == "POST" ? [] : nil)
                ),
                timeout: timeout)
        } catch {
            throw DockerEngineError(status: 0, message: "Docker daemon at \(endpoint): \(error)")
        }
        guard (200..<300).contains(response.status) || response.status == 304 else {
            throw DockerEngineError(
                status: response.status, message: Self.message(response.body, status: response.status))
        }
        return response
    }

    private func open(_ method: String, _ path: String, headers: [(name: String, value: String)] = [])
        async throws(DockerEngineError) -> HTTPStreamingResponse
    {
        do {
            return try await client.stream(
                HTTPRequest(method, "/v\(Self.apiVersion)\(path)", headers: headers, body: method == "POST" ? [] : nil))
        } catch {
            throw DockerEngineError(status: 0, message: "Docker daemon at \(endpoint): \(error)")
        }
    }

    private static func check(_ response: HTTPStreamingResponse) async throws(DockerEngineError) {
        guard !(200..<300).contains(response.status) else { return }
        let body = (try? await response.collect(limit: 1 << 20).body) ?? []
        throw DockerEngineError(status: response.status, message: message(body, status: response.status))
    }

    /// Docker's error bodies are `{"message": "…"}`.
    static func message(_ body: [UInt8], status: Int) -> String {
        struct Message: Decodable { let message: String }
        if let decoded = try? JSONDecoder().decode(Message.self, from: Data(body)) { return decoded.message }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(text)"
    }

    private func encode<T: Encodable>(_ value: T) throws(DockerEngineError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(value))
        } catch {
            throw DockerEngineError(status: 0, message: "cannot encode a request to the Docker daemon: \(error)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse) throws(DockerEngineError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw DockerEngineError(status: 0, message: "unexpected answer from the Docker daemon: \(error)")
        }
    }

    static func escapeQuery(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static func escapePath(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:@/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
