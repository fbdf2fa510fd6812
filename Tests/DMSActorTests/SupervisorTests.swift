import DMSActor
import DMSCapabilities
import DMSCrypto
import DMSNetwork
import Synchronization
import Testing

/// A child whose end the test decides.
final class TestProcess: SupervisedProcess {
    let name: String
    private let state = Mutex<(exit: ProcessExit?, waiters: [CheckedContinuation<ProcessExit, Never>])>((nil, []))

    init(name: String) { self.name = name }

    func waitForExit() async -> ProcessExit {
        await withCheckedContinuation { continuation in
            let exit: ProcessExit? = state.withLock { state in
                if let exit = state.exit { return exit }
                state.waiters.append(continuation)
                return nil
            }
            if let exit { continuation.resume(returning: exit) }
        }
    }

    func stop() async { end(.normal) }
    func crash() { end(.failure("\(name) crashed")) }

    func end(_ exit: ProcessExit) {
        let waiters = state.withLock { state -> [CheckedContinuation<ProcessExit, Never>] in
            guard state.exit == nil else { return [] }
            state.exit = exit
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: exit) }
    }

    var hasEnded: Bool { state.withLock { $0.exit != nil } }
}

/// Creates test processes and remembers every instance per child name.
final class ProcessFactory: Sendable {
    private let instances = Mutex<[String: [TestProcess]]>([:])

    func specification(_ name: String, restart: RestartPolicy = .permanent) -> ChildSpecification {
        ChildSpecification(name: name, restart: restart) { [self] in
            let process = TestProcess(name: name)
            instances.withLock { $0[name, default: []].append(process) }
            return process
        }
    }

    func latest(_ name: String) -> TestProcess? { instances.withLock { $0[name]?.last } }
    func count(_ name: String) -> Int { instances.withLock { $0[name]?.count ?? 0 } }
}

@Suite struct SupervisorTests {
    let factory = ProcessFactory()

    func supervisor(_ strategy: SupervisorStrategy, intensity: RestartIntensity = .default, backoff: Backoff = .none)
        -> Supervisor
    {
        Supervisor(
            name: "test", strategy: strategy, intensity: intensity, backoff: backoff,
            children: ["a", "b", "c"].map { factory.specification($0) })
    }

    func restarted(_ supervisor: Supervisor, _ expected: [String: Int]) async -> Bool {
        // Generous: the condition usually holds within milliseconds, but CPU-heavy tests running in
        // parallel can starve the two cooperative threads of a small machine for seconds.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await supervisor.restarts == expected { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test func oneForOneRestartsOnlyTheFailedChild() async throws {
        let supervisor = supervisor(.oneForOne)
        try await supervisor.start()
        let (a, c) = (factory.latest("a")!, factory.latest("c")!)
        factory.latest("b")!.crash()
        #expect(await restarted(supervisor, ["b": 1]))
        #expect(factory.count("b") == 2)
        #expect(!a.hasEnded && !c.hasEnded)
        await supervisor.stop()
        #expect(a.hasEnded && c.hasEnded && factory.latest("b")!.hasEnded)
        #expect(await supervisor.waitForExit() == .normal)
    }

    @Test func allForOneRestartsEveryChildInOrderAfterStoppingTheOthersInReverse() async throws {
        let supervisor = supervisor(.allForOne)
        try await supervisor.start()
        let firstA = factory.latest("a")!
        factory.latest("b")!.crash()
        #expect(await restarted(supervisor, ["a": 1, "b": 1, "c": 1]))
        #expect(firstA.hasEnded)
        let events = await supervisor.events
        let order = events.compactMap { event -> String? in
            if case .started(let name) = event { return name }
            if case .stopped(let name) = event { return "-\(name)" }
            return nil
        }
        #expect(order == ["a", "b", "c", "-c", "-a", "a", "b", "c"])
        await supervisor.stop()
    }

    @Test func restForOneRestartsTheFailedChildAndThoseStartedAfterIt() async throws {
        let supervisor = supervisor(.restForOne)
        try await supervisor.start()
        let a = factory.latest("a")!
        factory.latest("b")!.crash()
        #expect(await restarted(supervisor, ["b": 1, "c": 1]))
        #expect(!a.hasEnded)
        #expect(factory.count("a") == 1)
        await supervisor.stop()
    }

    @Test func restartPoliciesDecideWhetherAnExitRestarts() async throws {
        let supervisor = Supervisor(
            name: "policies", strategy: .oneForOne,
            children: [
                factory.specification("permanent", restart: .permanent),
                factory.specification("transient", restart: .transient),
                factory.specification("temporary", restart: .temporary),
            ])
        try await supervisor.start()
        factory.latest("permanent")!.end(.normal)
        factory.latest("transient")!.end(.normal)
        factory.latest("temporary")!.crash()
        #expect(await restarted(supervisor, ["permanent": 1]))
        #expect(await supervisor.runningChildren == ["permanent"])
        await supervisor.stop()
        let transientAgain = Supervisor(
            name: "t", strategy: .oneForOne, children: [factory.specification("t2", restart: .transient)])
        try await transientAgain.start()
        factory.latest("t2")!.crash()
        #expect(await restarted(transientAgain, ["t2": 1]))
        await transientAgain.stop()
    }

