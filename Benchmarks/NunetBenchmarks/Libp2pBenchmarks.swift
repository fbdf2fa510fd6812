import Crypto
import Foundation
import Libp2p
import Libp2pCrypto
import Multiformats

/// Issue 6: the Swift libp2p data path over TCP on loopback (Noise + yamux), to compare with the Go path
/// measured by Benchmarks/GoTransport on the same machine: single-stream throughput, connection setup
/// (TCP + multistream + Noise XX + yamux + first stream + a 32-byte echo on it) p50 and p99, and
/// ChaCha20-Poly1305 alone on 65519-byte chunks. The echo makes the setup figure include the stream's
/// protocol agreement however it is negotiated (the opener no longer waits for it before writing).
enum Libp2pBenchmarks {
    static let sink = "/bench/sink/1.0.0"
    static let echo = "/bench/echo/1.0.0"

    static func run() async throws { try await run(throughput: true) }

    /// `nunet-bench libp2p-setup`: the setup figures alone, to compare with `GoTransport/run.sh -only setup`.
    static func runSetup() async throws { try await run(throughput: false) }

    /// `nunet-bench libp2p-setup-listen`: the listener alone, in its own process, for
    /// Benchmarks/setup-two-process.sh. Prints its address, then serves until standard input closes.
    static func runSetupListener() async throws {
        let listener = try await echoListener()
        FileHandle.standardOutput.write(Data((listener.address.description + "\n").utf8))
        // A thread of its own waits for the end of input, so no thread of the task pool blocks on it.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                while readLine() != nil {}
                done.resume()
            }.start()
        }
        await listener.host.close()
    }

    /// `nunet-bench libp2p-setup-dial ADDRESS`: the dial loop alone, against a listener in another process.
    static func runSetupDialer(_ address: String) async throws {
        let dialer = Libp2pHost(identity: PrivateKey(), configuration: timedConfiguration)
        try await reportSetups(dialer: dialer, address: try Multiaddr(address))
        await dialer.close()
    }

    /// The Go program has no identify, so neither side runs it here: the same path is timed.
    private static var timedConfiguration: Libp2pHost.Configuration {
        var configuration = Libp2pHost.Configuration()
        configuration.identifyOnConnect = false
        return configuration
    }

    /// A host serving the echo and sink protocols on loopback, and its dialable address.
    private static func echoListener() async throws -> (host: Libp2pHost, address: Multiaddr) {
        let listener = Libp2pHost(identity: PrivateKey(), configuration: timedConfiguration)
        listener.handle(sink) { stream in
            var total = 0
            while let bytes = try? await stream.read() { total += bytes.count }
            try? await stream.write(Array(String(total).utf8))
            stream.closeWrite()
        }
        // A handler that only moves bytes runs on its connection's event loop, as ping's and the DHT's do.
        listener.handle(echo, onEventLoop: true) { stream in
            while let bytes = try? await stream.read() {
                guard (try? await stream.write(bytes)) != nil else { return }
            }
        }
        let address = try await listener.listen(try Multiaddr("/ip4/127.0.0.1/tcp/0")).appending(
            .p2p(listener.peerID.bytes))
        return (listener, address)
    }

    /// Connection setup and a 32-byte round trip on the first stream, sequential, after 10 unmeasured;
    /// prints p50 and p99.
    private static func reportSetups(dialer: Libp2pHost, address: Multiaddr) async throws {
        var setups: [Double] = []
        let payload = (0..<32).map { _ in UInt8.random(in: 0...255) }
        // On one of the dialer's event loops, as the DHT's queries run (`Libp2pHost.onEventLoop`).
        try await dialer.onEventLoop {
            for index in 0..<1010 {
                let start = ContinuousClock.now
                let connection = try await dialer.connect(address)
                let stream = try await dialer.newStream(on: connection, protocols: [echo])
                try await stream.write(payload)
                let back = try await stream.read(exactly: payload.count)
                let elapsed = ContinuousClock.now - start
                guard back == payload else { throw Libp2pError.malformed("the echo differs") }
                if index >= 10 { setups.append(Measure.seconds(elapsed)) }
                stream.reset()
                await connection.close()
            }
        }
        setups.sort()
        Measure.row(
            "libp2p connection setup + 32-byte echo on the first stream, p50 (TCP + Noise XX + yamux + stream)",
            Measure.microseconds(setups[setups.count / 2]), "≤ Benchmarks/GoTransport's go-setup-rtt32")
        Measure.row(
            "libp2p connection setup + 32-byte echo, p99", Measure.microseconds(setups[setups.count * 99 / 100]), "")
    }

    private static func run(throughput: Bool) async throws {
        let (listener, address) = try await echoListener()
        let dialer = Libp2pHost(identity: PrivateKey(), configuration: timedConfiguration)
        try await reportSetups(dialer: dialer, address: address)

        guard throughput else {
            await dialer.close()
            await listener.close()
            return
        }

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
