import DMSActor
import DMSCore
import DMSCrypto

/// An actor handle inside deployment messages and records: enough to address the actor again, also
/// after a restart.
public struct HandleReference: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Base64 of the actor's protobuf public key.
    public var id: String
    public var did: String
    public var host: String
    public var inbox: String

    public init(_ handle: ActorHandle) {
        id = Base64.encode(handle.id)
        did = handle.did.uri
        host = handle.address.host
        inbox = handle.address.inbox
    }

    public func handle() throws -> ActorHandle {
        guard let key = Base64.decode(id) else { throw ActorError.invalidRequest("actor id \(id) is not base64") }
        return ActorHandle(id: key, did: try DID(did), address: ActorAddress(host: host, inbox: inbox))
    }

    public var description: String { (try? handle().description) ?? "\(host):\(inbox)" }
}
