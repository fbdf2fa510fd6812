import DMSEnsemble

/// The offers a node may use whatever else is placed: not excluded, every executor offered, its terms
/// met (prices, time, connectivity, localities), and the pinned peer if any, else an accepted location (a
/// pin overrides location rules, as in the Go DMS).
/// Nodes that agree on these rules share one list, and each location rule is checked once per distinct
/// provider location, so preparing a thousand nodes over a thousand offers costs about one pass over the
/// offers per distinct rule set.
struct StaticEligibility {
    private struct RuleSet: Hashable {
        var executors: UInt64
        /// The location rule's number, or `anywhere`.
        var location: Int
        /// The pinned offer's index, `unpinned`, or `absent` when the pinned peer made no usable offer.
        var pinned: Int
        /// The node's terms, by their index in the problem.
        var terms: Int
    }

    private struct LocationRules: Hashable {
        var accept: [Location]
        var reject: [Location]
    }

    private static let anywhere = -1
    private static let unpinned = -1
    private static let absent = -2

    private let offers: [Offer]
    private let excluded: [Bool]
    private let usable: [Int]
    private let offerExecutors: [UInt64]
    /// Each offer's location as a number, once a location rule needs it.
    private var offerLocation: [Int] = []
    private var locationCount = 0
    private var rules: [LocationRules] = []
    private var ruleIndex: [LocationRules: Int] = [:]
    /// Per (rule, location): 0 unknown, 1 admitted, 2 refused.
    private var admitted: [UInt8] = []
    private var lists: [RuleSet: [Int]] = [:]
    /// Whether an offer meets the terms of the given index.
    private let meets: (_ terms: Int, _ offer: Int) -> Bool

    init(offers: [Offer], excluded: [Bool], meets: @escaping (_ terms: Int, _ offer: Int) -> Bool) {
        self.offers = offers
        self.excluded = excluded
        self.meets = meets
        usable = offers.indices.filter { !excluded[$0] }
        offerExecutors = offers.map { Self.mask($0.executors) }
    }

    /// The usable offers for `node`, ascending.
    mutating func offers(for node: NodeDemand, terms: Int) -> [Int] {
        let pinned = node.pinnedPeer.map { peer in
            MatchingProblem.index(of: peer, in: offers).flatMap { excluded[$0] ? nil : $0 } ?? Self.absent
        }
        let key = RuleSet(
            executors: Self.mask(node.executors),
            location: pinned == nil ? ruleNumber(node.location) : Self.anywhere, pinned: pinned ?? Self.unpinned,
            terms: terms)
        if let list = lists[key] { return list }
        let pool: [Int] =
            switch key.pinned {
            case Self.unpinned: usable
            case Self.absent: []
            default: [key.pinned]
            }
        let list = pool.filter { offer in
            offerExecutors[offer] & key.executors == key.executors
                && (key.location == Self.anywhere || admits(key.location, offer)) && meets(key.terms, offer)
        }
        lists[key] = list
        return list
    }

    private mutating func ruleNumber(_ constraint: LocationConstraint) -> Int {
        if constraint.accept.isEmpty && constraint.reject.isEmpty { return Self.anywhere }
        let rule = LocationRules(accept: constraint.accept, reject: constraint.reject)
        if let known = ruleIndex[rule] { return known }
        if offerLocation.isEmpty { numberLocations() }
        rules.append(rule)
        ruleIndex[rule] = rules.count - 1
        admitted.append(contentsOf: repeatElement(0, count: locationCount))
        return rules.count - 1
    }

    private mutating func numberLocations() {
        var numbers: [Location?: Int] = [:]
        offerLocation = offers.map { offer in
            if let known = numbers[offer.location] { return known }
            numbers[offer.location] = numbers.count
            return numbers.count - 1
        }
        locationCount = numbers.count
    }

    private mutating func admits(_ rule: Int, _ offer: Int) -> Bool {
        let slot = rule * locationCount + offerLocation[offer]
        if admitted[slot] == 0 {
            let constraint = LocationConstraint(accept: rules[rule].accept, reject: rules[rule].reject)
            admitted[slot] = constraint.admits(offers[offer].location) ? 1 : 2
        }
        return admitted[slot] == 1
    }

    private static func mask(_ executors: Set<ExecutorKind>) -> UInt64 {
        var mask: UInt64 = 0
        for kind in executors { mask |= 1 << UInt64(ExecutorKind.allCases.firstIndex(of: kind) ?? 0) }
        return mask
    }
}
