import DMSActor
import DMSCapabilities
import DMSCrypto
import Foundation

/// Issue 4: invoke round trips over the in-memory network with warm token caches, against the limit set
/// by their signatures alone (two signatures and two verifications per round trip), on all cores.
enum ActorBenchmarks {
    static func run() async throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount

        let pair = try await ActorPair()
        let (caller, callee) = (pair.caller, pair.callee)
        let (callerContext, calleeContext) = (caller.security.capabilities, callee.security.capabilities)
        // Sizes of what is signed, for the signature-bound limit.
        var sample = caller.message(to: callee.handle, behavior: "/bench", payload: [0x31])
        sample.options.replyTo = "\(ActorSecurity.replyPrefix)/1"
        try caller.security.prepare(&sample)
        let requestBytes = sample.signingData.count
        // Unloaded latency: one invocation at a time.
        var sequential: [Double] = []
        for _ in 0..<2000 {
            let begin = ContinuousClock.now
            _ = try await caller.invoke(caller.message(to: callee.handle, behavior: "/bench", payload: [0x31]))
            let elapsed = ContinuousClock.now - begin
            sequential.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        sequential.sort()
        let checksBefore =
            callerContext.verifierStatistics.signatureChecks + calleeContext.verifierStatistics.signatureChecks

        let inFlight = 32
        let duration: Duration = .seconds(5)
        let latencies = Samples()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    var local: [Double] = []
                    while ContinuousClock.now - started < duration {
                        let begin = ContinuousClock.now
                        _ = try await caller.invoke(
                            caller.message(to: callee.handle, behavior: "/bench", payload: [0x31]))
                        let elapsed = ContinuousClock.now - begin
                        local.append(
                            Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
                    }
                    latencies.append(local)
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let samples = latencies.sorted
        let limit = try await signatureBoundLimit(cores: cores, messageBytes: requestBytes)
        let rate = Double(samples.count) / seconds
        let checks =
            callerContext.verifierStatistics.signatureChecks + calleeContext.verifierStatistics.signatureChecks
            - checksBefore

        print("| Actor invoke round trips (\(cores) cores, \(inFlight) in flight) | Measured | Goal |")
        print("|---|---|---|")
        Measure.row(
            "signature-bound limit (2 signs + 2 verifies of \(requestBytes)-byte envelopes per round trip)",
            String(format: "%.0f /s", limit))
        Measure.row(
            "invoke round trips, in-memory network, warm token caches",
            String(format: "%.0f /s = %.0f%% of the limit", rate, rate / limit * 100), "≥ 70% of the limit")
        Measure.row(
            "round-trip latency, one at a time: p50 / p99",
            String(
                format: "%.0f µs / %.0f µs", sequential[sequential.count / 2],
                sequential[Int(Double(sequential.count) * 0.99)]))
        Measure.row(
            "round-trip latency, \(inFlight) in flight: p50 / p99",
            String(format: "%.0f µs / %.0f µs", samples[samples.count / 2], samples[Int(Double(samples.count) * 0.99)]))
        Measure.row(
            "token signature verifications during \(samples.count) round trips (\(checksBefore) during the warm-up)",
            "\(checks)", "at most one per token while cached")
        await caller.stop()
        await callee.stop()
    }

    /// Round trips per second if signing and verifying envelopes were all the work, using every core.
    static func signatureBoundLimit(cores: Int, messageBytes: Int) async throws -> Double {
        let key = PrivateKey()
        let publicKey = key.publicKey
        let message = [UInt8](repeating: 7, count: messageBytes)
        let signature = key.sign(message)
        let iterations = 1000
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<cores {
                group.addTask {
                    for _ in 0..<iterations {
                        _ = key.sign(message)
                        _ = key.sign(message)
                        guard try publicKey.isValidSignature(signature, for: message),
                            try publicKey.isValidSignature(signature, for: message)
                        else { fatalError("bad signature") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(cores * iterations) / seconds
    }
}
