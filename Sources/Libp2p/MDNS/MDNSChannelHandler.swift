import Libp2pCrypto
import NIOCore

/// Reads mDNS datagrams on the event loop: answers queries for the libp2p service and reports the peers that
/// responses announce. Anything oversized or undecodable is dropped, so hostile packets cost one bounded parse.
final class MDNSChannelHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// RFC 6762 §6: multicast a record at most once a second, which also bounds what a flood of queries costs.
    static let minimumAnswerInterval = TimeAmount.seconds(1)

    private let localPeer: PeerID
    private let answer: (any Channel) -> Void
    private let found: (MDNSPeer) -> Void
    private var lastAnswer: NIODeadline?

    init(localPeer: PeerID, answer: @escaping (any Channel) -> Void, found: @escaping (MDNSPeer) -> Void) {
        self.localPeer = localPeer
        self.answer = answer
        self.found = found
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let datagram = unwrapInboundIn(data).data
        guard datagram.readableBytes <= MDNSPacket.maximumPacketLength,
            let message = try? DNSMessage(decoding: Array(buffer: datagram))
        else { return }
        if MDNSPacket.asksForService(message) {
            let now = NIODeadline.now()
            if let lastAnswer, now - lastAnswer < Self.minimumAnswerInterval { return }
            lastAnswer = now
            answer(context.channel)
        } else {
            for peer in MDNSPacket.peers(in: message, excluding: localPeer) { found(peer) }
        }
    }

    /// A datagram socket reports errors such as ICMP unreachables on read; they say nothing about the group,
    /// so the socket stays open.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
