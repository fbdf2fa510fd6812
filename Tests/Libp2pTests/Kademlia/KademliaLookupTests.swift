import Libp2pCrypto
import Testing

@testable import Libp2p

/// Lookups in simulated networks checked against the true closest peers.
@Suite struct KademliaLookupTests {
    @Test func lookupsFindTheTrueClosestPeers() async {
        let network = KademliaSimulation(count: 1000, seed: 7)
        var random = SplitMix64(seed: 3)
        for trial in 0..<20 {
            let key = (0..<34).map { _ in UInt8.random(in: 0...255, using: &random) }
            let origin = trial * 37 % 1000
            let outcome = await network.lookup(from: origin, key: key)
            // The origin is never in its own result: the 20 closest others.
            let expected = network.closest(to: KademliaKey(hashing: key), count: 21)
                .filter { $0 != network.peers[origin] }.prefix(20)
            let found = Set(outcome.closest.map(\.id)).intersection(expected).count
            #expect(found == 20, "trial \(trial) found \(found) of the 20 closest")
            #expect(outcome.hops <= 6, "hops grow with log N: \(outcome.hops) on 1000 nodes")
        }
    }

    @Test func liarsFloodingFakePeersNeitherMisleadNorPoison() async {
        let network = KademliaSimulation(count: 500, liars: 50, seed: 11)
        let origin = (0..<500).first { !network.liars.contains($0) }!
        var random = SplitMix64(seed: 5)
        for _ in 0..<10 {
            let key = (0..<34).map { _ in UInt8.random(in: 0...255, using: &random) }
            let outcome = await network.lookup(from: origin, key: key)
            let expected = Set(
                network.closest(to: KademliaKey(hashing: key), count: 21).filter { $0 != network.peers[origin] }
                    .prefix(20))
            #expect(Set(outcome.closest.map(\.id)).intersection(expected).count >= 18)
            #expect(outcome.closest.allSatisfy { network.index[$0.id] != nil }, "no made-up peer in the result")
        }
        let table = network.routingTable(of: origin)
        #expect(table.entries.allSatisfy { network.index[$0.peer] != nil }, "no made-up peer in the routing table")
    }
}
