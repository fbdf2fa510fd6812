/// Starts children in order, watches them, and applies its strategy when one ends: restarts per the
/// children's policies, with backoff, within a restart intensity. Beyond the intensity it stops every
/// child and fails; as a child of another supervisor that failure escalates upwards. Exits are handled
/// one at a time, in the order they happen.
public actor Supervisor: SupervisedProcess {
    public nonisolated let name: String
    public nonisolated let strategy: SupervisorStrategy
    public nonisolated let intensity: RestartIntensity
    public nonisolated let backoff: Backoff
    private let specifications: [ChildSpecification]
    private let onEvent: @Sendable (SupervisorEvent) -> Void

    private struct Running {
        let process: any SupervisedProcess
        let generation: Int
    }

    private var running: [String: Running] = [:]
    private var generation = 0
    private var restartTimes: [ContinuousClock.Instant] = []
    private var restartCounts: [String: Int] = [:]
    private var recentRestarts: [String: [ContinuousClock.Instant]] = [:]
    private var exitResult: ProcessExit?
    private var exitWaiters: [CheckedContinuation<ProcessExit, Never>] = []
    private var log: [SupervisorEvent] = []
    private let exits: AsyncStream<(String, Int, ProcessExit)>
    private let exitSink: AsyncStream<(String, Int, ProcessExit)>.Continuation
    private var handler: Task<Void, Never>?

    public init(
        name: String, strategy: SupervisorStrategy, intensity: RestartIntensity = .default, backoff: Backoff = .none,
        children: [ChildSpecification], onEvent: @escaping @Sendable (SupervisorEvent) -> Void = { _ in }
    ) {
        self.name = name
        self.strategy = strategy
        self.intensity = intensity
        self.backoff = backoff
        self.specifications = children
        self.onEvent = onEvent
        (exits, exitSink) = AsyncStream.makeStream()
    }

    /// Starts every child in order. If one cannot start, those already started are stopped.
    public func start() async throws {
        handler = Task { [weak self, exits] in
            for await (name, generation, exit) in exits { await self?.handleExit(name, generation, exit) }
        }
        for specification in specifications {
            do {
                try await launch(specification)
            } catch {
                record(.startFailed(specification.name, String(describing: error)))
                await stopChildren(specifications.map(\.name))
                throw error
            }
        }
    }

    public func stop() async {
        guard exitResult == nil else { return }
        await stopChildren(specifications.map(\.name))
        finish(.normal)
    }

    public func waitForExit() async -> ProcessExit {
        if let exitResult { return exitResult }
        return await withCheckedContinuation { exitWaiters.append($0) }
    }

    /// Restarts per child since start.
    public var restarts: [String: Int] { restartCounts }
    /// Everything that happened, in order.
    public var events: [SupervisorEvent] { log }
    public var runningChildren: [String] { specifications.map(\.name).filter { running[$0] != nil } }

    /// The running process of a child, to interact with it.
    public func child(_ name: String) -> (any SupervisedProcess)? { running[name]?.process }

    private func record(_ event: SupervisorEvent) {
        log.append(event)
        onEvent(event)
    }

    private func launch(_ specification: ChildSpecification) async throws {
        let process = try await specification.start()
        watch(specification.name, process)
        record(.started(specification.name))
    }

    private func watch(_ name: String, _ process: any SupervisedProcess) {
        generation += 1
        let current = generation
        running[name] = Running(process: process, generation: current)
        let sink = exitSink
        Task {
            let exit = await process.waitForExit()
            sink.yield((name, current, exit))
        }
    }

    private func handleExit(_ name: String, _ childGeneration: Int, _ exit: ProcessExit) async {
        guard exitResult == nil, let current = running[name], current.generation == childGeneration else { return }
        running[name] = nil
        record(.exited(name, exit))
        guard let specification = specifications.first(where: { $0.name == name }) else { return }
        switch (specification.restart, exit) {
        case (.temporary, _), (.transient, .normal): return
        default: break
        }
        let now = ContinuousClock.now
        restartTimes = restartTimes.filter { now - $0 < intensity.period } + [now]
        if restartTimes.count > intensity.maximumRestarts {
            let reason = "\(name): more than \(intensity.maximumRestarts) restarts in \(intensity.period)"
            record(.escalated(reason))
            await stopChildren(specifications.map(\.name))
            finish(.failure("supervisor \(self.name) gave up: \(reason)"))
            return
        }
        let names = specifications.map(\.name)
        let affected: [String]
        switch strategy {
        case .oneForOne: affected = [name]
        case .allForOne: affected = names
        case .restForOne: affected = Array(names[names.firstIndex(of: name)!...])
        }
        await stopChildren(affected.filter { $0 != name })
        recentRestarts[name] = (recentRestarts[name] ?? []).filter { now - $0 < intensity.period } + [now]
        let delay = backoff.delay(afterRestarts: recentRestarts[name]?.count ?? 1)
        if delay > .zero { try? await Task.sleep(for: delay) }
        for child in affected {
            guard exitResult == nil, running[child] == nil,
                let childSpecification = specifications.first(where: { $0.name == child })
            else { continue }
            restartCounts[child, default: 0] += 1
            record(.restarted(child, delay: child == name ? delay : .zero))
            do {
                try await launch(childSpecification)
            } catch {
                // A child that cannot start counts as failing again, within the same intensity.
                record(.startFailed(child, String(describing: error)))
                watch(child, FailedStart(reason: "start failed: \(error)"))
            }
        }
    }

    /// Stops the named running children in reverse start order; their exits are not treated as failures.
    private func stopChildren(_ names: [String]) async {
        for name in specifications.map(\.name).reversed() where names.contains(name) {
            guard let child = running.removeValue(forKey: name) else { continue }
            await child.process.stop()
            record(.stopped(name))
        }
    }

    private func finish(_ exit: ProcessExit) {
        guard exitResult == nil else { return }
        exitResult = exit
        exitSink.finish()
        for waiter in exitWaiters { waiter.resume(returning: exit) }
        exitWaiters = []
    }
}

/// Stands in for a child whose start failed, so the failure goes through the normal exit handling.
private struct FailedStart: SupervisedProcess {
    let reason: String
    func waitForExit() async -> ProcessExit { .failure(reason) }
    func stop() async {}
}
