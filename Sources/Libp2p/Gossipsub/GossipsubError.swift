/// Why a local gossipsub operation failed.
public enum GossipsubError: Error, Sendable, Equatable {
    case alreadyJoined(String)
    case messageTooLarge(Int, limit: Int)
    /// Our own validator refused the message we tried to publish.
    case validationRejected
    case validationIgnored
    case stopped
}
