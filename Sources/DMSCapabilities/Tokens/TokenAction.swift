/// What a token allows its subject to do with its capabilities.
public enum TokenAction: String, Sendable, CaseIterable {
    /// Pass the capabilities on: other tokens may chain on this one.
    case delegate
    /// Invoke behaviors (terminal).
    case invoke
    /// Publish on the token's topics (terminal; never has an audience).
    case broadcast
    /// Revoke another token identified by issuer, subject and nonce.
    case revoke
}

/// Whether delegation also issues, or only issues, a token signed by the context itself (no chain).
public enum SelfSignMode: String, Sendable, CaseIterable {
    case no
    case also
    case only
}
