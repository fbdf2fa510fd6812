import DMSCore
import DMSExecutor
import Foundation
import Logging

/// Runs containers through the Docker Engine API. An execution is one container, named after the execution
/// and labelled with its owner node, so a restarted daemon finds it again (`reattach`) and removes the ones
/// nobody claims (`removeOrphans`). The image is pulled when missing, with progress reported to the request;
/// the container gets every limit the allocation holds (see `ContainerConfig`); its stdout and stderr are
/// copied to stdout.log and stderr.log as they are written. A container is removed as soon as it has ended and
/// its output is drained, so nothing is left behind however it ended.
///
/// Results: the container's exit code; a stop by the node is `killed` with the reason; an out-of-memory kill
/// says so with the limit; a daemon that stops answering ends the execution with its error.
public actor DockerExecutor: TableBackedExecutor {
    public nonisolated let name = "docker"
    public nonisolated let settings: DockerSettings
    private let engine: DockerEngine
    private let logger: Logger
    /// Whether the storage driver caps a container's disk (checked once, on the first start).
    private var diskLimit: Bool?
    private var starting: Set<String> = []
    private var cachedAvailability: (at: ContinuousClock.Instant, value: ExecutorAvailability)?

    public struct Execution {
        var containerID: String
        var memoryLimit: UInt64
        var killReason: String?
        var timeout: Task<Void, Never>?
    }

    public var executions = ExecutionTable<Execution>()

    public init(settings: DockerSettings, logger: Logger = Logger(label: "nunet.docker")) {
        self.settings = settings
        self.engine = DockerEngine(endpoint: settings.endpoint)
        self.logger = logger
    }

    static func containerName(_ executionID: String) -> String {
        "nunet-" + String(executionID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    // MARK: - Availability

    /// Asks the daemon for its version, at most every few seconds (bids ask on every request).
    public func availability() async -> ExecutorAvailability {
        if let cached = cachedAvailability, ContinuousClock.now - cached.at < .seconds(5) { return cached.value }
        let value: ExecutorAvailability
        do {
            let version = try await engine.version()
            value = ExecutorAvailability(
                available: true, detail: "Docker \(version.version), API \(version.apiVersion)")
        } catch {
            value = ExecutorAvailability(available: false, detail: error.message)
        }
        cachedAvailability = (.now, value)
        return value
    }

    // MARK: - Start

    public func start(_ request: ExecutionRequest) async throws(ExecutorError) {
        let id = request.executionID
        try executions.ensureAbsent(id)
        guard !starting.contains(id) else { throw .alreadyExists(id) }
        guard case .docker(let workload) = request.workload else {
            throw .invalidWorkload("the docker executor runs container images only")
        }
        if workload.privileged && !settings.allowPrivileged {
            throw .invalidWorkload("privileged containers are not allowed on this provider (docker.allow_privileged)")
        }
        starting.insert(id)
        defer { starting.remove(id) }

        try await ensureImage(workload, progress: request.progress)
        let containerID = try await create(request, workload)
        do {
            let output = try LogCopier(directory: request.logDirectory)
            let stream = try await engine.attach(containerID)
            try await engine.start(containerID)
            try executions.insert(
                id,
                handle: Execution(
                    containerID: containerID, memoryLimit: ContainerConfig.memoryLimit(request.resources)),
                logDirectory: request.logDirectory)
            follow(id, containerID: containerID, output: output, stream: stream, timeout: request.timeout)
        } catch {
            try? await engine.remove(containerID)
            throw Self.failure("cannot start the container of \(id)", error)
        }
        logger.info("container started", metadata: ["execution": "\(id)", "container": "\(containerID.prefix(12))"])
    }

    private func ensureImage(_ workload: DockerWorkload, progress report: (@Sendable (String) -> Void)?)
        async throws(ExecutorError)
    {
        let image = workload.image
        do {
            if try await engine.imageExists(image) { return }
        } catch {
            throw .failed("Docker daemon unavailable: \(error.message)")
        }
        let registry = RegistryAuthHeader.registry(of: image)
        let login = workload.registryAuth ?? settings.credentials.login(for: image)
        let auth = login.map { RegistryAuthHeader($0, server: $0.server.isEmpty ? registry : $0.server) }
        let started = ContinuousClock.now
        let tracker = PullTracker(image: image, report: report)
        report?("pulling \(image)")
        do {
            try await engine.pull(image, auth: auth) { tracker.record($0) }
        } catch  where error.isNotFound {
            throw .notFound("image \(image) could not be pulled: \(error.message)")
        } catch {
            throw .failed("image \(image) could not be pulled: \(error.message)")
        }
        logger.info(
            "image pulled",
            metadata: [
                "image": "\(image)", "progress": "\(tracker.summary)", "seconds": "\(ContinuousClock.now - started)",
            ])
    }

    private func create(_ request: ExecutionRequest, _ workload: DockerWorkload) async throws(ExecutorError) -> String {
        if diskLimit == nil {
            // overlay2 caps a container's writable layer only on xfs mounted with project quotas.
            let info = try? await engine.info()
            diskLimit = info.map { $0.driver == "overlay2" && $0.backingFilesystem == "xfs" } ?? false
        }
        var labels = request.labels
        labels[DockerLabels.executor] = name
        labels[DockerLabels.owner] = settings.owner
        labels[DockerLabels.execution] = request.executionID
        let config = ContainerConfig(
            workload, resources: request.resources, mounts: request.mounts, labels: labels,
            pidsLimit: settings.pidsLimit, diskLimit: diskLimit ?? false, publishAddress: settings.publishAddress)
        let containerName = Self.containerName(request.executionID)
        do {
            return try await engine.createContainer(name: containerName, config)
        } catch  where error.status == 409 {
            // A container of that name left by a crash before it was recorded: replace it.
            try? await engine.remove(containerName)
            do {
                return try await engine.createContainer(name: containerName, config)
            } catch {
                throw Self.failure("cannot create the container of \(request.executionID)", error)
            }
        } catch {
            throw Self.failure("cannot create the container of \(request.executionID)", error)
        }
    }

    /// Copies the container's output (`stream`, or its log from the start when nil) to the log files and waits
    /// for it to end, then records how it ended and removes it.
    private func follow(
        _ id: String, containerID: String, output: LogCopier, stream: AsyncThrowingStream<[UInt8], any Error>?,
        timeout: Duration?
    ) {
        let engine = self.engine
        let copy = Task {
            do {
                let source: AsyncThrowingStream<[UInt8], any Error>
                if let stream { source = stream } else { source = try await engine.logs(containerID, follow: true) }
                for try await chunk in source { output.write(chunk) }
            } catch {
                output.note("[nunet] the container's output stopped: \(error)\n")
            }
            output.close()
        }
        if let timeout {
            let task = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.kill(id, reason: "timed out after \(HumanReadable.duration(timeout))")
            }
            executions.updateHandle(id) { $0.timeout = task }
        }
        Task {
            let exit: Result<Int32, DockerEngineError>
            do throws(DockerEngineError) {
                exit = .success(try await engine.wait(containerID))
            } catch {
                exit = .failure(error)
            }
            let stoppedByUs = (try? self.executions.entry(id))?.handle.killReason != nil
            let state = await Self.finalState(containerID, exit: stoppedByUs ? nil : exit, engine: engine)
            if case .failure = exit { copy.cancel() }
            await copy.value
            try? await engine.remove(containerID)
            self.ended(id, exit: exit, state: state)
        }
    }

    /// The container's state once it has exited. The daemon records an out-of-memory kill from its own event,
    /// which can come after the exit: a SIGKILL exit (137) the node did not cause is inspected again for a
    /// moment before it is taken for a plain kill (`exit` is nil when the node stopped the container).
    private static func finalState(
        _ containerID: String, exit: Result<Int32, DockerEngineError>?, engine: DockerEngine
    ) async -> DockerEngine.ContainerState? {
        var state = try? await engine.inspect(containerID).state
        guard case .success(137)? = exit else { return state }
        for _ in 0..<10 where state?.oomKilled != true {
            try? await Task.sleep(for: .milliseconds(100))
            state = try? await engine.inspect(containerID).state
        }
        return state
    }

    private func ended(_ id: String, exit: Result<Int32, DockerEngineError>, state: DockerEngine.ContainerState?) {
        guard let entry = try? executions.entry(id) else { return }
        entry.handle.timeout?.cancel()
        let result: ExecutionResult
        switch exit {
        case .failure(let error):
            result = ExecutionResult(exitCode: -1, error: "the Docker daemon stopped answering: \(error.message)")
        case .success(let code):
            if let reason = entry.handle.killReason {
                result = ExecutionResult(exitCode: code, killed: true, error: reason)
            } else if state?.oomKilled == true {
                result = ExecutionResult(
                    exitCode: code, killed: true,
                    error: "out of memory: killed at the \(HumanReadable.bytes(entry.handle.memoryLimit)) memory limit")
            } else if let error = state?.error, !error.isEmpty {
                result = ExecutionResult(exitCode: code, error: error)
            } else {
                result = ExecutionResult(exitCode: code)
            }
        }
        executions.finish(id, with: result)
        logger.info("container ended", metadata: ["execution": "\(id)", "exit": "\(result.exitCode)"])
    }

    // MARK: - Control

    public func kill(_ executionID: String, reason: String) {
        guard let entry = try? executions.entry(executionID), entry.result == nil, entry.handle.killReason == nil else {
            return
        }
        executions.updateHandle(executionID) { $0.killReason = reason }
        let engine = self.engine
        let grace = settings.stopGrace
        let containerID = entry.handle.containerID
        Task { try? await engine.stop(containerID, grace: grace) }
    }

    public func stats(_ executionID: String) async throws(ExecutorError) -> ExecutionStats {
        let entry = try executions.entry(executionID)
        var stats = ExecutionStats(memoryBytes: 0, cpuSeconds: 0, wallSeconds: entry.wallSeconds)
        if entry.result == nil, let sample = try? await engine.stats(entry.handle.containerID) {
            stats.memoryBytes = sample.memoryStats.maxUsage ?? sample.memoryStats.usage ?? 0
            stats.cpuSeconds = Double(sample.cpuStats.cpuUsage.totalUsage) / 1e9
        }
        return stats
    }

    public func exec(_ executionID: String, command: [String]) async throws(ExecutorError) -> CommandResult {
        let entry = try executions.entry(executionID)
        guard entry.result == nil else { throw .failed("execution \(executionID) has ended") }
        do {
            let (code, output) = try await engine.exec(
                entry.handle.containerID, command: command, timeout: .seconds(10))
            return CommandResult(exitCode: code, output: String(decoding: output, as: UTF8.self))
        } catch {
            throw .failed("exec in \(executionID): \(error.message)")
        }
    }

    // MARK: - Restarts

    public func reattach(_ executionID: String, logDirectory: URL, resources: Resources) async -> Bool {
        guard (try? executions.ensureAbsent(executionID)) != nil,
            let details = try? await engine.inspect(Self.containerName(executionID)),
            details.labels[DockerLabels.owner] == settings.owner
        else { return false }
        do {
            // Re-read the output from the container's start: the files then hold all of it, once.
            let output = try LogCopier(directory: logDirectory)
            try executions.insert(
                executionID,
                handle: Execution(containerID: details.id, memoryLimit: ContainerConfig.memoryLimit(resources)),
                logDirectory: logDirectory)
            follow(executionID, containerID: details.id, output: output, stream: nil, timeout: nil)
        } catch {
            return false
        }
        logger.info(
            "container re-attached", metadata: ["execution": "\(executionID)", "state": "\(details.state.status)"])
        return true
    }

    public func removeOrphans(keeping: Set<String>) async {
        guard let containers = try? await engine.containers(label: "\(DockerLabels.owner)=\(settings.owner)") else {
            return
        }
        for container in containers {
            let execution = container.labels[DockerLabels.execution] ?? ""
            if keeping.contains(execution) || (try? executions.entry(execution)) != nil { continue }
            try? await engine.remove(container.id)
            logger.info("orphan container removed", metadata: ["execution": "\(execution)"])
        }
    }

    private static func failure(_ context: String, _ error: any Error) -> ExecutorError {
        if let error = error as? ExecutorError { return error }
        if let error = error as? DockerEngineError { return .failed("\(context): \(error.message)") }
        return .failed("\(context): \(error)")
    }
}