    @Test func exceedingTheRestartIntensityStopsEverythingAndFails() async throws {
        let supervisor = supervisor(.oneForOne, intensity: RestartIntensity(maximumRestarts: 2, period: .seconds(30)))
        try await supervisor.start()
        for round in 1...2 {
            factory.latest("b")!.crash()
            #expect(await restarted(supervisor, ["b": round]))
        }
        factory.latest("b")!.crash()
        let exit = await supervisor.waitForExit()
        guard case .failure(let reason) = exit else {
            Issue.record("expected a failure, got \(exit)")
            return
        }
        #expect(reason.contains("more than 2 restarts"))
        #expect(factory.latest("a")!.hasEnded && factory.latest("c")!.hasEnded)
        #expect(await supervisor.runningChildren.isEmpty)
    }

    @Test func anEscalationIsHandledByTheParentSupervisor() async throws {
        let inner = ProcessFactory()
        let parent = Supervisor(
            name: "parent", strategy: .oneForOne,
            children: [
                factory.specification("sibling"),
                ChildSpecification(name: "inner") {
                    let child = Supervisor(
                        name: "inner", strategy: .oneForOne,
                        intensity: RestartIntensity(maximumRestarts: 0, period: .seconds(30)),
                        children: [inner.specification("worker")])
                    try await child.start()
                    return child
                },
            ])
        try await parent.start()
        inner.latest("worker")!.crash()
        #expect(await restarted(parent, ["inner": 1]))
        #expect(inner.count("worker") == 2, "the restarted inner supervisor started a fresh worker")
        #expect(!factory.latest("sibling")!.hasEnded)
        await parent.stop()
    }

    @Test func backoffDelaysGrowWithRepeatedRestarts() async throws {
        let supervisor = supervisor(
            .oneForOne, intensity: RestartIntensity(maximumRestarts: 10, period: .seconds(30)),
            backoff: Backoff(initial: .milliseconds(40), multiplier: 2, maximum: .milliseconds(100)))
        try await supervisor.start()
        for round in 1...3 {
            factory.latest("a")!.crash()
            #expect(await restarted(supervisor, ["a": round]))
        }
        let delays = await supervisor.events.compactMap { event -> Duration? in
            if case .restarted("a", let delay) = event { return delay }
            return nil
        }
        #expect(delays == [.milliseconds(40), .milliseconds(80), .milliseconds(100)])
        await supervisor.stop()
    }

    @Test func childActorsAreSupervisedAndComeBackOnTheirInbox() async throws {
        let hub = InMemoryNetworkHub()
        let parent = try TestNode(hub: hub)
        let caller = try TestNode(hub: hub)
        try parent.trust(caller, capabilities: ["/work"])
        let incarnations = Recorder()
        let supervisor = Supervisor(
            name: "allocations", strategy: .oneForOne,
            children: [
                ChildSpecification(name: "alloc-1") {
                    let child = parent.actor.createChild(inbox: "alloc-1")
                    incarnations.record(child.handle.description)
                    child.addBehavior("/work") { _ in json("\"working\"") }
                    try child.start()
                    return child
                }
            ])
        try await supervisor.start()
        #expect(parent.actor.children.map(\.address.inbox) == ["alloc-1"])
        let first = try #require(parent.actor.registry.actor(inbox: "alloc-1"))
        #expect(first.parentInbox == "root")
        #expect(first.handle.did == parent.did)
        #expect(first.handle.id != parent.handle.id, "children have their own keys")
        let reply = try await caller.actor.invoke(caller.actor.message(to: first.handle, behavior: "/work"))
        #expect(text(reply.message) == "\"working\"")

        await first.fail(.handlerFailed("allocation crashed"))
        #expect(await restarted(supervisor, ["alloc-1": 1]))
        // The restart is counted as it begins; the new incarnation registers on the inbox as it starts.
        var second = parent.actor.registry.actor(inbox: "alloc-1")
        let deadline = ContinuousClock.now + .seconds(30)
        while second == nil || second === first, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
            second = parent.actor.registry.actor(inbox: "alloc-1")
        }
        let restartedChild = try #require(second)
        #expect(restartedChild !== first)
        let again = try await caller.actor.invoke(
            caller.actor.message(to: restartedChild.handle, behavior: "/work"))
        #expect(text(again.message) == "\"working\"")
        #expect(incarnations.count == 2)
        await supervisor.stop()
        #expect(parent.actor.children.isEmpty)
    }
}
