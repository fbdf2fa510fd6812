/// Runs `body`, failing with `timeout` if `deadline` passes first (the body is then cancelled).
public func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant, timeout: any Error,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            throw timeout
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
