import DMSCore
import NunetTestSupport
import Testing

/// The arithmetic laws of the seed's Capability, over random offers and requirements: `adding` is
/// commutative and associative, `subtracting` undoes `adding`, a subtraction that cannot be made fails
/// whole, unions keep no duplicates, and `compare` agrees with `subtracting`.
@Suite struct CapabilityLawTests {
    static let rounds = 2000

    @Test func addingIsCommutativeAndAssociative() throws {
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<Self.rounds {
            let (a, b, c) = (Self.capability(&generator), Self.capability(&generator), Self.capability(&generator))
            #expect(Self.normal(try a.adding(b)) == Self.normal(try b.adding(a)))
            #expect(Self.normal(try a.adding(b).adding(c)) == Self.normal(try a.adding(b.adding(c))))
        }
    }

    @Test func subtractingUndoesAdding() throws {
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<Self.rounds {
            let offer = Self.capability(&generator)
            let lock = Self.lock(&generator, avoiding: offer.connectivity.ports)
            let restored = try offer.adding(lock).subtracting(lock)
            #expect(Self.normal(restored) == Self.normal(offer), "offer \(offer), lock \(lock)")
        }
    }

    @Test func aSubtractionThatCannotBeMadeFailsWholeWithEveryReason() {
        var generator = SeededGenerator(seed: 18)
        var failures = 0
        for _ in 0..<Self.rounds {
            let (offer, requirement) = (Self.capability(&generator), Self.requirement(&generator))
            let now = Int64.random(in: 0...200_000, using: &generator)
            let reasons = offer.shortfalls(for: requirement, at: now)
            do {
                let left = try offer.subtracting(requirement, at: now)
                #expect(reasons.isEmpty)
                // Nothing goes below zero: what is left plus what was locked is the offer again.
                #expect(left.resources.cpu.cores >= 0)
                #expect(left.resources.ram + requirement.resources.ram == offer.resources.ram)
                #expect(left.resources.disk + requirement.resources.disk == offer.resources.disk)
            } catch {
                failures += 1
                #expect(error.shortfalls == reasons && !reasons.isEmpty)
            }
        }
        // Both outcomes occur often enough for the law to mean something.
        #expect(failures > Self.rounds / 10 && failures < Self.rounds * 9 / 10, "\(failures) failures")
    }

    @Test func unionsHaveNoDuplicates() throws {
        var generator = SeededGenerator(seed: 19)
        for _ in 0..<Self.rounds {
            let sum = try Self.capability(&generator).adding(Self.capability(&generator))
            #expect(Set(sum.executors).count == sum.executors.count)
            #expect(Set(sum.jobTypes).count == sum.jobTypes.count)
            #expect(Set(sum.localities).count == sum.localities.count)
            #expect(Set(sum.prices).count == sum.prices.count)
            #expect(Set(sum.connectivity.ports).count == sum.connectivity.ports.count)
            #expect(Set(sum.storage.map(\.type)).count == sum.storage.count)
        }
    }

    @Test func compareIsWorseExactlyWhenSubtractingFails() {
        var generator = SeededGenerator(seed: 20)
        var outcomes: [Comparison: Int] = [:]
        for _ in 0..<Self.rounds {
            let (offer, requirement) = (Self.capability(&generator), Self.requirement(&generator))
            let now = Int64.random(in: 0...200_000, using: &generator)
            let comparison = offer.compare(to: requirement, at: now)
            let subtracted = (try? offer.subtracting(requirement, at: now)) != nil
            #expect((comparison == .worse) == !subtracted)
            outcomes[comparison, default: 0] += 1
        }
        #expect(outcomes[.worse, default: 0] > 0 && outcomes[.better, default: 0] > 0)
        // An offer meets itself taken as a requirement exactly, leaving nothing.
        var exact = ComputeCapability(resources: Resources(cpu: CPUResources(cores: 2), ram: 1 << 30))
        exact.connectivity.ports = [8080]
        #expect(exact.compare(to: exact) == .equal)
    }

    // MARK: - Generators

    static let executors = ["docker", "wasm", "firecracker"]
    static let localities = [("country", "DE"), ("country", "FR"), ("continent", "Europe"), ("city", "Berlin")]
    static let storageTypes = ["ssd", "hdd"]

    static func subset<T>(_ values: [T], _ generator: inout SeededGenerator) -> [T] {
        values.filter { _ in Bool.random(using: &generator) }
    }

