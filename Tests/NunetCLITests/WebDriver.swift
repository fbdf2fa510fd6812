import DMSCore
import DMSHTTPClient
import Foundation
import NunetTestSupport

/// A headless Chromium driven through `chromedriver` (the W3C WebDriver protocol: JSON over HTTP), for
/// tests that look at the dashboard as a browser renders it. Runs as root with `--no-sandbox`.
final class WebDriver: Sendable {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// Why a browser test cannot run here, or nil when Chromium and its driver are installed.
    static var unavailableReason: String? {
        for path in [chromium, chromedriver] where !FileManager.default.isExecutableFile(atPath: path) {
            return "\(path) is not installed (apt-get install chromium chromium-driver)"
        }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let driver: NunetProcess
    /// The driver's home and the browser's profile, removed with this object.
    private let scratch = TemporaryDirectory("nunet-chromium")
    private let client: HTTP1Client
    private let session: String

    /// Starts chromedriver on a free loopback port and opens a browser session of `width`×`height`.
    init(width: Int = 1280, height: Int = 1500) async throws {
        let port = LoopbackNetwork.freePort()
        let scratch = self.scratch
        driver = try NunetProcess(
            ["--port=\(port)", "--allowed-ips=127.0.0.1"],
            environment: ["HOME": scratch.path, "PATH": "/usr/bin:/bin"],
            directory: scratch.path, executable: URL(fileURLWithPath: Self.chromedriver))
        client = HTTP1Client(.tcp(host: "127.0.0.1", port: port))
        let ready = await NunetProcess.eventually(timeout: 30) {
            LoopbackNetwork.get(port: port, path: "/status")?.status == 200
        }
        guard ready else {
            driver.signal(SIGKILL)
            throw Failure(description: "chromedriver did not start: \(driver.stderr) \(driver.stdout)")
        }
        let options: JSONValue = .object([
            ("binary", .string(Self.chromium)),
            (
                "args",
                .array(
                    [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=\(width),\(height)", "--user-data-dir=\(scratch.file("profile"))",
                    ].map { .string($0) })
            ),
        ])
        let capabilities: JSONValue = .object([
            (
                "capabilities",
                .object([
                    (
                        "alwaysMatch",
                        .object([
                            ("browserName", .string("chrome")), ("goog:chromeOptions", options),
                            ("goog:loggingPrefs", .object([("browser", .string("ALL"))])),
                        ])
                    )
                ])
            )
        ])
        do {
            let created = try await Self.call(client, "POST", "/session", capabilities, timeout: .seconds(60))
            guard case .string(let id)? = created["sessionId"] else {
                throw Failure(description: "no session in \(created)")
            }
            session = id
        } catch {
            driver.signal(SIGTERM)
            _ = await driver.wait()
            throw error
        }
    }

    /// Loads `url` and waits for the page's load event.
    func open(_ url: String) async throws {
        _ = try await command("POST", "url", .object([("url", .string(url))]))
    }

    /// Runs `script` (a function body; `return` gives its value) in the page.
    func evaluate(_ script: String) async throws -> JSONValue {
        try await command("POST", "execute/sync", .object([("script", .string(script)), ("args", .array([]))]))
    }

    /// Evaluates `script` until it returns a value other than null, false or "" (or `timeout` passes).
    func waitFor(_ script: String, timeout: Duration = .seconds(60)) async throws -> JSONValue? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            let value = try await evaluate(script)
            switch value {
            case .null, .bool(false), .string(""): break
            default: return value
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        return nil
    }

    /// Console messages and page errors at level SEVERE since the last call.
    func consoleErrors() async throws -> [String] {
        guard case .array(let entries) = try await command("POST", "se/log", .object([("type", .string("browser"))]))
        else { return [] }
        return entries.compactMap { entry in
            guard entry["level"] == .string("SEVERE"), case .string(let message)? = entry["message"] else { return nil }
            return message
        }
    }

    /// A PNG of the viewport.
    func screenshot() async throws -> Data {
        guard case .string(let encoded) = try await command("GET", "screenshot", nil),
            let bytes = Data(base64Encoded: encoded)
        else { throw Failure(description: "no screenshot") }
        return bytes
    }

    /// Closes the browser and stops the driver.
    func quit() async {
        _ = try? await command("DELETE", "", nil)
        driver.signal(SIGTERM)
        _ = await driver.wait()
    }

    private func command(_ method: String, _ path: String, _ body: JSONValue?) async throws -> JSONValue {
        let target = "/session/\(session)" + (path.isEmpty ? "" : "/\(path)")
        return try await Self.call(client, method, target, body, timeout: .seconds(60))
    }

    /// One WebDriver command; its `value`, or the driver's error as a failure.
    private static func call(
        _ client: HTTP1Client, _ method: String, _ target: String, _ body: JSONValue?, timeout: Duration
    ) async throws -> JSONValue {
        let response = try await client.send(
            HTTPRequest(
                method, target, headers: [("Content-Type", "application/json")],
                body: body.map { JSONWriter().bytes($0) }), timeout: timeout)
        let document = try JSONParser.parse(response.body)
        guard response.status == 200 else {
            throw Failure(description: "\(method) \(target): HTTP \(response.status) \(document)")
        }
        return document["value"] ?? .null
    }
}
