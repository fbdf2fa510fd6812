import DMSCore
import DMSEnsemble
import DMSMessages
import Foundation
import Testing

@testable import DMSProvider

/// A bid offers the provider as one Capability: its terms, free resources, executors and location.
@Suite struct BidOfferTests {
    @Test func anOfferCarriesTheTermsWithWhatIsFreeNow() throws {
        var settings = ProviderSettings(
            workDirectory: URL(fileURLWithPath: "/tmp"), location: Location(continent: "Europe", country: "DE"),
            portRange: 20000...20010)
        settings.terms = ComputeCapability(
            connectivity: .init(vpn: true, publicPorts: true),
            prices: [.init(currency: "NTX", currencyPerHour: 0.5, totalPerJob: 1)],
            time: .init(seconds: 3 * 3600, availableUntil: 2_000_000_000))
        let request = BidRequest(
            ensembleID: "e",
            nodes: [
                .init(nodeID: "n", resources: Resources(ram: 1), executors: [.wasm], staticPorts: [], dynamicPorts: 0)
            ], excludedPeers: [])
        let free = Resources(cpu: CPUResources(cores: 2), ram: 4 << 30)
        let answer = BidDecision.decide(
            request, peer: "p", onboarded: true, free: free, executors: [.wasm, .docker], settings: settings,
            reservedPorts: [20003])
        guard case .offer(let terms) = answer else {
            Issue.record("declined: \(answer)")
            return
        }
        #expect(terms.capability.resources == free)
        #expect(terms.capability.executors == ["docker", "wasm"])
        #expect(terms.capability.prices == settings.terms.prices)
        #expect(terms.capability.time == settings.terms.time)
        #expect(terms.capability.connectivity == .init(vpn: true, publicPorts: true))
        #expect(
            terms.capability.localities == [
                .init(kind: "continent", name: "Europe"), .init(kind: "country", name: "DE"),
            ])
        #expect((terms.portRangeFrom, terms.portRangeTo, terms.reservedPorts) == (20000, 20010, [20003]))
        // The terms survive the trip as JSON, as a signed bid carries them.
        let decoded = try JSONDecoder().decode(BidReply.OfferTerms.self, from: JSONEncoder().encode(terms))
        #expect(decoded == terms)
    }
}
