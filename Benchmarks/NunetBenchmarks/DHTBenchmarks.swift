import Foundation
import Libp2p

/// Kademlia lookups in simulated networks of 1,000 and 10,000 nodes (`KademliaSimulation`: the DHT's own
/// routing tables, request handling and lookup code, peers answering by direct calls). Each lookup goes
/// from a random node to a random key, alpha 10, k 20, as go-libp2p-kad-dht does. Goals: hops grow as
/// log N; a lookup on 10,000 nodes under 20 ms on this machine.
enum DHTBenchmarks {
    static let lookups = 300

    static func run() async throws {
        for count in [1000, 10_000] {
            let built = ContinuousClock.now
            let network = KademliaSimulation(count: count, seed: 42)
            let buildTime = ContinuousClock.now - built
            var latencies: [Double] = []
            var hops: [Int] = []
            var queries: [Int] = []
            var exact = 0
            var random = SystemRandomNumberGenerator()
            for _ in 0..<lookups {
                let origin = Int.random(in: 0..<count, using: &random)
                let key = (0..<34).map { _ in UInt8.random(in: 0...255, using: &random) }
                let start = ContinuousClock.now
                let outcome = await network.lookup(from: origin, key: key)
                latencies.append(Measure.seconds(ContinuousClock.now - start))
                hops.append(outcome.hops)
                queries.append(outcome.queries)
                let truth = network.closest(to: KademliaKey(hashing: key), count: 21).filter {
                    $0 != network.peers[origin]
                }.prefix(20)
                if Set(outcome.closest.map(\.id)) == Set(truth) { exact += 1 }
            }
            latencies.sort()
            hops.sort()
            queries.sort()
            let name = "DHT lookup, \(count) nodes (log2 N = \(String(format: "%.1f", log2(Double(count)))))"
            Measure.row(
                "\(name): latency p50 (p10–p90)",
                "\(Measure.milliseconds(latencies[lookups / 2])) (\(Measure.milliseconds(latencies[lookups / 10]))–\(Measure.milliseconds(latencies[lookups * 9 / 10])))",
                count == 10_000 ? "< 20 ms" : "")
            Measure.row(
                "\(name): hops p50 (min–max)", "\(hops[lookups / 2]) (\(hops.first!)–\(hops.last!))", "grows as log N")
            Measure.row(
                "\(name): queries p50 (min–max)", "\(queries[lookups / 2]) (\(queries.first!)–\(queries.last!))")
            Measure.row("\(name): found the true 20 closest", "\(exact) of \(lookups)")
            Measure.row("\(name): network built in", Measure.milliseconds(Measure.seconds(buildTime)))
        }
    }
}
