import Foundation

extension ComputeCapability {
    /// Both together, as two allocations placed on one node need them: lists merged without duplicates,
    /// resources added, storage of the same type combined, VPN or public ports needed if either needs
    /// them. Time is the longer of the two, not the sum: the allocations of a node run side by side; an
    /// availability ends with the earlier of the two.
    public func adding(_ other: ComputeCapability) throws(ResourceError) -> ComputeCapability {
        var result = self
        result.executors = Self.union(executors, other.executors)
        result.jobTypes = Self.union(jobTypes, other.jobTypes)
        result.resources = try resources.adding(other.resources)
        result.libraries = Self.union(libraries, other.libraries)
        result.localities = Self.union(localities, other.localities)
        for volume in other.storage {
            if let index = result.storage.firstIndex(where: { $0.type == volume.type }) {
                result.storage[index].size += volume.size
                result.storage[index].amount += volume.amount
            } else {
                result.storage.append(volume)
            }
        }
        result.connectivity = Connectivity(
            ports: Self.union(connectivity.ports, other.connectivity.ports),
            vpn: connectivity.vpn || other.connectivity.vpn,
            publicPorts: connectivity.publicPorts || other.connectivity.publicPorts)
        result.prices = Self.union(prices, other.prices)
        let until = [time.availableUntil, other.time.availableUntil].compactMap { $0 }.min()
        result.time =
            [time.seconds, other.time.seconds].compactMap { $0 }.max().map { Time(seconds: $0, availableUntil: until) }
            ?? Time(availableUntil: until)
        result.kyc = Self.union(kyc, other.kyc)
        return result
    }

    /// This offer less what `requirement` locks: resources (GPUs matched by vendor and VRAM), ports and
    /// storage. Kinds (executors, job types, libraries, localities, prices, KYC) and the offer's time are
    /// not consumed: the longest job a machine accepts is a limit per job. Fails with every reason the
    /// offer does not meet the requirement (`shortfalls`), changing nothing.
    public func subtracting(_ requirement: ComputeCapability, at now: Int64? = nil) throws(ResourceError)
        -> ComputeCapability
    {
        let reasons = shortfalls(for: requirement, at: now)
        guard reasons.isEmpty else { throw ResourceError(reasons) }
        var result = self
        result.resources = try resources.subtracting(try resources.placement(of: requirement.resources))
        result.connectivity.ports.removeAll { requirement.connectivity.ports.contains($0) }
        result.storage = storageLeft(after: requirement.storage).left
        return result
    }

    /// How this offer compares with `requirement`: worse exactly when `subtracting` it fails; equal when
    /// it would leave no resources, ports or storage; better otherwise.
    public func compare(to requirement: ComputeCapability, at now: Int64? = nil) -> Comparison {
        guard let left = try? subtracting(requirement, at: now) else { return .worse }
        let empty =
            left.resources.cpu.cores <= 0 && left.resources.ram == 0 && left.resources.disk == 0
            && left.resources.gpus.allSatisfy { $0.vram == 0 } && left.connectivity.ports.isEmpty
            && left.storage.isEmpty
        return empty ? .equal : .better
    }

    /// Every reason this offer does not meet `requirement`, in words a user can act on ("price 0.8 NTX/h
    /// above the ceiling 0.5", "max job time 1 h, the ensemble needs 3 h", "no public port"); empty when
    /// it does. `now` (Unix seconds) checks the offer's availability; nil skips that check.
    public func shortfalls(for requirement: ComputeCapability, at now: Int64? = nil) -> [String] {
        var reasons: [String] = []
        let missing = { (kind: String, names: [String]) in
            if !names.isEmpty { reasons.append("\(kind) \(names.joined(separator: ", ")) not offered") }
        }
        missing("executor", requirement.executors.filter { !executors.contains($0) })
        // An offer that names no job types takes every type.
        if !jobTypes.isEmpty {
            missing("job type", requirement.jobTypes.filter { !jobTypes.contains($0) }.map(\.rawValue))
        }
        missing(
            "library", requirement.libraries.filter { !libraries.contains($0) }.map { "\($0.name) \($0.version)" })
        if !requirement.localities.isEmpty && Set(requirement.localities).isDisjoint(with: localities) {
            let wanted = requirement.localities.map { "\($0.kind) \($0.name)" }.joined(separator: " or ")
            let offered =
                localities.isEmpty ? "none" : localities.map { "\($0.kind) \($0.name)" }.joined(separator: ", ")
            reasons.append("locality: needs \(wanted), offers \(offered)")
        }
        if requirement.connectivity.publicPorts && !connectivity.publicPorts { reasons.append("no public port") }
        if requirement.connectivity.vpn && !connectivity.vpn { reasons.append("cannot join a private network (VPN)") }
        missing("port", requirement.connectivity.ports.filter { !connectivity.ports.contains($0) }.map(String.init))
        reasons += storageLeft(after: requirement.storage).shortfalls
        reasons += timeShortfalls(for: requirement.time, at: now)
        if let priceReason = priceShortfall(for: requirement) { reasons.append(priceReason) }
        do {
            _ = try resources.placement(of: requirement.resources)
        } catch {
            reasons += error.shortfalls
        }
        return reasons
    }

