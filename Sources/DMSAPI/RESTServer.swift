import DMSCore
import DMSNode
import Hummingbird
import Logging
import ServiceLifecycle

/// The node's REST API on `rest.addr:rest.port`. It has no authentication of its own and binds to
/// loopback by default: authority comes from signed envelopes and capability tokens, not from HTTP.
public enum RESTServer {
    public static func service(context: DaemonContext, node: Node) -> any Service {
        let logger = context.logger("nunet.rest")
        let address = context.config.restAddress
        let port = context.config.restPort
        return Application(
            router: router(node: node),
            configuration: .init(address: .hostname(address, port: port), serverName: "nunet/\(BuildInfo.version)"),
            onServerRunning: { _ in
                logger.info("REST API listening", metadata: ["url": "http://\(displayHost(address)):\(port)"])
            },
            logger: logger)
    }

    /// Every route of the API, served by `node`.
    public static func router(node: Node) -> Router<BasicRequestContext> {
        let router = Router()
        HealthRoute.register(on: router)
        ActorRoutes.register(on: router, gateway: ClientGateway(node: node))
        return router
    }

    static func displayHost(_ address: String) -> String { address.contains(":") ? "[\(address)]" : address }
}
