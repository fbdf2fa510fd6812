/// How much the REST server gives each client: the API is reachable by anything that can open a TCP
/// connection to it, so no client may hold more than a bounded share of its sockets, memory or time.
public struct RESTLimits: Sendable, Equatable {
    /// Most connections open at once; the next one is closed as soon as it is accepted.
    public var maxConnections: Int
    /// Time to deliver complete request headers, from connecting or from the end of the previous response.
    public var headerTimeout: Duration
    /// Time to deliver the whole body once the headers are in.
    public var bodyTimeout: Duration

    public init(maxConnections: Int = 256, headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30))
    {
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }
}
