/// The listening side of multistream-select: answers proposals from the protocols it supports.
public struct MultistreamResponder: Sendable {
    private let supported: @Sendable (String) -> Bool
    private let listed: @Sendable () -> [String]
    private var messages = MultistreamMessages()
    /// Refusals before the peer gives up are bounded, so a peer cannot keep a connection busy forever.
    private var refusals = 0
    public static let maxRefusals = 64

    /// `supported` decides each proposal; `listed` answers `ls`.
    public init(supported: @escaping @Sendable (String) -> Bool, listed: @escaping @Sendable () -> [String]) {
        self.supported = supported
        self.listed = listed
    }

    public init(protocols: [String]) {
        let set = Set(protocols)
        self.init(supported: { set.contains($0) }, listed: { protocols })
    }

    /// The header, sent as soon as the connection or stream opens.
    public func start() -> [UInt8] { Multistream.encode(Multistream.header) }

    /// A failure found after answers that must still go out (see `receive`).
    public private(set) var failure: MultistreamError?

    /// Answers the proposals in `bytes`. If a message fails after some were answered, the step carries
    /// those answers and the failure waits in `failure`: an optimistic opener that sent data after its
    /// proposal must see the `na` before the stream is reset, as from a peer reading one message at a time.
    public mutating func receive(_ bytes: some Collection<UInt8>) throws(MultistreamError) -> MultistreamStep {
        if let failure { throw failure }
        messages.append(bytes)
        var step = MultistreamStep()
        do {
            try answer(into: &step)
        } catch {
            guard step.send.isEmpty else {
                failure = error
                return step
            }
            throw error
        }
        return step
    }

    private mutating func answer(into step: inout MultistreamStep) throws(MultistreamError) {
        while let text = try messages.next() {
            if text == Multistream.list {
                step.send += Multistream.listing(listed())
            } else if supported(text) {
                Multistream.encode(text, into: &step.send)
                step.agreed = (text, messages.takeRest())
                return
            } else {
                refusals += 1
                guard refusals <= Self.maxRefusals else {
                    throw .malformed("more than \(Self.maxRefusals) refused proposals")
                }
                Multistream.encode(Multistream.notAvailable, into: &step.send)
            }
        }
    }
}
