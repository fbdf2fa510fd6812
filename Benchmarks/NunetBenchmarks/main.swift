import DMSCapabilities
import DMSCrypto
import Foundation

/// `swift run -c release nunet-bench [suite...]`: the performance figures the issues ask for, printed as
/// Markdown rows for Benchmarks/RESULTS.md. Suites: tokens, actors, libp2p (libp2p-setup: its setup part alone), matching, deploy, pubsub, docker,
/// dht, observability. `libp2p-setup-listen` and `libp2p-setup-dial ADDRESS` run the setup figure's two hosts in
/// separate processes (Benchmarks/setup-two-process.sh).
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "libp2p-setup-listen":
    try await Libp2pBenchmarks.runSetupListener()
    exit(0)
case "libp2p-setup-dial" where arguments.count == 2:
    try await Libp2pBenchmarks.runSetupDialer(arguments[1])
    exit(0)
case "libp2p-setup-dial":
    FileHandle.standardError.write(Data("usage: nunet-bench libp2p-setup-dial <listener multiaddr>\n".utf8))
    exit(2)
default: break
}
let requested = Set(arguments)
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
