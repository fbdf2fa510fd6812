import DMSCore
import DMSHTTPClient
import Foundation

/// The CLI's HTTP/1.1 client for the local daemon's REST API: one request per connection, JSON in and
/// out. Errors name the address so "is the daemon running?" is easy to answer.
public struct DaemonClient: Sendable {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
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
        let headers: [(name: String, value: String)] = body == nil ? [] : [("Content-Type", "application/json")]
        do {
            let response = try await client.send(
                HTTPRequest(method, path, headers: headers, body: body), timeout: timeout)
            return Response(status: response.status, body: response.body)
        } catch let error as HTTPClientError where error.couldNotConnect {
            throw Failure(
                description: "cannot reach the node's REST API at \(host):\(port) (is `nunet run` running?): \(error)")
        } catch {
            throw Failure(description: "REST request \(method) \(path) to \(host):\(port) failed: \(error)")
        }
    }
}
