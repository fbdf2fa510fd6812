import DMSCapabilities
import DMSCrypto
import Foundation

/// `swift run -c release nunet-bench [suite...]`: the performance figures the issues ask for, printed as
/// Markdown rows for Benchmarks/RESULTS.md. Suites: tokens, actors, libp2p (libp2p-setup: its setup part alone), matching, deploy, pubsub, docker,
/// dht, observability.
let requested = Set(CommandLine.arguments.dropFirst())
let suites: [(name: String, run: () async throws -> Void)] = [
    ("tokens", TokenBenchmarks.run), ("actors", ActorBenchmarks.run), ("libp2p", Libp2pBenchmarks.run),
    ("libp2p-setup", Libp2pBenchmarks.runSetup),
    ("matching", MatchingBenchmarks.run), ("deploy", DeploymentBenchmarks.run), ("pubsub", PubsubBenchmarks.run),
    ("docker", DockerBenchmarks.run), ("dht", DHTBenchmarks.run), ("observability", ObservabilityBenchmarks.run),
]
for suite in suites where requested.isEmpty || requested.contains(suite.name) {
    try await suite.run()
    print()
}
