import DMSCore
import Foundation
import NunetTestSupport
import Testing

@Suite struct ComputeCapabilityTests {
    let gib: UInt64 = 1_073_741_824

    @Test func addingCombinesTwoAllocationsOnOneNode() throws {
        let web = ComputeCapability(
            executors: ["docker"], jobTypes: [.longRunning],
            resources: Resources(cpu: CPUResources(cores: 1), ram: gib),
            storage: [.init(type: "ssd", size: 10 * gib)], connectivity: .init(ports: [80]),
            time: .init(units: "minutes", maxTime: 60))
        let batch = ComputeCapability(
            executors: ["docker", "wasm"], jobTypes: [.batch],
            resources: Resources(cpu: CPUResources(cores: 2), ram: gib),
            storage: [.init(type: "ssd", size: 5 * gib)], connectivity: .init(ports: [80, 443], vpn: true),
            prices: [.init(currency: "NTX", currencyPerHour: 0.5)], time: .init(units: "hours", maxTime: 3))
        let both = try web.adding(batch)
        #expect(both.executors == ["docker", "wasm"])
        #expect(both.jobTypes == [.longRunning, .batch])
        #expect(both.resources.cpu.cores == 3)
        #expect(both.storage == [.init(type: "ssd", size: 15 * gib, amount: 2)])
        #expect(both.connectivity == .init(ports: [80, 443], vpn: true))
        #expect(both.prices == [.init(currency: "NTX", currencyPerHour: 0.5)])
        // Side by side, not one after the other: the longer run, in whatever units each side used.
        #expect(both.time.seconds == 3 * 3600)
    }

