import DMSCore
import DMSNode
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The node's REST API on `rest.addr:rest.port`. It has no authentication of its own and binds to
/// loopback by default: authority comes from signed envelopes and capability tokens, not from HTTP.
public enum RESTServer {
    public static func service(context: DaemonContext, node: Node) -> any Service {
        let logger = context.logger("nunet.rest")
        let address = context.config.restAddress
        let port = context.config.restPort
        let limits = RESTLimits(
            maxConnections: context.config.restMaxConnections, headerTimeout: context.config.restHeaderTimeout,
            bodyTimeout: context.config.restBodyTimeout)
        return application(
            router: router(node: node), address: .hostname(address, port: port), limits: limits, logger: logger
        ) { port in
            logger.info("REST API listening", metadata: ["url": "http://\(displayHost(address)):\(port)"])
        }
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

    /// Every route of the API, served by `node`.
    public static func router(node: Node) -> Router<BasicRequestContext> {
        let router = Router()
        HealthRoute.register(on: router)
        MetricsRoute.register(on: router, node: node)
        ActorRoutes.register(on: router, gateway: ClientGateway(node: node))
        return router
    }

    static func displayHost(_ address: String) -> String { address.contains(":") ? "[\(address)]" : address }
}
