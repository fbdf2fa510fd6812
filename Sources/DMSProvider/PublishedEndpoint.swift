import DMSExecutor
import Foundation

/// An HTTP health check's endpoint as the provider reaches it. Ensembles name the service's own port
/// (`http://localhost:8080/health`, seen from inside the container); when that port is published, the check
/// goes to the host port it is published on. Other endpoints are used as written.
enum PublishedEndpoint {
    static let localHosts: Set<String> = ["localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"]

    static func resolve(_ endpoint: String, bindings: [PortBinding]) -> String {
        guard var components = URLComponents(string: endpoint), let host = components.host,
            localHosts.contains(host.lowercased())
        else { return endpoint }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        guard let binding = bindings.first(where: { $0.containerPort == port }) else { return endpoint }
        components.host = "127.0.0.1"
        components.port = binding.hostPort
        return components.string ?? endpoint
    }
}
