import DMSCore
import DMSHTTPClient
import Foundation

/// The CLI's HTTP/1.1 client for the local daemon's REST API: one request per connection, JSON in and
/// out. Errors name the address so "is the daemon running?" is easy to answer.
public struct DaemonClient: Sendable {
    public let host: String
    public let port: Int
    /// Sent as a bearer token: needed when the daemon listens beyond loopback (`nunet rest token new`).
    public let token: String?

    public init(host: String, port: Int, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]

        /// The `error` message of a JSON error body, when there is one.
        public var errorMessage: String? {
            guard let document = try? JSONParser.parse(body), case .string(let message)? = document["error"] else {
                return nil
            }
            return message
        }
    }

    public func get(_ path: String, timeout: Duration = .seconds(10)) async throws -> Response {
        try await request("GET", path, body: nil, timeout: timeout)
    }

    public func post(_ path: String, body: [UInt8], timeout: Duration) async throws -> Response {
        try await request("POST", path, body: body, timeout: timeout)
    }

    private func request(_ method: String, _ path: String, body: [UInt8]?, timeout: Duration) async throws
        -> Response
    {
        let client = HTTP1Client(.tcp(host: host, port: port))
        var headers: [(name: String, value: String)] = body == nil ? [] : [("Content-Type", "application/json")]
        if let token, !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        do {
            let response = try await client.send(
                HTTPRequest(method, path, headers: headers, body: body), timeout: timeout)
            if response.status == 401 {
                let reason = String(decoding: response.body, as: UTF8.self).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                throw Failure(
                    description:
                        "the node's REST API at \(host):\(port) refused the request: \(reason) (set NUNET_REST_TOKEN to a token from `nunet rest token new`)"
                )
            }
            return Response(status: response.status, body: response.body)
        } catch let failure as Failure {
            throw failure
        } catch let error as HTTPClientError where error.couldNotConnect {
            throw Failure(
                description: "cannot reach the node's REST API at \(host):\(port) (is `nunet run` running?): \(error)")
        } catch {
            throw Failure(description: "REST request \(method) \(path) to \(host):\(port) failed: \(error)")
        }
    }
}
