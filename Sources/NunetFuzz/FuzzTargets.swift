/// Every entry point, one per decoder that takes bytes from outside the process.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        .varint, .multiaddr, .multistream, .noise, .yamux, .identify, .dns, .kademlia, .gossipsub, .envelope,
        .token, .tokenList, .ensemble, .config, .restBody,
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
