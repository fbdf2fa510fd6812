import Synchronization

/// The actors of one process by inbox, with their parent links, so the node can list and reach its
/// children. Inboxes are unique per host.
public final class ActorRegistry: Sendable {
    public struct Entry: Sendable {
        public let handle: ActorHandle
        public let parent: String?
        public let actor: BasicActor
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    func register(_ actor: BasicActor, parent: String?) throws(ActorError) {
        try entries.withLock { (entries: inout [String: Entry]) throws(ActorError) in
            let inbox = actor.handle.address.inbox
            guard entries[inbox] == nil else { throw .invalidRequest("an actor with inbox \(inbox) already exists") }
            entries[inbox] = Entry(handle: actor.handle, parent: parent, actor: actor)
        }
    }

    func unregister(_ inbox: String) { _ = entries.withLock { $0.removeValue(forKey: inbox) } }

    public func actor(inbox: String) -> BasicActor? { entries.withLock { $0[inbox]?.actor } }

    public func children(of inbox: String) -> [Entry] {
        entries.withLock {
            $0.values.filter { $0.parent == inbox }.sorted { $0.handle.address.inbox < $1.handle.address.inbox }
        }
    }

    public var all: [Entry] {
        entries.withLock { $0.values.sorted { $0.handle.address.inbox < $1.handle.address.inbox } }
    }
}
