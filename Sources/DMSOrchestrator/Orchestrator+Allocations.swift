import DMSActor
import DMSEnsemble
import DMSExecutor
import DMSMessages
import Foundation

extension Orchestrator {
    /// One run of an allocation as the supervisor sees it: waits for its dependencies (a task must have
    /// completed, a service must be running), starts it, and watches it until it ends. Missed liveness
    /// answers in a row mean the provider is gone.
    func runAllocation(_ name: String) async -> ProcessExit {
        guard let allocation = ensemble.allocations[name] else { return .failure("unknown allocation \(name)") }
        stopRequested.remove(name)
        progress[name]?.phase = .waiting
        // A failed dependency is waited for too: supervision restarts it, or the deployment ends.
        for dependency in allocation.dependsOn {
            let needsCompletion = ensemble.allocations[dependency]?.type == .task
            var ended = false
            await until {
                if suspended || record.status.isTerminal || stopRequested.contains(name) {
                    ended = true
                    return true
                }
                switch progress[dependency]?.phase {
                case .completed?: return true
                case .started?: return !needsCompletion
                default: return false
                }
            }
            if ended { return .normal }
        }
        if let failure = await recoverLostNode(of: name) { return failed(name, failure) }
        guard let handle = record.manifest.allocations[name]?.handle else {
            return failed(name, "no allocation actor (not allocated)")
        }
        var run: Int
        if progress[name]?.reattach == true {
            progress[name]?.reattach = false
            guard
                let status = try? await call(
                    handle, Behaviors.allocationStatus, NoPayload())
            else { return failed(name, "provider unreachable after the restart") }
            if status.state == .running || status.state == .pending && status.run == 0 {
                run = status.state == .running ? status.run : 0
            } else {
                return ended(name, status)
            }
            if run == 0, let started = await start(name, handle) {
                run = started
            } else if run == 0 {
                return .failure(failureReason(name))
            }
        } else {
            guard let started = await start(name, handle) else { return .failure(failureReason(name)) }
            run = started
        }
        markStarted(name, run: run)
        if let check = allocation.healthcheck {
            let interval = check.interval ?? settings.healthInterval
            Task { await self.watchHealth(name, handle: handle, run: run, interval: interval) }
        }
        var misses = 0
        while true {
            do {
                let status = try await call(
                    handle, Behaviors.allocationWait,
                    AllocationWaitRequest(run: run, hold: settings.waitHold),
                    timeout: settings.waitHold + settings.invokeTimeout)
                misses = 0
                if status.run != run || status.state != .running { return ended(name, status) }
                // A stop that crossed a start on the way: ask again (stopping is idempotent).
                if stopRequested.contains(name) {
                    _ = try? await call(
                        handle, Behaviors.allocationStop, NoPayload())
                }
            } catch {
                misses += 1
                if stopRequested.contains(name) { return stoppedExit(name) }
                if misses >= settings.livenessFailures {
                    let node = record.manifest.allocations[name]?.nodeID ?? ""
                    let peer = record.manifest.nodes[node]?.peer ?? "?"
                    if !record.lostPeers.contains(peer) { record.lostPeers.append(peer) }
                    progress[name]?.providerLost = true
                    if ensemble.nodes[node]?.failureRecovery ?? .stayDown == .stayDown {
                        fatal = fatal ?? "node \(node): provider \(peer) unreachable (failure_recovery stay_down)"
                    }
                    return failed(name, "provider \(peer) unreachable: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(Int64(min(settings.waitHold, 1) * 1000)))
            }
            if suspended { return .normal }
        }
    }

    /// Before (re)starting on a provider that vanished, the node's `failure_recovery` decides: redeploy
    /// places the node elsewhere, restart tries the same provider again, stay_down ends the deployment.
    private func recoverLostNode(of name: String) async -> String? {
        guard let node = ensemble.node(of: name), let peer = record.manifest.nodes[node]?.peer,
            record.lostPeers.contains(peer)
        else { return nil }
        switch ensemble.nodes[node]?.failureRecovery ?? .stayDown {
        case .restart:
            return nil
        case .stayDown:
            fatal = fatal ?? "node \(node): provider \(peer) was lost (failure_recovery stay_down)"
            signal()
            return "provider \(peer) lost"
        case .redeploy:
            if let failure = await replaceNode(node) { return "node \(node) could not be redeployed: \(failure)" }
            return nil
        }
    }

    /// Starts a run. A start may take minutes (an image pull), so it gets `startTimeout`, and meanwhile the
    /// allocation's progress is read every second into the manifest, where `nunet deploy --wait` shows it.
    private func start(_ name: String, _ handle: HandleReference) async -> Int? {
        let watcher = Task { await self.followStartProgress(name, handle) }
        defer {
            watcher.cancel()
            setStartProgress(name, nil)
        }
        do {
            let reply = try await call(
                handle, Behaviors.allocationStart, NoPayload(), timeout: settings.startTimeout)
            guard reply.ok else {
                let reason = "start refused: \(reply.error ?? "no reason")"
                if reply.permanent == true { permanentFailure = permanentFailure ?? "allocation \(name): \(reason)" }
                _ = failed(name, reason)
                return nil
            }
            return reply.run
        } catch {
            _ = failed(name, "start failed: \(error)")
            return nil
        }
    }

    private func followStartProgress(_ name: String, _ handle: HandleReference) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            guard !Task.isCancelled,
                let status = try? await call(handle, Behaviors.allocationStatus, NoPayload(), timeout: 5),
                !Task.isCancelled
            else { continue }
            setStartProgress(name, status.progress)
        }
    }

