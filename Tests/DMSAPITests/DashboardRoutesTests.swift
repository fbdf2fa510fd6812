import DMSAPI
import DMSCore
import DMSNode
import Foundation
import NunetTestSupport
import Testing

/// The dashboard and its read routes on a real server on loopback: the page and its assets, the node's
/// identity, the figures of the last hour, live events, and 400s that name the parameter, value and rule.
@Suite struct DashboardRoutesTests {
    let directory = TemporaryDirectory()

    @Test func thePageAndItsAssetsComeFromTheBinaryUnderAStrictContentPolicy() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        try await RESTServerSupport.withServer(RESTServer.router(node: node)) { port in
            let page = try #require(try await RESTServerSupport.get(port: port, "/"))
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.headers["content-security-policy"]?.contains("default-src 'self'") == true)
            #expect(page.body.contains(#"<script src="/dashboard.js" defer></script>"#))
            #expect(!page.body.contains("<script>"), "no inline script (the policy would block it)")
            for (path, type) in [("/dashboard.js", "text/javascript"), ("/dashboard.css", "text/css")] {
                let asset = try #require(try await RESTServerSupport.get(port: port, path))
                #expect(asset.status == 200, "\(path)")
                #expect(asset.headers["content-type"]?.hasPrefix(type) == true, "\(path)")
                #expect(asset.body.count > 1000, "\(path)")
            }
            let script = try #require(try await RESTServerSupport.get(port: port, "/dashboard.js")).body
            #expect(!script.contains("innerHTML"), "node data is set as text, never markup")
        }
    }

    @Test func theNodeRouteNamesTheNodeAndItsBuild() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        try await RESTServerSupport.withServer(RESTServer.router(node: node)) { port in
            let answer = try #require(try await RESTServerSupport.get(port: port, "/api/v1/node"))
            #expect(answer.status == 200)
            let body = try JSONParser.parse(answer.body)
            #expect(body["did"] == .string(node.identity.did.uri))
            #expect(body["peer_id"] == .string(node.identity.peerID.description))
            #expect(body["version"] == .string(BuildInfo.version))
            #expect(body["peers"] == .array([]))
            // A node without deployments says so rather than listing nothing.
            let deployments = try #require(try await RESTServerSupport.get(port: port, "/api/v1/deployments"))
            #expect(deployments.status == 503)
            #expect(deployments.body.contains("takes no part in deployments"), "\(deployments.body)")
            #expect(try await RESTServerSupport.get(port: port, "/api/v1/allocations")?.body == "[]")
        }
    }

    @Test func malformedQueryParametersAre400sNamingFieldValueAndRule() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        try await RESTServerSupport.withServer(RESTServer.router(node: node)) { port in
            let cases: [(String, [String])] = [
                ("/api/v1/deployments?limit=abc", ["limit", "\\\"abc\\\"", "integer from 1 to 1000"]),
                ("/api/v1/deployments?limit=0", ["limit", "\\\"0\\\"", "integer from 1 to 1000"]),
                ("/api/v1/deployments?offset=-1", ["offset", "\\\"-1\\\"", "integer from 0"]),
                ("/api/v1/deployments?limit=1&limit=2", ["limit", "at most once"]),
                ("/api/v1/deployments?status=Sleeping", ["status", "\\\"Sleeping\\\"", "Running"]),
                (
                    "/api/v1/deployments?colour=blue",
                    ["colour", "\\\"blue\\\"", "not a parameter", "limit, offset, status"]
                ),
                ("/api/v1/deployments/x/allocations/y/logs?follow=yes", ["follow", "\\\"yes\\\"", "true or false"]),
                ("/api/v1/deployments/x/allocations/y/logs?stdout_offset=-5", ["stdout_offset", "whole number"]),
                ("/api/v1/figures?since=yesterday", ["since", "\\\"yesterday\\\"", "Unix seconds"]),
                ("/api/v1/node?verbose=1", ["verbose", "not a parameter"]),
                ("/api/v1/events?x=1", ["x", "not a parameter"]),
            ]
            for (path, fragments) in cases {
                let answer = try #require(try await RESTServerSupport.get(port: port, path))
                #expect(answer.status == 400, "\(path): \(answer.status) \(answer.body)")
                for fragment in fragments {
                    #expect(answer.body.contains(fragment), "\(path): \(fragment) in \(answer.body)")
                }
            }
        }
    }

    @Test func theFiguresOfTheLastHourComeOldestFirst() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        let history = FigureHistory()
        for second in [100.0, 110, 120] {
            var figures = NodeFigures(at: second)
            figures.messagesHandled = Int(second)
            history.record(figures)
        }
        try await RESTServerSupport.withServer(RESTServer.router(node: node, history: history)) { port in
            let all = try JSONParser.parse(
                try #require(try await RESTServerSupport.get(port: port, "/api/v1/figures")).body)
            #expect(all["interval"] == .number("10"))
            guard case .array(let samples)? = all["samples"] else {
                Issue.record("no samples in \(all)")
                return
            }
            #expect(samples.map { $0["messages_handled"] } == [.number("100"), .number("110"), .number("120")])
            let since = try JSONParser.parse(
                try #require(try await RESTServerSupport.get(port: port, "/api/v1/figures?since=105")).body)
            guard case .array(let recent)? = since["samples"] else {
                Issue.record("no samples in \(since)")
                return
            }
            #expect(recent.count == 2)
        }
    }

    @Test func theEventStreamSendsTheNodeAndTheLatestFigures() async throws {
        let node = try await RESTServerSupport.standaloneNode(in: directory)
        let history = FigureHistory()
        history.record(await node.figures())
        try await RESTServerSupport.withServer(RESTServer.router(node: node, history: history)) { port in
            let request = Array("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
            let received = try await offThePool { LoopbackNetwork.exchange(port: port, sending: request, timeout: 2) }
            let text = String(decoding: try #require(received).received, as: UTF8.self)
            #expect(text.lowercased().contains("content-type: text/event-stream"), "\(text)")
            #expect(text.contains("event: node\ndata: {"), "\(text)")
            #expect(text.contains(node.identity.peerID.description))
            #expect(text.contains("event: figures\ndata: {"), "\(text)")
        }
    }
}

/// The ring that keeps an hour of figures.
@Suite struct FigureHistoryTests {
    @Test func theRingKeepsTheNewestSamplesOldestFirst() {
        let history = FigureHistory(capacity: 3)
        #expect(history.samples.isEmpty)
        #expect(history.latest == nil)
        for second in 1...5 { history.record(NodeFigures(at: Double(second))) }
        #expect(history.samples.map(\.at) == [3, 4, 5])
        #expect(history.latest?.at == 5)
        history.record(NodeFigures(at: 6))
        #expect(history.samples.map(\.at) == [4, 5, 6])
    }

    @Test func anHourAtTenSecondsIsTheStandardCapacity() {
        #expect(FigureHistory.standardCapacity * 10 == 3600)
        #expect(FigureHistory().capacity == FigureHistory.standardCapacity)
    }
}
