import DMSActor
import DMSCore
import DMSNode
import Hummingbird
import NIOCore

/// `/api/v1/actor/*`: the node's handle, and relaying of envelopes that clients signed themselves. The
/// API adds no authority of its own: what an envelope may do is decided by its signature and tokens at
/// the receiving actor.
enum ActorRoutes {
    static let bodyLimit = 2 << 20

    static func register(on router: Router<BasicRequestContext>, gateway: ClientGateway) {
        let group = router.group("api/v1/actor")
        group.get("handle") { _, _ in json(gateway.node.handle.encoding) }
        group.post("send") { request, _ in
            let envelope = try await decode(request)
            return await answer { () throws(ActorError) in
                try await gateway.send(envelope)
                return JSONWriter().bytes(.object([("message", .string("message sent"))]))
            }
        }
        group.post("invoke") { request, _ in
            let envelope = try await decode(request)
            return await answer { () throws(ActorError) in try await gateway.invoke(envelope).encoding }
        }
        group.post("broadcast") { request, _ in
            let envelope = try await decode(request)
            return await answer { () throws(ActorError) in
                let replies = try await gateway.broadcast(envelope)
                var output: [UInt8] = [UInt8(ascii: "[")]
                for (index, reply) in replies.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    output.append(contentsOf: reply.encoding)
                }
                output.append(UInt8(ascii: "]"))
                return output
            }
        }
    }

    private static func decode(_ request: Request) async throws -> Envelope {
        var request = request
        let body = try await request.collectBody(upTo: bodyLimit)
        do throws(ActorError) {
            return try Envelope(decoding: Array(buffer: body))
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    /// Runs `operation`, mapping actor errors to HTTP statuses with `{"error": …}` bodies.
    private static func answer(_ operation: () async throws(ActorError) -> [UInt8]) async -> Response {
        do {
            return json(try await operation())
        } catch {
            let status: HTTPResponse.Status
            switch error {
            case .timeout: status = .gatewayTimeout
            case .network: status = .badGateway
            default: status = .badRequest
            }
            return json(
                JSONWriter().bytes(.object([("error", .string(error.description)), ("code", .string(error.code))])),
                status: status)
        }
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
