import DMSMessages
import Testing

@Suite struct BehaviorCatalogueTests {
    let all = Behaviors.node + Behaviors.deployment

    @Test func everyBehaviorHasOneEntry() {
        #expect(Set(all.map(\.name)).count == all.count)
    }

    @Test func namesArePathsAndEachNeedsTheCapabilityOfItsName() {
        for behavior in all {
            #expect(behavior.name.hasPrefix("/"), "\(behavior.name)")
            #expect(!behavior.name.hasSuffix("/"), "\(behavior.name)")
            #expect(behavior.capability == behavior.name)
            #expect(!behavior.summary.isEmpty, "\(behavior.name) has no summary")
        }
    }

    /// Broadcast behaviors name their topic, and only they do; the topics are the Go DMS's.
    @Test func broadcastBehaviorsCarryTheirTopic() {
        let broadcast = all.filter { $0.topic != nil }.map { "\($0.name) on \($0.topic!)" }
        #expect(
            broadcast == [
                "/broadcast/hello on /nunet/hello", "/broadcast/dms/revocation on /nunet/revocation",
                "/dms/deployment/request on /nunet/deployment",
            ])
    }

    /// Bid reply continuations are not behaviors of the catalogue but must never collide with one.
    @Test func bidRepliesLiveUnderTheirOwnPrefix() {
        #expect(!all.contains { $0.name.hasPrefix(Behaviors.bidReplyPrefix + "/") })
    }
}
