/// The errors one exchange with one server can end in, each naming the name asked for and the server.
struct DNSExchangeFailures: Sendable {
    let name: String
    let server: String

    func unreachable(_ error: any Error) -> DNSError {
        if let error = error as? DNSError { return error }
        return .unreachable(name: name, server: server, reason: "\(error)")
    }

    func closed() -> DNSError {
        .unreachable(name: name, server: server, reason: "the connection closed before an answer came")
    }

    func timedOut() -> DNSError { .timedOut(name: name, servers: [server]) }
}
