import DMSCore
import DMSNode
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The node's REST API and dashboard on `rest.addr:rest.port`. On loopback (the default) it asks for no
/// credentials: authority over the node comes from signed envelopes and capability tokens, not from HTTP.
/// Beyond loopback every route but `/health` needs a token (`RESTAccess`).
public enum RESTServer {
    public static func service(context: DaemonContext, node: Node) -> any Service {
        let logger = context.logger("nunet.rest")
        let address = context.config.restAddress
        let port = context.config.restPort
        let limits = RESTLimits(
            maxConnections: context.config.restMaxConnections, headerTimeout: context.config.restHeaderTimeout,
            bodyTimeout: context.config.restBodyTimeout)
        let access = RESTAccess.forAddress(address, dataDirectory: context.config.dataDirectory)
        if case .token(let tokens) = access {
            logger.notice(
                "REST API listens beyond loopback: every route but /health needs a token (nunet rest token new)",
                metadata: ["tokens": "\(tokens.path)"])
        }
        let history = FigureHistory()
        let shutdown = StreamShutdown()
        let server = application(
            router: router(node: node, history: history, access: access, shutdown: shutdown),
            address: .hostname(address, port: port), limits: limits, logger: logger
        ) { port in
            logger.info("REST API listening", metadata: ["url": "http://\(displayHost(address)):\(port)"])
        }
        return RESTService(
            application: server, sampler: FigureSampler(node: node, history: history), shutdown: shutdown)
    }

    /// `router` served on `address` under `limits`; `onRunning` gets the port actually bound.
    public static func application(
        router: Router<BasicRequestContext>, address: BindAddress, limits: RESTLimits, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router, server: .limitedHTTP1(limits),
            configuration: .init(address: address, serverName: "nunet/\(BuildInfo.version)"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Every route of the API, served by `node`; the dashboard charts `history`. `/health` is registered
    /// before the token gate so it stays open; every route after the gate needs a token when `access` says.
    public static func router(node: Node, history: FigureHistory = FigureHistory(), access: RESTAccess = .open)
        -> Router<BasicRequestContext>
    {
        router(node: node, history: history, access: access, shutdown: StreamShutdown())
    }

    static func router(node: Node, history: FigureHistory, access: RESTAccess, shutdown: StreamShutdown)
        -> Router<BasicRequestContext>
    {
        let router = Router()
        HealthRoute.register(on: router)
        if case .token(let tokens) = access {
            router.add(middleware: TokenGate(verifier: TokenVerifier(tokens: tokens)))
        }
        MetricsRoute.register(on: router, node: node)
        ActorRoutes.register(on: router, gateway: ClientGateway(node: node))
        ReadRoutes.register(on: router, node: node, history: history, shutdown: shutdown)
        DashboardRoutes.register(on: router)
        return router
    }

    static func displayHost(_ address: String) -> String { address.contains(":") ? "[\(address)]" : address }
}
