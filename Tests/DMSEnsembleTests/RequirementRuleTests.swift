import DMSCore
import DMSEnsemble
import Testing

/// `requirements` sections: price ceilings, run time, connectivity and locality, per allocation or node.
@Suite struct RequirementRuleTests {
    static func requiring(_ flow: String) -> String { ensembleYAML(allocation: [("requirements", flow)]) }

    static let wasm: [(String, String?)] = [
        ("executor", "wasm"), ("type", "task"), ("execution", "{type: wasm, module: hello.wasm}"),
    ]

    static let cases: [Broken] = [
        Broken(
            requiring("{price: {currency: DOGE, max_per_hour: 1}}"), "allocations.api.requirements.price.currency",
            "DOGE", "must be NTX, ADA, ETH, USDT, USDC, USD or EUR"),
        Broken(
            requiring("{price: {currency: NTX, max_per_hour: -0.5}}"),
            "allocations.api.requirements.price.max_per_hour", "-0.5", "must be a finite amount of 0 or more"),
        Broken(
            requiring("{price: {currency: NTX, max_total: .inf}}"), "allocations.api.requirements.price.max_total",
            ".inf", "must be a finite amount of 0 or more"),
        Broken(
            requiring("{price: {currency: NTX}}"), "allocations.api.requirements.price.max_per_hour", "",
            "required: max_per_hour, max_total or both"),
        Broken(
            requiring("{price: [{currency: NTX, max_per_hour: 1}, {currency: ETHH, max_per_hour: 1}]}"),
            "allocations.api.requirements.price[1].currency", "ETHH",
            #"must be NTX, ADA, ETH, USDT, USDC, USD or EUR (did you mean "ETH"?)"#),
        Broken(
            requiring("{duration: 3 fortnights}"), "allocations.api.requirements.duration", "3 fortnights",
            "must be a duration such as 90m, 3h or 2d"),
        Broken(
            requiring("{duration: 10ms}"), "allocations.api.requirements.duration", "10ms",
            "must be a duration such as 90m, 3h or 2d"),
        Broken(
            requiring("{connectivity: {public: maybe}}"), "allocations.api.requirements.connectivity.public", "maybe",
            "must be true or false"),
        Broken(
            ensembleYAML(allocation: wasm + [("requirements", "{connectivity: {vpn: true}}")]),
            "allocations.api.requirements.connectivity", "{…}",
            "the wasm executor has no network: it cannot publish ports or join a VPN"),
        Broken(
            requiring("{locality: [{kind: planet, name: Earth}]}"),
            "allocations.api.requirements.locality[0].kind", "planet", "must be continent, country or city"),
        Broken(
            requiring("{locality: [{kind: country, name: Germany}]}"),
            "allocations.api.requirements.locality[0].name", "Germany",
            "a country must be a two-letter ISO 3166 code, such as DE"),
        Broken(
            requiring("{cost: 1}"), "allocations.api.requirements.cost", "",
            #"unknown key; known keys: price, duration, connectivity, locality"#),
        Broken(
            ensembleYAML(
                allocation: wasm,
                top: "nodes:\n  box: {allocations: [api], requirements: {connectivity: {public: true}}}\n"),
            "nodes.box.requirements.connectivity", "{…}",
            "the wasm executor has no network: it cannot publish ports or join a VPN"),
    ]

    @Test(arguments: cases) func brokenRequirementIsReported(_ broken: Broken) { broken.check() }

    @Test func aNodeRequiresWhatItsAllocationsAndItselfRequireTogether() throws {
        let yaml = twoAllocationsYAML(
            api: [
                (
                    "requirements",
                    "{price: {currency: NTX, max_per_hour: 0.5}, duration: 3h, locality: [{kind: country, name: de}]}"
                )
            ],
            web: "    requirements: {duration: 90m, connectivity: {vpn: true}}\n",
            top: """
                nodes:
                  box:
                    allocations: [api, web]
                    ports: [{public: 18000, private: 80, allocation: web}]
                    requirements: {price: {currency: NTX, max_total: 2}}

                """)
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        let node = try #require(ensemble.nodes["box"])
        let requirement = try node.requirement(allocations: ensemble.allocations)
        #expect(requirement.resources.cpu.cores == 2)
        #expect(requirement.executors == ["docker"])
        #expect(requirement.time.seconds == 3 * 3600)
        #expect(
            Set(requirement.prices) == [
                .init(currency: "NTX", currencyPerHour: 0.5),
                .init(currency: "NTX", currencyPerHour: 0, totalPerJob: 2),
            ])
        #expect(requirement.localities == [.init(kind: "country", name: "DE")])
        #expect(requirement.connectivity == .init(ports: [18000], vpn: true, publicPorts: true))
    }
}
