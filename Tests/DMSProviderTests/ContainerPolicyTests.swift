import DMSCore
import DMSEnsemble
import DMSExecutor
import DMSMessages
import Foundation
import Testing

@testable import DMSProvider

/// What a provider decides about containers before running one: privileged containers need its consent,
/// and health checks reach a service on the host port it is published on.
@Suite struct ContainerPolicyTests {
    static let settings = ProviderSettings(workDirectory: URL(fileURLWithPath: "/tmp"))

    static func request(privileged: Bool?) -> BidRequest {
        BidRequest(
            ensembleID: "e",
            nodes: [
                BidRequest.NodeRequest(
                    nodeID: "web", resources: Resources(ram: 1), executors: [.docker], staticPorts: [], dynamicPorts: 0,
                    privileged: privileged)
            ], excludedPeers: [])
    }

    static func decide(_ request: BidRequest, allowing: Bool) -> BidDecision.Answer {
        var settings = Self.settings
        settings.allowPrivilegedContainers = allowing
        return BidDecision.decide(
            request, peer: "p", onboarded: true, free: Resources(ram: 1 << 30), executors: [.docker],
            settings: settings, reservedPorts: [])
    }

    @Test func privilegedContainersAreDeclinedUnlessTheProviderAllowsThem() {
        #expect(
            Self.decide(Self.request(privileged: true), allowing: false)
                == .decline("privileged containers are not allowed on this provider (docker.allow_privileged)"))
        guard case .offer = Self.decide(Self.request(privileged: true), allowing: true) else {
            Issue.record("an allowing provider offers")
            return
        }
        guard case .offer = Self.decide(Self.request(privileged: nil), allowing: false) else {
            Issue.record("an unprivileged container needs no consent")
            return
        }
    }

    @Test func aHealthCheckOnTheContainersPortGoesToItsPublishedPort() {
        let bindings = [PortBinding(hostPort: 18080, containerPort: 8080)]
        #expect(
            PublishedEndpoint.resolve("http://localhost:8080/health", bindings: bindings)
                == "http://127.0.0.1:18080/health")
        #expect(
            PublishedEndpoint.resolve("http://127.0.0.1:8080/health?full=1", bindings: bindings)
                == "http://127.0.0.1:18080/health?full=1")
        // Unpublished ports, other hosts and other executors' endpoints are used as written.
        #expect(PublishedEndpoint.resolve("http://localhost:9090/", bindings: bindings) == "http://localhost:9090/")
        #expect(
            PublishedEndpoint.resolve("http://example.org:8080/", bindings: bindings) == "http://example.org:8080/")
        #expect(PublishedEndpoint.resolve("http://localhost:8080/", bindings: []) == "http://localhost:8080/")
    }
}
