/// One HTTP/1.1 request: the body, when there is one, is sent with its length.
public struct HTTPRequest: Sendable {
    public var method: String
    /// Path and query, already percent-encoded.
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(_ method: String, _ target: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil)
    {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

/// A whole response, for requests whose answer fits in memory.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A response whose body arrives as it is produced (a log that follows, progress lines of a pull, a wait
/// that answers when a container exits). Dropping the stream closes the connection.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: AsyncThrowingStream<[UInt8], any Error>

    /// Reads the rest of the body; more than `limit` bytes is an error (a server that never stops).
    public func collect(limit: Int = 64 << 20) async throws -> HTTPResponse {
        var bytes: [UInt8] = []
        for try await chunk in body {
            bytes.append(contentsOf: chunk)
            if bytes.count > limit { throw HTTPClientError(description: "response body larger than \(limit) bytes") }
        }
        return HTTPResponse(status: status, headers: headers, body: bytes)
    }
}

public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// Nothing listens at the endpoint (the request never left): callers can say "is the server running?".
    public let couldNotConnect: Bool
    public init(description: String, couldNotConnect: Bool = false) {
        self.description = description
        self.couldNotConnect = couldNotConnect
    }
}
