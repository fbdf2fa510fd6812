import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// The dashboard's read routes against a real daemon that deployed a task to itself: the listing and its
/// filters, one deployment with its history, its output whole and followed, 404s for what does not exist.
@Suite struct DashboardAPITests {
    static let task = """
        version: V1
        metadata: {team: dashboard}
        allocations:
          job:
            type: task
            executor: null
            resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
            execution: {type: null, stdout: "hello from the null executor"}
        """

    func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let answer = try await offThePool { LoopbackNetwork.get(port: port, path: path) }
        return try #require(answer, "no answer to \(path)")
    }

    func json(_ port: Int, _ path: String) async throws -> JSONValue {
        let answer = try await get(port, path)
        #expect(answer.status == 200, "\(path): \(answer.body)")
        return try JSONParser.parse(answer.body)
    }

    @Test func aDeploymentThroughTheReadRoutes() async throws {
        let home = CLITestHome()
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)
        let port = try #require(Int(client.extraEnvironment["DMS_REST_PORT"] ?? ""))
        home.root.write("work/task.yaml", Self.task)
        let deployed = try await client.run("deploy", "-f", "task.yaml", "--wait")
        #expect(deployed.status == 0, "\(deployed.stdout) \(deployed.stderr)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))

        let node = try await json(port, "/api/v1/node")
        #expect(node["resources"]?["onboarded"]?["cpu"]?["cores"] == .number("1"), "\(node)")

        let listing = try await json(port, "/api/v1/deployments")
        #expect(listing["total"] == .number("1"))
        #expect(listing["deployments"]?[0]?["id"] == .string(id))
        #expect(listing["deployments"]?[0]?["metadata"]?["team"] == .string("dashboard"))
        #expect(try await json(port, "/api/v1/deployments?status=completed")["total"] == .number("1"))
        #expect(try await json(port, "/api/v1/deployments?status=Running,Failed")["total"] == .number("0"))

        let detail = try await json(port, "/api/v1/deployments/\(id)")
        #expect(detail["status"] == .string("Completed"))
        guard case .array(let events)? = detail["events"] else {
            Issue.record("no events in \(detail)")
            return
        }
        #expect(events.compactMap { $0["status"] }.last == .string("Completed"))
        #expect(detail["allocations"]?[0]?["name"] == .string("job"))

        let logs = try await json(port, "/api/v1/deployments/\(id)/allocations/job/logs")
        #expect(logs["stdout"] == .string("hello from the null executor"))
        #expect(logs["running"] == .bool(false))
        let rest = try await json(port, "/api/v1/deployments/\(id)/allocations/job/logs?stdout_offset=6")
        #expect(rest["stdout"] == .string("from the null executor"))

        // Followed: one event with the output, then the stream ends by itself since the task has.
        let request =
            "GET /api/v1/deployments/\(id)/allocations/job/logs?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let followed = try #require(
            try await offThePool { LoopbackNetwork.exchange(port: port, sending: Array(request.utf8), timeout: 20) })
        let stream = String(decoding: followed.received, as: UTF8.self)
        #expect(stream.contains("event: logs\ndata: {"), "\(stream)")
        #expect(stream.contains("hello from the null executor"))
        #expect(stream.hasSuffix("0\r\n\r\n"), "the stream ends: \(stream)")

        for path in ["/api/v1/deployments/nope", "/api/v1/deployments/\(id)/allocations/nope/logs"] {
            let missing = try await get(port, path)
            #expect(missing.status == 404, "\(path): \(missing.body)")
            #expect(missing.body.contains("nope"), "\(path): \(missing.body)")
        }
        guard case .array = try await json(port, "/api/v1/allocations") else {
            Issue.record("the node's allocations are not a list")
            return
        }

        // A dashboard left open does not hold up the daemon's stop: its event stream ends with it.
        let watcher = try #require(LoopbackConnection(port: port, timeout: 10))
        #expect(watcher.send("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
        try await Task.sleep(for: .seconds(1))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        let watched = try await offThePool { watcher.readUntilClosed() }
        #expect(watched.closedByServer)
        #expect(String(decoding: watched.received, as: UTF8.self).contains("event: node"))
    }
}

extension JSONValue {
    /// The element at `index` of an array.
    fileprivate subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
