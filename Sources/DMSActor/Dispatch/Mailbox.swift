import DequeModule
import Synchronization

/// A bounded message queue feeding a fixed number of workers. A full queue refuses new messages
/// (the caller reports overload) instead of growing or dropping silently.
final class Mailbox: Sendable {
    private struct State {
        var queue = Deque<Envelope>()
        var waiting: [CheckedContinuation<Envelope?, Never>] = []
        var closed = false
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = capacity }

    /// Queues a message (or hands it to an idle worker); false when the queue is full or closed.
    func offer(_ envelope: Envelope) -> Bool {
        let (accepted, waiter): (Bool, CheckedContinuation<Envelope?, Never>?) = state.withLock { state in
            guard !state.closed else { return (false, nil) }
            if !state.waiting.isEmpty { return (true, state.waiting.removeFirst()) }
            guard state.queue.count < capacity else { return (false, nil) }
            state.queue.append(envelope)
            return (true, nil)
        }
        waiter?.resume(returning: envelope)
        return accepted
    }

    /// The next message, or nil once the mailbox is closed and drained.
    func next() async -> Envelope? {
        if let ready = state.withLock({ $0.queue.popFirst() }) { return ready }
        return await withCheckedContinuation { continuation in
            let immediate: Envelope?? = state.withLock { state in
                if let ready = state.queue.popFirst() { return .some(ready) }
                if state.closed { return .some(nil) }
                state.waiting.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Stops accepting messages and releases idle workers.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    var depth: Int { state.withLock { $0.queue.count } }
}
