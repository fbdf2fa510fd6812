import Hummingbird
import ServiceLifecycle

/// The REST server and the dashboard's figure sampler as one service of the daemon: the sampler runs as
/// long as the server does, and a graceful shutdown ends the open event streams so they do not hold the
/// server's stop.
struct RESTService: Service {
    let application: Application<RouterResponder<BasicRequestContext>>
    let sampler: FigureSampler
    let shutdown: StreamShutdown

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await sampler.run() }
                defer { group.cancelAll() }
                try await application.run()
            }
        } onGracefulShutdown: {
            shutdown.begin()
        }
    }
}