    private func setStartProgress(_ name: String, _ progress: String?) {
        guard record.manifest.allocations[name] != nil, record.manifest.allocations[name]?.progress != progress else {
            return
        }
        record.manifest.allocations[name]?.progress = progress
        persist()
        signal()
    }

    private func failureReason(_ name: String) -> String {
        if case .failed(let reason)? = progress[name]?.phase { return reason }
        return "failed"
    }

    private func markStarted(_ name: String, run: Int) {
        progress[name]?.phase = .started
        progress[name]?.providerLost = false
        progress[name]?.run = run
        progress[name]?.unhealthy = nil
        everStarted.insert(name)
        record.manifest.allocations[name]?.status = "running"
        record.manifest.allocations[name]?.error = nil
        persist()
        signal()
    }

    private func failed(_ name: String, _ reason: String) -> ProcessExit {
        progress[name]?.phase = .failed(reason)
        record.manifest.allocations[name]?.status = "failed"
        record.manifest.allocations[name]?.error = reason
        persist()
        signal()
        return .failure(reason)
    }

    private func stoppedExit(_ name: String) -> ProcessExit {
        progress[name]?.phase = .stopped
        record.manifest.allocations[name]?.status = "stopped"
        persist()
        signal()
        return .normal
    }

    /// How a run ended, as the supervisor needs it: completed is normal, a requested stop is normal, a
    /// stop after failed health checks or anything else is a failure.
    private func ended(_ name: String, _ status: AllocationStatusReply) -> ProcessExit {
        record.manifest.allocations[name]?.exitCode = status.result?.exitCode
        if let usage = status.usage { record.manifest.allocations[name]?.usage = usage }
        Task { await self.pullLogs(name) }
        switch status.state {
        case .completed where ensemble.allocations[name]?.type == .service:
            return failed(name, "service exited 0 (a service runs until it is shut down)")
        case .completed:
            progress[name]?.phase = .completed
            record.manifest.allocations[name]?.status = "completed"
            record.manifest.allocations[name]?.error = nil
            persist()
            signal()
            return .normal
        case .stopped where stopRequested.contains(name) && progress[name]?.unhealthy == nil:
            return stoppedExit(name)
        default:
            if let unhealthy = progress[name]?.unhealthy { return failed(name, unhealthy) }
            return failed(name, status.reason ?? "ended \(status.state.rawValue)")
        }
    }

