/// What a topic validator decides: deliver and forward, drop and penalise the sender, or just drop.
public enum ValidationResult: Sendable, Equatable {
    case accept
    case reject
    case ignore
}
