import Foundation

/// The Docker daemon and images the Docker tests use, made by Tests/Docker/fixtures.sh (public registries are
/// out of reach, so the tests build their own image and serve it from a registry on loopback). Without a daemon
/// the tests skip with a message; in CI (`CI` set), where `.ci/run` starts one, its absence is a failure.
public enum DockerTestEnvironment {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static let socket = "/var/run/docker.sock"

    public static var fixturesScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docker/fixtures.sh").path
    }

    /// The test image (`nunet-test/busybox:1`: busybox with `/www/health` answering `ok`), or nil (skip)
    /// when no Docker daemon answers here.
    public static func image() async throws -> String? {
        guard FileManager.default.fileExists(atPath: socket) else { return try skip("no Docker daemon at \(socket)") }
        let result = try await fixtures(["image"])
        guard result.status == 0 else { return try skip("the test image could not be built: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts a registry on loopback holding the test image (and not the local copy of its registry tag);
    /// returns its `127.0.0.1:port`.
    public static func startRegistry(in directory: String) async throws -> String {
        let result = try await fixtures(["registry", directory], timeout: 120)
        guard result.status == 0 else { throw Unavailable(description: "registry did not start: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func stopRegistry(in directory: String) async {
        _ = try? await fixtures(["stop-registry", directory])
    }

    private static func fixtures(_ arguments: [String], timeout: Double = 60) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await NunetProcess.run(
            [fixturesScript] + arguments, environment: ProcessInfo.processInfo.environment,
            directory: FileManager.default.temporaryDirectory.path, timeout: timeout,
            executable: URL(fileURLWithPath: "/bin/bash"))
    }

    private static func skip(_ reason: String) throws -> String? {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            throw Unavailable(description: "Docker is required in CI: \(reason)")
        }
        print("skipping Docker test: \(reason)")
        return nil
    }
}
