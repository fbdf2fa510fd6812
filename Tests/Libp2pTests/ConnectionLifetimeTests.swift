import Libp2pCrypto
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import Libp2p

/// A connection's handler is freed once its channel closes: before, handler and context held each other, so
/// every connection ever accepted (200 silent ones per hostile load, 1.2 KiB each) stayed on the heap.
@Suite struct ConnectionLifetimeTests {
    /// A handler on `channel` as the host sets one up (a responder's unless told), and a weak reference to it.
    /// `supported` and `onInboundStream` serve inbound streams (none by default).
    static func attach(
        to channel: EmbeddedChannel, initiator: Bool = false,
        supported: @escaping @Sendable (String) -> Bool = { _ in false },
        onInboundStream: @escaping @Sendable (Libp2pStream) -> Void = { $0.reset() }
    ) throws -> (established: EventLoopFuture<ConnectionHandler.Established>, handler: Weak) {
        let established = channel.eventLoop.makePromise(of: ConnectionHandler.Established.self)
        let handler = ConnectionHandler(
            initiator: initiator, identity: NoiseIdentity(PrivateKey()), expectedPeer: nil, established: established,
            yamux: YamuxSession.Configuration(), upgradeTimeout: .seconds(10),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), supported: supported,
            listed: { [] }, onInboundStream: onInboundStream)
        try channel.pipeline.syncOperations.addHandler(handler)
        return (established.futureResult, Weak(handler))
    }

    final class Weak {
        weak var handler: ConnectionHandler?
        init(_ handler: ConnectionHandler) { self.handler = handler }
    }

    @Test func aPeerThatNeverFinishesTheUpgradeIsCutAndItsHandlerFreed() throws {
        let channel = EmbeddedChannel()
        let (established, weak) = try Self.attach(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4001)).wait()
        channel.embeddedEventLoop.advanceTime(by: .seconds(11))
        #expect(!channel.isActive, "the upgrade deadline closes the connection")
        #expect(throws: Libp2pError.self) { try established.wait() }
        #expect(weak.handler == nil, "the closed connection's handler is still on the heap")
    }

    @Test func aConnectionClosedByThePeerFreesItsHandler() throws {
        let channel = EmbeddedChannel()
        let (established, weak) = try Self.attach(to: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4001)).wait()
        try channel.close().wait()
        channel.embeddedEventLoop.run()
        #expect(throws: (any Error).self) { try established.wait() }
        #expect(weak.handler == nil, "the closed connection's handler is still on the heap")
    }
}
