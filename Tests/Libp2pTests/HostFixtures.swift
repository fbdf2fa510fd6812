import Libp2p
import Libp2pCrypto
import Multiformats

/// Hosts for tests: listening on a loopback port, optionally serving echo.
enum HostFixtures {
    static let echo = "/nunet-test/echo/1.0.0"

    /// A host listening on 127.0.0.1 (port chosen by the system) and its address ending in `/p2p/<peer>`.
    static func listening(_ configuration: Libp2pHost.Configuration = Libp2pHost.Configuration()) async throws -> (
        Libp2pHost, Multiaddr
    ) {
        let host = Libp2pHost(identity: PrivateKey(), configuration: configuration)
        let address = try await host.listen(try Multiaddr("/ip4/127.0.0.1/tcp/0"))
        return (host, address.appending(.p2p(host.peerID.bytes)))
    }

    /// Echoes each chunk as it arrives (the Go interop peer reads the echo before it closes), then closes.
    static func serveEcho(on host: Libp2pHost) {
        host.handle(echo) { stream in
            while let bytes = try? await stream.read() {
                guard (try? await stream.write(bytes)) != nil else { return }
            }
            stream.closeWrite()
        }
    }
}