    @Test func subtractingLocksResourcesPortsAndStorageButNotTheJobTimeLimit() throws {
        let offer = ComputeCapability(
            executors: ["wasm"], resources: Resources(cpu: CPUResources(cores: 4), ram: 8 * gib),
            storage: [.init(type: "ssd", size: 100 * gib, amount: 4)], connectivity: .init(ports: [8080, 8081]),
            time: .init(units: "hours", maxTime: 1))
        let job = ComputeCapability(
            resources: Resources(cpu: CPUResources(cores: 1), ram: 2 * gib),
            storage: [.init(type: "ssd", size: 10 * gib)],
            connectivity: .init(ports: [8080]), time: .init(units: "minutes", maxTime: 10))
        let left = try offer.subtracting(job)
        #expect(left.resources.cpu.cores == 3)
        #expect(left.connectivity.ports == [8081])
        #expect(left.storage == [.init(type: "ssd", size: 90 * gib, amount: 3)])
        #expect(left.time.seconds == 3600)
        let tooMuch = ComputeCapability(
            resources: Resources(cpu: CPUResources(cores: 8)), connectivity: .init(ports: [9999]),
            time: .init(units: "hours", maxTime: 3))
        let error = #expect(throws: ResourceError.self) { try offer.subtracting(tooMuch) }
        #expect(
            error?.shortfalls.sorted() == [
                "cpu: need 8 cores, 4 free", "max job time 1 h, the ensemble needs 3 h", "port 9999 not offered",
            ])
    }

    @Test func everyRejectionNamesWhatToChange() {
        let offer = ComputeCapability(
            executors: ["docker"], localities: [.init(kind: "country", name: "DE")],
            prices: [.init(currency: "NTX", currencyPerHour: 0.8)], time: .init(units: "hours", maxTime: 1))
        func reasons(_ requirement: ComputeCapability, at now: Int64? = nil) -> [String] {
            offer.shortfalls(for: requirement, at: now)
        }
        #expect(
            reasons(.init(prices: [.init(currency: "NTX", currencyPerHour: 0.5)])) == [
                "price 0.8 NTX/h above the ceiling 0.5"
            ])
        #expect(
            reasons(.init(prices: [.init(currency: "ADA", currencyPerHour: 5)])) == [
                "priced only in NTX, the ensemble pays in ADA"
            ])
        #expect(
            reasons(
                .init(
                    prices: [.init(currency: "NTX", currencyPerHour: 1, totalPerJob: 2)], time: .init(seconds: 3 * 3600)
                )
            )
            .contains("estimated cost 2.4 NTX above the ceiling 2"))
        #expect(reasons(.init(time: .init(units: "hours", maxTime: 3))) == ["max job time 1 h, the ensemble needs 3 h"])
        #expect(reasons(.init(connectivity: .init(publicPorts: true))) == ["no public port"])
        #expect(reasons(.init(connectivity: .init(vpn: true))) == ["cannot join a private network (VPN)"])
        #expect(reasons(.init(executors: ["wasm"])) == ["executor wasm not offered"])
        #expect(
            reasons(.init(localities: [.init(kind: "country", name: "FR")])) == [
                "locality: needs country FR, offers country DE"
            ])
        var limited = offer
        limited.time.availableUntil = 1_000_000
        #expect(
            limited.shortfalls(for: .init(time: .init(seconds: 600)), at: 999_900) == [
                "available until 1970-01-12T13:46:40Z, the job would end at 1970-01-12T13:55:00Z"
            ])
        #expect(limited.shortfalls(for: .init(time: .init(seconds: 60)), at: 999_900).isEmpty)
    }

    @Test func aQuoteIsTheCheapestPriceWithinTheCeilingsInTheFirstCurrencyOffered() throws {
        let offer = ComputeCapability(prices: [
            .init(currency: "ADA", currencyPerHour: 1, preference: 2),
            .init(currency: "NTX", currencyPerHour: 0.4, totalPerJob: 1),
            .init(currency: "NTX", currencyPerHour: 0.3, totalPerJob: 3),
        ])
        let threeHours = ComputeCapability.Time(seconds: 3 * 3600)
        let ntx = try #require(
            offer.quote(for: .init(prices: [.init(currency: "NTX", currencyPerHour: 0.5)], time: threeHours)))
        #expect(ntx.price.currencyPerHour == 0.4)
        #expect(abs(ntx.cost - 2.2) < 1e-9)
        #expect(ntx.description == "2.2 NTX (0.4 NTX/h + 1 NTX per job × 3 h)")
        // Without a price requirement, the provider's preferred price applies.
        #expect(offer.quote(for: .init(time: threeHours))?.price.currency == "ADA")
        #expect(offer.quote(for: .init(prices: [.init(currency: "ETH", currencyPerHour: 1)])) == nil)
        #expect(ComputeCapability().quote(for: .init())?.description == "free")
        #expect(offer.quote(for: .init())?.isOpenEnded == true)
    }

    @Test func pricesAndTimesWithBadValuesNameTheFieldValueAndRule() {
        #expect(
            ComputeCapability.Price(currency: "DOGE", currencyPerHour: -1, totalPerJob: .nan).problems(at: "price") == [
                "price.currency: unknown currency \"DOGE\" (use one of NTX, ADA, ETH, USDT, USDC, USD, EUR)",
                "price.currency_per_hour: -1.0 is not a finite amount of 0 or more",
                "price.total_per_job: nan is not a finite amount of 0 or more",
            ])
        #expect(
            ComputeCapability.Time(units: "fortnights", maxTime: 2).problems(at: "time") == [
                "time.units: unknown time unit \"fortnights\" (use one of seconds, minutes, hours, days)"
            ])
    }

    @Test func goJSONWithoutThisNodesFieldsStillDecodes() throws {
        let json = """
            {"executor":[],"type":[],"resources":{"cpu":{"cores":1,"clock_speed":0},"ram":{"size":0},"disk":{"size":0},"gpus":[]},
            "libraries":[],"locality":[],"storage":[],"connectivity":{"ports":[80],"vpn":false},
            "price":[{"currency":"NTX","currency_per_hour":0.5,"total_per_job":0,"preference":0}],
            "time":{"units":"hours","max_time":2,"preference":0},"KYCs":[]}
            """
        let capability = try JSONDecoder().decode(ComputeCapability.self, from: Data(json.utf8))
        #expect(capability.connectivity == .init(ports: [80]))
        #expect(capability.time.seconds == 7200)
        #expect(capability.time.availableUntil == nil)
    }
}