    /// Asks the allocation to stop (supervisor stopping siblings, shutdown); its run loop then ends.
    func stopAllocation(_ name: String) async {
        stopRequested.insert(name)
        signal()
        guard let handle = record.manifest.allocations[name]?.handle else { return }
        _ = try? await call(
            handle, Behaviors.allocationStop, NoPayload())
    }

    /// Checks the allocation's health every `interval` seconds while this run lasts; after the set number
    /// of failures in a row (an unhealthy answer or none) it stops the run, which then counts as failed.
    func watchHealth(_ name: String, handle: HandleReference, run: Int, interval: Double) async {
        var failures = 0
        while !suspended, progress[name]?.run == run, progress[name]?.phase == .started {
            try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            guard !suspended, progress[name]?.run == run, progress[name]?.phase == .started else { return }
            let message: String?
            do {
                let reply = try await call(
                    handle, Behaviors.allocationHealth, NoPayload(), timeout: settings.healthTimeout)
                message = reply.healthy ? nil : reply.message
            } catch {
                message = "no answer: \(error)"
            }
            guard let message else {
                failures = 0
                continue
            }
            failures += 1
            logger.warning(
                "health check failed (\(failures)/\(settings.healthFailures)): \(message)",
                metadata: ["allocation": "\(name)"])
            if failures >= settings.healthFailures {
                progress[name]?.unhealthy = "health check failed \(failures) times: \(message)"
                _ = try? await call(
                    handle, Behaviors.allocationStop, NoPayload())
                return
            }
        }
    }

    // MARK: - Logs

    func logDirectory(_ name: String) -> URL {
        settings.logDirectory.appendingPathComponent(id, isDirectory: true).appendingPathComponent(
            name, isDirectory: true)
    }

    /// Copies an allocation's logs from its provider into the local log directory.
    func pullLogs(_ name: String) async {
        guard let handle = record.manifest.allocations[name]?.handle else { return }
        var stdout = Data()
        var stderr = Data()
        var request = AllocationLogsRequest()
        while let reply = try? await call(
            handle, Behaviors.allocationLogs, request, timeout: 10)
        {
            stdout.append(Data(reply.stdout.utf8))
            stderr.append(Data(reply.stderr.utf8))
            if reply.stdoutOffset == request.stdoutOffset && reply.stderrOffset == request.stderrOffset { break }
            request = AllocationLogsRequest(stdoutOffset: reply.stdoutOffset, stderrOffset: reply.stderrOffset)
        }
        guard request.stdoutOffset > 0 || request.stderrOffset > 0 || !stdout.isEmpty || !stderr.isEmpty else { return }
        let directory = logDirectory(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try stdout.write(to: directory.appendingPathComponent(LogStream.stdout.fileName), options: .atomic)
            try stderr.write(to: directory.appendingPathComponent(LogStream.stderr.fileName), options: .atomic)
        } catch {
            logger.warning("logs of \(name) not written: \(error)")
        }
    }

    func pullAllLogs() async {
        for name in ensemble.allocations.keys.sorted() { await pullLogs(name) }
    }

    /// The allocation's output from the given offsets: from the provider while the deployment lives,
    /// from the local copy once it has ended.
    func logs(_ name: String, from request: AllocationLogsRequest) async throws(OrchestratorError) -> (
        AllocationLogsReply, URL
    ) {
        guard ensemble.allocations[name] != nil else { throw .unknownAllocation(id, name) }
        let directory = logDirectory(name)
        if !record.status.isTerminal, let handle = record.manifest.allocations[name]?.handle,
            let reply = try? await call(
                handle, Behaviors.allocationLogs, request, timeout: 10)
        {
            return (reply, directory)
        }
        // Before the allocation exists, more output is still to come.
        return (LogFiles.reply(from: directory, request, running: !record.status.isTerminal), directory)
    }
}
