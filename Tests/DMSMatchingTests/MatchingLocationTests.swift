import DMSEnsemble
import DMSMatching
import Testing

/// The Go DMS's location filter cases (`TestAcceptPeerLocation`), expressed through matching: one node,
/// one provider, placed or not. The Go table's "unknown node" case is about bids naming a node the
/// ensemble lacks, which the orchestrator drops before matching.
@Suite struct MatchingLocationTests {
    typealias F = MatchingFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var location: LocationConstraint
        var pinnedPeer: String?
        var provider: Location?
        var providerPeer = "provider"
        var placed: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "pinned peer, same peer", location: .init(), pinnedPeer: "provider", provider: F.berlin, placed: true),
        Case(
            name: "pinned peer, other peer", location: .init(), pinnedPeer: "other", provider: F.berlin, placed: false),
        Case(name: "matches an accept entry", location: .init(accept: [F.berlin]), provider: F.berlin, placed: true),
        Case(name: "not in the accept list", location: .init(accept: [F.paris]), provider: F.berlin, placed: false),
        Case(name: "matches a reject entry", location: .init(reject: [F.berlin]), provider: F.berlin, placed: false),
        Case(name: "not in the reject list", location: .init(reject: [F.tokyo]), provider: F.berlin, placed: true),
        Case(name: "no constraints", location: .init(), provider: F.berlin, placed: true),
        Case(
            name: "multiple accept entries, one matches", location: .init(accept: [F.tokyo, F.paris, F.berlin]),
            provider: F.berlin, placed: true),
        Case(
            name: "multiple reject entries, one matches", location: .init(reject: [F.tokyo, F.berlin]),
            provider: F.berlin, placed: false),
        Case(
            name: "same location in accept and reject (accept wins)",
            location: .init(accept: [F.berlin], reject: [F.berlin]), provider: F.berlin, placed: true),
        Case(
            name: "a continent-wide rule matches every city in it",
            location: .init(accept: [Location(continent: "Europe")]), provider: F.paris, placed: true),
        Case(
            name: "a rule's empty fields match anything, its set fields must match",
            location: .init(accept: [Location(continent: "Europe", country: "DE", city: "Munich")]), provider: F.berlin,
            placed: false),
        Case(
            name: "an unknown location fails an accept list", location: .init(accept: [F.tokyo]), provider: nil,
            placed: false),
        Case(
            name: "an unknown location passes a reject list", location: .init(reject: [F.tokyo]), provider: nil,
            placed: true),
    ]

    @Test(arguments: cases)
    func locationFilter(_ test: Case) {
        let node = F.node("n", location: test.location, pinnedPeer: test.pinnedPeer)
        let placement = Matching.place([node], offers: [F.offer(test.providerPeer, location: test.provider)])
        #expect(placement.isComplete == test.placed)
        #expect(placement.assignment["n"] == (test.placed ? test.providerPeer : nil))
    }
}
