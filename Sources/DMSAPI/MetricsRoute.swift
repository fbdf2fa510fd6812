import DMSNode
import Hummingbird
import NIOCore

/// `GET /metrics`: the node's metrics in the Prometheus text format, for a Prometheus server to scrape.
enum MetricsRoute {
    static func register(on router: Router<BasicRequestContext>, node: Node) {
        router.get("metrics") { _, _ in
            let bytes = await node.metrics.exposition(of: node)
            return Response(
                status: .ok, headers: [.contentType: NodeMetrics.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
