import Foundation
import Libp2pCrypto

/// `/ipfs/ping/1.0.0`: the dialer writes 32 random bytes and the listener echoes them, as often as the
/// dialer likes on one stream.
public enum Ping {
    public static let protocolID = "/ipfs/ping/1.0.0"
    static let size = 32

    static func serve(_ stream: Libp2pStream) async {
        do {
            while true {
                let payload = try await stream.read(exactly: size)
                try await stream.write(payload)
            }
        } catch {
            stream.closeWrite()
        }
    }
}

extension Libp2pHost {
    /// The round-trip time of one ping to `peer`.
    public func ping(_ peer: PeerID) async throws -> Duration {
        let stream = try await newStream(to: peer, protocols: [Ping.protocolID])
        defer { stream.reset() }
        let payload = (0..<Ping.size).map { _ in UInt8.random(in: 0...255) }
        let clock = ContinuousClock()
        let start = clock.now
        try await stream.write(payload)
        let echo = try await stream.read(exactly: Ping.size)
        guard echo == payload else { throw Libp2pError.invalidAddress("ping answer differs from what was sent") }
        return clock.now - start
    }
}
