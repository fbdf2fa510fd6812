import Synchronization

/// Where the reply to one invocation lands. It may be filled before the caller starts waiting (a fast
/// reply), and only the first result counts.
final class ReplySlot: Sendable {
    let deadline: UInt64
    private let state = Mutex<
        (result: Result<Envelope, ActorError>?, waiter: CheckedContinuation<Result<Envelope, ActorError>, Never>?)
    >((nil, nil))

    init(deadline: UInt64) { self.deadline = deadline }

    /// Records the result unless one is already there; wakes the waiter.
    func fill(_ result: Result<Envelope, ActorError>) {
        let waiter: CheckedContinuation<Result<Envelope, ActorError>, Never>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    func wait() async -> Result<Envelope, ActorError> {
        await withCheckedContinuation { continuation in
            let ready: Result<Envelope, ActorError>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