    /// Any capability: an offer or a requirement, small enough that both meet and miss each other.
    static func capability(_ generator: inout SeededGenerator) -> ComputeCapability {
        let currencies = ["NTX", "ADA"]
        let prices = subset(currencies, &generator).map { currency in
            ComputeCapability.Price(
                currency: currency, currencyPerHour: Double(Int.random(in: 0...10, using: &generator)) / 10,
                totalPerJob: Double(Int.random(in: 0...3, using: &generator)))
        }
        let time =
            Bool.random(using: &generator)
            ? ComputeCapability.Time()
            : ComputeCapability.Time(seconds: 600 * Int.random(in: 1...12, using: &generator))
        var capability = ComputeCapability(
            executors: subset(executors, &generator),
            jobTypes: subset(ComputeCapability.JobType.allCases, &generator),
            resources: Resources(
                cpu: CPUResources(cores: Double(Int.random(in: 0...800, using: &generator)) / 100),
                ram: UInt64.random(in: 0...16, using: &generator) << 30,
                disk: UInt64.random(in: 0...64, using: &generator) << 30),
            localities: subset(localities, &generator).map { .init(kind: $0.0, name: $0.1) },
            storage: subset(storageTypes, &generator).map {
                .init(
                    type: $0, size: UInt64.random(in: 1...8, using: &generator) << 30,
                    amount: Int.random(in: 1...3, using: &generator))
            },
            connectivity: .init(
                ports: subset([80, 443, 8080, 9000], &generator), vpn: Bool.random(using: &generator),
                publicPorts: Bool.random(using: &generator)),
            prices: prices, time: time)
        if Int.random(in: 0..<4, using: &generator) == 0 {
            capability.time.availableUntil = Int64.random(in: 0...200_000, using: &generator)
        }
        return capability
    }

    /// A requirement that states only some things, so offers meet it about as often as not.
    static func requirement(_ generator: inout SeededGenerator) -> ComputeCapability {
        let any = capability(&generator)
        var requirement = ComputeCapability()
        func maybe(_ set: (inout ComputeCapability) -> Void) {
            if Int.random(in: 0..<4, using: &generator) == 0 { set(&requirement) }
        }
        maybe { $0.executors = Array(any.executors.prefix(1)) }
        maybe { $0.jobTypes = Array(any.jobTypes.prefix(1)) }
        maybe { $0.localities = any.localities }
        maybe { $0.storage = any.storage }
        maybe { $0.connectivity = any.connectivity }
        maybe { $0.prices = any.prices }
        maybe { $0.time = any.time }
        requirement.resources = Resources(
            cpu: CPUResources(cores: any.resources.cpu.cores / 4), ram: any.resources.ram / 4,
            disk: any.resources.disk / 4)
        return requirement
    }

    /// What a job locks on a machine: resources, ports the offer does not list, storage.
    static func lock(_ generator: inout SeededGenerator, avoiding ports: [Int]) -> ComputeCapability {
        ComputeCapability(
            resources: Resources(
                cpu: CPUResources(cores: Double(Int.random(in: 0...400, using: &generator)) / 100),
                ram: UInt64.random(in: 0...8, using: &generator) << 30),
            storage: subset(storageTypes, &generator).map { .init(type: $0, size: 1 << 30) },
            connectivity: .init(ports: subset([1000, 2000, 3000], &generator).filter { !ports.contains($0) }))
    }

    /// Lists in a fixed order, so results that differ only in the order of unions compare equal.
    static func normal(_ capability: ComputeCapability) -> ComputeCapability {
        var normal = capability
        normal.executors.sort()
        normal.jobTypes.sort { $0.rawValue < $1.rawValue }
        normal.localities.sort { ($0.kind, $0.name) < ($1.kind, $1.name) }
        normal.storage.sort { $0.type < $1.type }
        normal.connectivity.ports.sort()
        normal.prices.sort {
            ($0.currency, $0.currencyPerHour, $0.totalPerJob) < ($1.currency, $1.currencyPerHour, $1.totalPerJob)
        }
        normal.resources.cpu.cores = (normal.resources.cpu.cores * 100).rounded() / 100
        if let seconds = normal.time.seconds {
            normal.time = .init(seconds: seconds, availableUntil: normal.time.availableUntil)
        }
        return normal
    }
}
