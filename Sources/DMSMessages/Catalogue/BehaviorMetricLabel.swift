import DMSActor

extension Behaviors {
    /// Every catalogue behavior's name: the only names that become metric labels as they are.
    public static let catalogueNames: Set<String> = Set((node + deployment).map(\.name))

    /// The metric label of behavior `name`: catalogue names as they are, per-request reply continuations folded
    /// into their prefix, anything else (a name a sender made up) `other`, so label cardinality stays bounded
    /// whatever arrives.
    public static func metricLabel(for name: String) -> String {
        if catalogueNames.contains(name) { return name }
        for prefix in [ActorSecurity.replyPrefix, bidReplyPrefix] where name.hasPrefix(prefix + "/") {
            return prefix
        }
        return "other"
    }
}
