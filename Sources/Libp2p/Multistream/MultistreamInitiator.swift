/// The dialing side of multistream-select: proposes each protocol in order until one is echoed.
public struct MultistreamInitiator: Sendable {
    private let proposals: [String]
    private var next = 0
    private var messages = MultistreamMessages()

    public init(proposals: [String]) {
        precondition(!proposals.isEmpty, "multistream-select needs at least one protocol to propose")
        self.proposals = proposals
    }

    /// The header and the first proposal, sent together without waiting for the peer's header.
    public mutating func start() -> [UInt8] {
        next = 1
        return Multistream.encode(Multistream.header) + Multistream.encode(proposals[0])
    }

    public mutating func receive(_ bytes: some Collection<UInt8>) throws(MultistreamError) -> MultistreamStep {
        messages.append(bytes)
        var step = MultistreamStep()
        while let text = try messages.next() {
            if text == proposals[next - 1] {
                step.agreed = (text, messages.takeRest())
                return step
            } else if text == Multistream.notAvailable {
                guard next < proposals.count else { throw .notSupported(proposals) }
                Multistream.encode(proposals[next], into: &step.send)
                next += 1
            } else {
                throw .malformed("unexpected answer \"\(text)\" to \"\(proposals[next - 1])\"")
            }
        }
        return step
    }
}
