import Crypto
import Foundation
import Libp2p
import Libp2pCrypto
import Multiformats

/// Issue 6: the Swift libp2p data path over TCP on loopback (Noise + yamux), to compare with the Go path
/// measured by Benchmarks/GoTransport on the same machine: single-stream throughput, connection setup
/// (TCP + multistream + Noise XX + yamux + first stream negotiated) p50 and p99, and ChaCha20-Poly1305
/// alone on 65519-byte chunks.
enum Libp2pBenchmarks {
    static let sink = "/bench/sink/1.0.0"

    static func run() async throws {
        // The Go program has no identify, so neither side runs it here: the same path is timed.
        var configuration = Libp2pHost.Configuration()
        configuration.identifyOnConnect = false
        let listener = Libp2pHost(identity: PrivateKey(), configuration: configuration)
        listener.handle(sink) { stream in
            var total = 0
            while let bytes = try? await stream.read() { total += bytes.count }
            try? await stream.write(Array(String(total).utf8))
            stream.closeWrite()
        }
        let address = try await listener.listen(try Multiaddr("/ip4/127.0.0.1/tcp/0")).appending(
            .p2p(listener.peerID.bytes))

        // Connection setup, sequential.
        var setups: [Double] = []
        let dialer = Libp2pHost(identity: PrivateKey(), configuration: configuration)
        for _ in 0..<1000 {
            let start = ContinuousClock.now
            let connection = try await dialer.connect(address)
            let stream = try await dialer.newStream(on: connection, protocols: [sink])
            setups.append(Measure.seconds(ContinuousClock.now - start))
            stream.reset()
            await connection.close()
        }
        setups.sort()
        Measure.row(
            "libp2p connection setup p50 (TCP + Noise XX + yamux + first stream)",
            Measure.microseconds(setups[setups.count / 2]), "measured against Benchmarks/GoTransport")
        Measure.row("libp2p connection setup p99", Measure.microseconds(setups[setups.count * 99 / 100]), "")

        // Single-stream throughput.
        let total = 512 << 20
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
        var rates: [Double] = []
        for _ in 0..<3 {
            let stream = try await dialer.newStream(to: listener.peerID, protocols: [sink])
            let start = ContinuousClock.now
            var sent = 0
            while sent < total {
                try await stream.write(chunk)
                sent += chunk.count
            }
            stream.closeWrite()
            let answer = try await stream.readAll(limit: 64)
            let elapsed = Measure.seconds(ContinuousClock.now - start)
            guard String(decoding: answer, as: UTF8.self) == String(total) else { throw Libp2pError.connectionClosed }
            rates.append(Double(total) / elapsed / 1_048_576)
        }
        rates.sort()
        Measure.row(
            "libp2p single-stream throughput, Swift to Swift", String(format: "%.0f MiB/s", rates[1]),
            "≥ the Go path (Benchmarks/GoTransport)")

        // The cipher alone.
        let key = SymmetricKey(size: .bits256)
        let plaintext = [UInt8](repeating: 1, count: Noise.maxPlaintextLength)
        let nonce = try ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))
        let perChunk = Measure.secondsPerOperation(iterations: 2000) {
            _ = try? ChaChaPoly.seal(plaintext, using: key, nonce: nonce)
        }
        Measure.row(
            "ChaCha20-Poly1305 seal, 65519-byte chunks, one core",
            String(format: "%.0f MiB/s", Double(plaintext.count) / perChunk / 1_048_576), "")
        await dialer.close()
        await listener.close()
    }

}
