import DMSConfig
import DMSCore
import DMSStore
import Foundation
import Logging
import ServiceLifecycle

/// The `nunet run` lifecycle: sanity check, lock, logging, then the services under a service group until
/// SIGINT or SIGTERM; services stop in reverse order, the run is recorded as cleanly stopped, the store is
/// checkpointed and closed, and the lock released.
public enum Daemon {
    /// How long services get to finish after a stop signal before they are cancelled; keeps the whole
    /// shutdown within two seconds.
    static let gracefulShutdownLimit: Duration = .milliseconds(1500)
    static let cancellationLimit: Duration = .milliseconds(300)

    public static func run(
        config: EffectiveConfig,
        console: Bool = true,
        services makeServices: (DaemonContext) async throws -> [any Service]
    ) async throws {
        let resources = try SanityCheck.run(config: config)
        let logging: NodeLogging
        do {
            logging = try NodeLogging(config: config, console: console)
        } catch {
            resources.lock.release()
            throw error
        }
        let logger = logging.logger("nunet.daemon")
        if !ConcurrencyOnEventLoops.install() {
            logger.notice("tasks stay on libdispatch's pool: the runtime refused the event loops as its executor")
        }
        let runs = DaemonRunRepository(store: resources.store)
        let context = DaemonContext(config: config, store: resources.store, logging: logging)
        let run: DaemonRun
        do {
            if let stale = resources.lock.stalePID {
                logger.warning(
                    "took over a stale lock left by pid \(stale)", metadata: ["lock": "\(resources.lock.path)"])
            }
            let started = try runs.recordStart(pid: getpid(), version: BuildInfo.version)
            run = started.current
            for unclean in started.unclean {
                logger.warning(
                    "previous run did not stop cleanly",
                    metadata: ["pid": "\(unclean.pid)", "started_at": "\(unclean.startedAt)"])
            }
        } catch {
            shutDown(resources: resources, logging: logging, logger: logger)
            throw error
        }
        defer {
            do {
                try runs.recordStop(of: run)
            } catch {
                logger.error("could not record the clean stop: \(error)")
            }
            shutDown(resources: resources, logging: logging, logger: logger)
        }
        let services = try await makeServices(context)
        var group = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = gracefulShutdownLimit
        group.maximumCancellationDuration = cancellationLimit
        logger.info(
            "node starting",
            metadata: [
                "version": "\(BuildInfo.version)", "commit": "\(BuildInfo.gitCommit)", "pid": "\(getpid())",
                "data_dir": "\(config.dataDirectory)",
                "glibc_tunables": "\(ProcessInfo.processInfo.environment[AllocatorTuning.variable] ?? "")",
            ])
        try await ServiceGroup(configuration: group).run()
        logger.info("node stopped")
    }

    private static func shutDown(resources: StartupResources, logging: NodeLogging, logger: Logger) {
        do {
            try resources.store.close()
        } catch {
            logger.error("\(error)")
        }
        logging.file.flush()
        resources.lock.release()
    }
}
