import DMSConfig
import DMSCore
import Testing

@Suite struct ProviderTermsTests {
    @Test func flagsApplyOverTheCurrentTermsAndBecomeABidsCapability() throws {
        let base = try ProviderTerms(
            values: ["provider.price_per_hour": "0.5", "provider.max_job_time": "3h"], source: .flag(name: "onboard"))
        let raised = try ProviderTerms(
            values: ["provider.price_per_hour": "0.9", "provider.currency": "ada", "provider.vpn": "true"], over: base,
            source: .flag(name: "onboard"))
        #expect(raised.pricePerHour == 0.9 && raised.currency == "ADA" && raised.vpn)
        #expect(raised.maxJobSeconds == 3 * 3600, "terms not given stay")
        let capability = raised.capability
        #expect(capability.prices == [.init(currency: "ADA", currencyPerHour: 0.9)])
        #expect(capability.time.seconds == 3 * 3600)
        #expect(capability.connectivity == .init(vpn: true, publicPorts: true))
        #expect(ProviderTerms(capability: capability) == raised)
        #expect(raised.description == "0.9 ADA/h; jobs up to 3 h; public ports; VPN")
        let cleared = try ProviderTerms(
            values: ["provider.max_job_time": "", "provider.available_until": "2027-01-31"], over: raised,
            source: .flag(name: "onboard"))
        #expect(cleared.maxJobSeconds == nil)
        #expect(cleared.availableUntil == 1_801_439_999, "the end of that day, UTC")
    }

    @Test func jobTypesNarrowTheOfferAndAllOfThemMeanAny() throws {
        let tasks = try ProviderTerms(
            values: ["provider.job_types": "batch,single_run"], source: .flag(name: "onboard"))
        #expect(tasks.capability.jobTypes == [.batch, .singleRun])
        #expect(tasks.description.contains("only batch, single_run"))
        let all = try ProviderTerms(
            values: ["provider.job_types": "batch,single_run,recurring,long_running"], source: .flag(name: "onboard"))
        #expect(all.capability.jobTypes.isEmpty)
        #expect(throws: ConfigError.self) {
            try ProviderTerms(values: ["provider.job_types": "batch,forever"], source: .flag(name: "onboard"))
        }
    }

    @Test func freeTermsOfferNoPrice() {
        #expect(ProviderTerms.none.capability.prices.isEmpty)
        #expect(ProviderTerms.none.description == "free; jobs of any length; public ports; no VPN")
    }

    @Test(arguments: [
        ("provider.currency", "DOGE"), ("provider.price_per_hour", "-1"), ("provider.price_per_job", "nan"),
        ("provider.max_job_time", "3 fortnights"), ("provider.available_until", "someday"),
        ("provider.public_ports", "maybe"),
    ])
    func badTermsNameTheKeyTheValueAndTheRule(_ key: String, _ value: String) {
        let error = #expect(throws: ConfigError.self) {
            try ProviderTerms(values: [key: value], source: .flag(name: "onboard"))
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(key) && text.contains(value) && text.contains("allowed:"), "\(text)")
    }
}
