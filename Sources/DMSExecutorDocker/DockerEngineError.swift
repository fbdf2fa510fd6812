/// A failed Docker Engine call, with the daemon's own message ("No such image: …", "manifest unknown").
public struct DockerEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status, 0 when the daemon could not be reached or the answer was not understood.
    public let status: Int
    public let message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    public var isNotFound: Bool { status == 404 }
}
