import DMSCore
import DMSEnsemble
import DMSMessages
import DMSOrchestrator
import Foundation
import Testing

/// Providers with prices and time limits on an in-memory network: the orchestrator collects their
/// bids, places on the cheapest that meets the ensemble's terms, records the agreed price and estimate,
/// refuses placements above `maxCost`, and keeps what each allocation used.
@Suite struct PricedDeploymentTests {
    static let provider = Resources(cpu: CPUResources(cores: 4), ram: 8 << 30, disk: 50 << 30)

    /// Three providers: 0.8 NTX/h, 0.3 NTX/h for jobs of at most 1 h, and 0.5 NTX/h.
    static func cluster() async throws -> DeploymentCluster {
        // Priced placements wait out the bid window (10 s) for a cheaper offer.
        let cluster = try await DeploymentCluster(providers: [nil, provider, provider, provider])
        let terms: [(Double, Int?)] = [(0.8, nil), (0.3, 3600), (0.5, nil)]
        for (node, (perHour, limit)) in zip(cluster.nodes.dropFirst(), terms) {
            var offered = ComputeCapability(
                connectivity: .init(publicPorts: true), prices: [.init(currency: "NTX", currencyPerHour: perHour)])
            if let limit { offered.time = .init(seconds: limit) }
            await node.provider?.setTerms(offered)
        }
        return cluster
    }

    static let task = """
        version: V1
        allocations:
          job:
            type: task
            executor: null
            resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
            execution: {type: null}
            requirements: {price: {currency: NTX, max_per_hour: 0.6}, duration: 2h}
        """

    @Test func theCheapestProviderThatTakesTheJobIsChosenAndTheTermsRecorded() async throws {
        let cluster = try await Self.cluster()
        let record = try await cluster.orchestrator.deploy(Self.task)
        #expect(record.status == .completed, "\(record.reason)")
        let node = try #require(record.manifest.nodes["job"])
        #expect(node.peer == cluster.nodes[3].peerID)
        let estimate = try #require(node.estimate)
        #expect(estimate.price.currencyPerHour == 0.5)
        #expect(estimate.seconds == 7200)
        #expect(abs(estimate.cost - 1) < 1e-9)
        #expect(record.events.contains { $0.status == "Committing" && $0.reason.contains("estimated cost 1 NTX") })
        // The provider measured the run and priced it at the agreed rate.
        let usage = try #require(record.manifest.allocations["job"]?.usage)
        #expect(usage.currency == "NTX" && usage.seconds >= 0 && abs(usage.cost - usage.seconds * 0.5 / 3600) < 1e-9)
    }

    @Test func aPlacementAboveTheMaximumCostIsRefusedWithTheEstimate() async throws {
        let cluster = try await Self.cluster()
        let id = try await cluster.orchestrator.registry.create(
            try EnsembleParser.parse(yaml: Self.task), timeout: 30, maxCost: CostLimit(amount: 0.5, currency: "NTX"))
        let record = try await cluster.orchestrator.waitFor(id, [.completed, .failed])
        #expect(record.status == .failed)
        #expect(record.reason == "estimated cost 1 NTX above --max-cost 0.5 NTX")
    }

    @Test func anEnsembleNoProviderCanServeFailsWithEveryProvidersReason() async throws {
        let cluster = try await Self.cluster()
        let yaml = Self.task.replacingOccurrences(of: "max_per_hour: 0.6", with: "max_per_hour: 0.4")
        let record = try await cluster.orchestrator.deploy(yaml)
        #expect(record.status == .failed)
        let (dear, limited, middle) = (cluster.nodes[1].peerID, cluster.nodes[2].peerID, cluster.nodes[3].peerID)
        #expect(record.reason.contains("\(dear): price 0.8 NTX/h above the ceiling 0.4"), "\(record.reason)")
        #expect(record.reason.contains("\(limited): max job time 1 h, the ensemble needs 2 h"), "\(record.reason)")
        #expect(record.reason.contains("\(middle): price 0.5 NTX/h above the ceiling 0.4"), "\(record.reason)")
    }

    /// JSON cannot carry NaN, but a peer can sign a negative price.
    @Test func anOfferWithANegativePriceIsRefusedBeforeMatching() async throws {
        let cluster = try await DeploymentCluster(providers: [nil, Self.provider])
        await cluster.nodes[1].provider?.setTerms(
            ComputeCapability(prices: [.init(currency: "NTX", currencyPerHour: -1)]))
        let record = try await cluster.orchestrator.deploy(Self.task)
        #expect(record.status == .failed)
        #expect(
            record.reason.contains(
                "\(cluster.nodes[1].peerID): offer refused: price[0].currency_per_hour: -1.0 is not a finite amount"),
            "\(record.reason)")
    }
}
