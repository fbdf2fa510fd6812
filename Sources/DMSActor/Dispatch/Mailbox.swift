import DequeModule
import Synchronization

/// Admission to an actor's handlers: at most `concurrency` messages run at once, up to `capacity` more
/// wait, and beyond that messages are refused (the caller reports overload) rather than queued without
/// bound or dropped silently. A message that may run starts at once on the task that delivered it, and
/// a task that finishes a message takes the next waiting one, so no hand-off to worker tasks is needed.
final class Mailbox: Sendable {
    private struct State {
        var active = 0
        var queue = Deque<Envelope>()
        var closed = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private enum Admission { case run, queued, refused }

    let capacity: Int
    let concurrency: Int
    private let state = Mutex(State())

    init(capacity: Int, concurrency: Int) {
        self.capacity = capacity
        self.concurrency = max(1, concurrency)
    }

    /// Runs `envelope` through `process` now, or queues it; false when it was refused.
    func admit(_ envelope: Envelope, process: (Envelope) async -> Void) async -> Bool {
        let admission = state.withLock { state -> Admission in
            guard !state.closed else { return .refused }
            if state.active < concurrency {
                state.active += 1
                return .run
            }
            guard state.queue.count < capacity else { return .refused }
            state.queue.append(envelope)
            return .queued
        }
        switch admission {
        case .refused: return false
        case .queued: return true
        case .run:
            var next: Envelope? = envelope
            while let current = next {
                await process(current)
                let (following, waiters): (Envelope?, [CheckedContinuation<Void, Never>]) = state.withLock { state in
                    if let queued = state.queue.popFirst() { return (queued, []) }
                    state.active -= 1
                    guard state.active == 0 else { return (nil, []) }
                    defer { state.idle = [] }
                    return (nil, state.idle)
                }
                for waiter in waiters { waiter.resume() }
                next = following
            }
            return true
        }
    }

    /// Refuses new messages and waits until the running and queued ones are done.
    func close() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                state.closed = true
                guard state.active > 0 else { return true }
                state.idle.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    var depth: Int { state.withLock { $0.queue.count } }
}