    /// The storage left once `volumes` are taken one after the other (an exact match removes a volume,
    /// otherwise its size and amount go down), and a reason for each volume that does not fit.
    private func storageLeft(after volumes: [Storage]) -> (left: [Storage], shortfalls: [String]) {
        var left = storage
        var shortfalls: [String] = []
        for volume in volumes {
            guard
                let index = left.firstIndex(where: {
                    $0.type == volume.type && $0.size >= volume.size && $0.amount >= volume.amount
                })
            else {
                shortfalls.append("storage \(volume.type): need \(Units.formatBytes(volume.size)) × \(volume.amount)")
                continue
            }
            if left[index] == volume {
                left.remove(at: index)
            } else {
                left[index].size -= volume.size
                left[index].amount -= volume.amount
            }
        }
        return (left, shortfalls)
    }

    private func timeShortfalls(for needed: Time, at now: Int64?) -> [String] {
        var reasons: [String] = []
        let seconds = needed.seconds
        if let seconds, let limit = time.seconds, seconds > limit {
            reasons.append(
                "max job time \(Time.describe(seconds: limit)), the ensemble needs \(Time.describe(seconds: seconds))")
        }
        if let until = time.availableUntil, let now {
            let end = now + Int64(seconds ?? 0)
            if end > until {
                reasons.append(
                    seconds == nil
                        ? "available until \(Self.timestamp(until)), which has passed"
                        : "available until \(Self.timestamp(until)), the job would end at \(Self.timestamp(end))")
            }
        }
        return reasons
    }

    /// Why no price of this offer is within the requirement's ceilings, or nil when one is (or when either
    /// side names no price: an offer without prices is free).
    private func priceShortfall(for requirement: ComputeCapability) -> String? {
        guard !requirement.prices.isEmpty, !prices.isEmpty else { return nil }
        if quote(for: requirement) != nil { return nil }
        let currencies = Self.union(requirement.prices.map(\.currency), [])
        guard let currency = currencies.first(where: { wanted in prices.contains { $0.currency == wanted } }) else {
            let offered = Self.union(prices.map(\.currency), []).joined(separator: ", ")
            return "priced only in \(offered), the ensemble pays in \(currencies.joined(separator: ", "))"
        }
        let price = prices.first { $0.currency == currency }!
        let seconds = requirement.time.seconds
        for ceiling in requirement.prices where ceiling.currency == currency {
            if ceiling.currencyPerHour > 0 && price.currencyPerHour > ceiling.currencyPerHour {
                return "price \(Price.amount(price.currencyPerHour)) \(currency)/h above the ceiling "
                    + Price.amount(ceiling.currencyPerHour)
            }
            if ceiling.totalPerJob > 0 && price.cost(seconds: seconds) > ceiling.totalPerJob {
                return "estimated cost \(Price.amount(price.cost(seconds: seconds))) \(currency) above the ceiling "
                    + Price.amount(ceiling.totalPerJob)
            }
        }
        return nil
    }

    /// The price this offer would charge for `requirement`: of its prices in a currency the requirement
    /// pays in (in the requirement's order) and within every ceiling of that currency, the cheapest; with
    /// no price requirement, the offer's preferred price. Nil when none qualifies; a free offer (no
    /// prices) quotes zero.
    public func quote(for requirement: ComputeCapability) -> CostEstimate? {
        let seconds = requirement.time.seconds
        guard !prices.isEmpty else {
            let currency = requirement.prices.first?.currency ?? Price.currencies[0]
            return CostEstimate(price: Price(currency: currency, currencyPerHour: 0), seconds: seconds)
        }
        guard !requirement.prices.isEmpty else {
            let preferred = prices.enumerated().max { a, b in
                (a.element.preference, b.offset) < (b.element.preference, a.offset)
            }!
            return CostEstimate(price: preferred.element, seconds: seconds)
        }
        for currency in Self.union(requirement.prices.map(\.currency), []) {
            let ceilings = requirement.prices.filter { $0.currency == currency }
            let within = prices.filter { price in
                price.currency == currency
                    && ceilings.allSatisfy { ceiling in
                        (ceiling.currencyPerHour <= 0 || price.currencyPerHour <= ceiling.currencyPerHour)
                            && (ceiling.totalPerJob <= 0 || price.cost(seconds: seconds) <= ceiling.totalPerJob)
                    }
            }
            if let cheapest = within.min(by: { $0.cost(seconds: seconds) < $1.cost(seconds: seconds) }) {
                return CostEstimate(price: cheapest, seconds: seconds)
            }
        }
        return nil
    }

    static func timestamp(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
