import DMSCore

/// A `requirements` section of an allocation or a node: what the job asks of a provider beyond resources,
/// as a Capability. `price` caps what it pays (one currency, or a list of them, any of which will do),
/// `duration` says how long it runs, `connectivity` what network it needs, `locality` where it may run.
struct RequirementRules {
    let diagnostics: Diagnostics

    static let keys = ["price", "duration", "connectivity", "locality"]
    static let priceKeys = ["currency", "max_per_hour", "max_total"]
    static let localityKinds = ["continent", "country", "city"]
    static let amountRule = "must be a finite amount of 0 or more"
    static let durationRule = "must be a duration such as 90m, 3h or 2d"

    /// The section under `requirements` of `fields`, or nil when there is none. `executors` are those of
    /// the allocations it applies to; what none of them can honour is refused.
    func requirement(_ fields: Fields, executors: [ExecutorKind]) -> ComputeCapability? {
        guard let section = fields.fields("requirements", known: Self.keys) else { return nil }
        var requirement = ComputeCapability()
        requirement.prices = prices(section)
        if let text = section.string("duration") {
            if let nanoseconds = try? TimeSpec.duration(text), nanoseconds >= 1_000_000_000 {
                requirement.time = .init(seconds: Int(nanoseconds / 1_000_000_000))
            } else {
                section.report("duration", Self.durationRule)
            }
        }
        if let connectivity = section.fields("connectivity", known: ["public", "vpn"]) {
            requirement.connectivity.publicPorts = connectivity.bool("public") ?? false
            requirement.connectivity.vpn = connectivity.bool("vpn") ?? false
            let needsNetwork = requirement.connectivity.publicPorts || requirement.connectivity.vpn
            if needsNetwork && !executors.isEmpty && executors.allSatisfy({ $0 == .wasm }) {
                section.report(
                    "connectivity", "the wasm executor has no network: it cannot publish ports or join a VPN")
            }
        }
        for (index, item) in (section.list("locality") ?? []).enumerated() {
            let path = section.path("locality").index(index)
            guard let place = Fields(item, at: path, known: ["kind", "name"], diagnostics: diagnostics),
                let kind = place.string("kind", required: true), let name = place.string("name", required: true)
            else { continue }
            guard Self.localityKinds.contains(kind) else {
                place.report("kind", Fields.mustBeOneOf(Self.localityKinds, given: kind))
                continue
            }
            if kind == "country" && !(name.count == 2 && name.allSatisfy { $0.isASCII && $0.isLetter }) {
                place.report("name", "a country must be a two-letter ISO 3166 code, such as DE")
                continue
            }
            requirement.localities.append(.init(kind: kind, name: kind == "country" ? name.uppercased() : name))
        }
        return requirement
    }

    /// `price`: one ceiling or a list of them, each in a known currency.
    private func prices(_ section: Fields) -> [ComputeCapability.Price] {
        guard let node = section["price"] else { return [] }
        let items: [(YAMLNode, FieldPath)] =
            node.items.map { $0.enumerated().map { ($1, section.path("price").index($0)) } }
            ?? [(node, section.path("price"))]
        return items.compactMap { item, path in
            guard let price = Fields(item, at: path, known: Self.priceKeys, diagnostics: diagnostics) else {
                return nil
            }
            let currency = price.string("currency", required: true)
            if let currency, !ComputeCapability.Price.currencies.contains(currency) {
                price.report("currency", Fields.mustBeOneOf(ComputeCapability.Price.currencies, given: currency))
            }
            let amounts = 0...Double.greatestFiniteMagnitude
            let perHour = price.number("max_per_hour", in: amounts, rule: Self.amountRule)
            let total = price.number("max_total", in: amounts, rule: Self.amountRule)
            if price["max_per_hour"] == nil && price["max_total"] == nil {
                price.reportMissing("max_per_hour", "required: max_per_hour, max_total or both")
            }
            guard let currency, ComputeCapability.Price.currencies.contains(currency) else { return nil }
            return .init(currency: currency, currencyPerHour: perHour ?? 0, totalPerJob: total ?? 0)
        }
    }
}
