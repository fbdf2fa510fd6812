import DMSNode
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// The read-only JSON routes the dashboard is built on, for scripts as much as for the page:
/// `/api/v1/node`, `/api/v1/deployments[/{id}]`, an allocation's logs (`follow=true` streams them),
/// `/api/v1/allocations`, `/api/v1/figures` (the last hour) and `/api/v1/events` (live updates).
enum ReadRoutes {
    /// The deployments the live view carries (the newest).
    static let liveDeployments = 50

    static func register(
        on router: Router<BasicRequestContext>, node: Node, history: FigureHistory, shutdown: StreamShutdown
    ) {
        let group = router.group("api/v1")
        group.get("node") { request, _ in
            _ = try QueryParameters(request, allowed: [])
            return try json(await node.overview())
        }
        group.get("deployments") { request, _ in
            let query = try QueryParameters(request, allowed: ["limit", "offset", "status"])
            let limit = try query.integer("limit", in: 1...1000, default: 100)
            let offset = try query.integer("offset", in: 0...Int(Int32.max), default: 0)
            let statuses = query.list("status")
            return try json(
                try await read { () throws(NodeReadError) in
                    try await node.deploymentListing(limit: limit, offset: offset, statuses: statuses)
                })
        }
        group.get("deployments/{id}") { request, context in
            _ = try QueryParameters(request, allowed: [])
            let id = try context.parameters.require("id")
            return try json(try await read { () throws(NodeReadError) in try await node.deploymentDetail(id) })
        }
        group.get("deployments/{id}/allocations/{name}/logs") { request, context in
            let query = try QueryParameters(request, allowed: ["stdout_offset", "stderr_offset", "follow"])
            let id = try context.parameters.require("id")
            let name = try context.parameters.require("name")
            let stdoutOffset = try query.offset("stdout_offset")
            let stderrOffset = try query.offset("stderr_offset")
            let follow = try query.boolean("follow", default: false)
            let first = try await read { () throws(NodeReadError) in
                try await node.deploymentLogs(
                    id, allocation: name, stdoutOffset: stdoutOffset, stderrOffset: stderrOffset)
            }
            guard follow else { return try json(first) }
            let cursor = LogCursor(first)
            return ServerSentEvents.response(shutdown: shutdown) { send in
                let chunk: LogChunk
                switch cursor.next() {
                case .pending(let first): chunk = first
                case .from(let stdout, let stderr):
                    chunk = try await node.deploymentLogs(
                        id, allocation: name, stdoutOffset: stdout, stderrOffset: stderr)
                }
                cursor.advance(past: chunk)
                if !chunk.stdout.isEmpty || !chunk.stderr.isEmpty || !chunk.running {
                    try await send(ServerSentEvents.event("logs", json: try encode(chunk)))
                }
                return chunk.running
            }
        }
        group.get("allocations") { request, _ in
            _ = try QueryParameters(request, allowed: [])
            return try json(await node.hostedAllocations())
        }
        group.get("figures") { request, _ in
            let query = try QueryParameters(request, allowed: ["since"])
            let since = try query.value("since").map { text throws(HTTPError) in
                guard let seconds = Double(text), seconds.isFinite else {
                    throw QueryParameters.invalid("since", text, "must be a time in Unix seconds")
                }
                return seconds
            }
            return try json(FigureSeries(interval: 10, samples: history.samples.filter { $0.at > (since ?? 0) }))
        }
        group.get("events") { request, _ in
            _ = try QueryParameters(request, allowed: [])
            let sentLast = LastSent()
            return ServerSentEvents.response(shutdown: shutdown) { send in
                var events: [(String, [UInt8])] = [
                    ("node", try encode(await node.overview())),
                    ("allocations", try encode(await node.hostedAllocations())),
                ]
                if let listing = try? await node.deploymentListing(
                    limit: liveDeployments, offset: 0, statuses: [])
                {
                    events.append(("deployments", try encode(listing)))
                }
                if let latest = history.latest { events.append(("figures", try encode(latest))) }
                for (name, bytes) in events where sentLast.changed(name, bytes) {
                    try await send(ServerSentEvents.event(name, json: bytes))
                }
                return true
            }
        }
    }

    /// The figures of the last hour, oldest first, sampled every `interval` seconds.
    struct FigureSeries: Encodable {
        let interval: Int
        let samples: [NodeFigures]
    }

    /// Maps a read's failure to its HTTP status: 404 for what does not exist, 400 for a request that
    /// breaks a rule, 503 for what this node cannot answer.
    static func read<T>(_ body: () async throws(NodeReadError) -> T) async throws(HTTPError) -> T {
        do {
            return try await body()
        } catch {
            switch error.kind {
            case .notFound: throw HTTPError(.notFound, message: error.description)
            case .invalid: throw HTTPError(.badRequest, message: error.description)
            case .unavailable: throw HTTPError(.serviceUnavailable, message: error.description)
            }
        }
    }

    /// JSON with sorted keys; a value that cannot be encoded is the server's error (500), never a
    /// made-up body.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func json(_ value: some Encodable) throws -> Response { ActorRoutes.json(try encode(value)) }
}

/// Where a followed log continues: the first chunk (read before the stream starts, so a missing
/// deployment is a 404 rather than an empty stream), then the offsets after the last chunk sent.
private final class LogCursor: Sendable {
    enum Next {
        case pending(LogChunk)
        case from(stdout: UInt64, stderr: UInt64)
    }

    private let state: Mutex<(pending: LogChunk?, stdout: UInt64, stderr: UInt64)>

    init(_ first: LogChunk) { state = Mutex((first, 0, 0)) }

    func next() -> Next {
        state.withLock { state in
            if let first = state.pending {
                state.pending = nil
                return .pending(first)
            }
            return .from(stdout: state.stdout, stderr: state.stderr)
        }
    }

    func advance(past chunk: LogChunk) {
        state.withLock { state in
            state.stdout = chunk.stdoutOffset
            state.stderr = chunk.stderrOffset
        }
    }
}

/// What a live stream last sent of each kind, so an unchanged view is not sent again.
private final class LastSent: Sendable {
    private let sent = Mutex([String: [UInt8]]())

    /// Records `bytes` as sent for `name`; true if they differ from what was sent before.
    func changed(_ name: String, _ bytes: [UInt8]) -> Bool {
        sent.withLock { sent in
            guard sent[name] != bytes else { return false }
            sent[name] = bytes
            return true
        }
    }
}
