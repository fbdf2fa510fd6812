import DMSCore
import Testing

@Suite struct CostLimitTests {
    static let ntx = ComputeCapability.Price(currency: "NTX", currencyPerHour: 0.5, totalPerJob: 1)

    @Test func limitsParseWithOrWithoutACurrency() throws {
        #expect(try CostLimit(parsing: "3") == CostLimit(amount: 3))
        #expect(try CostLimit(parsing: "2.5NTX") == CostLimit(amount: 2.5, currency: "NTX"))
        #expect(try CostLimit(parsing: " 4 ada ") == CostLimit(amount: 4, currency: "ADA"))
        #expect(
            throws: CapabilityInputError(
                field: "max-cost", value: "-1", rule: "must be a finite amount of 0 or more, such as 3 or 3 NTX")
        ) {
            try CostLimit(parsing: "-1")
        }
        let unknown = #expect(throws: CapabilityInputError.self) { try CostLimit(parsing: "3 DOGE") }
        #expect(unknown?.description.hasPrefix("max-cost: \"3 DOGE\" unknown currency") == true)
    }

    @Test func aPlacementWithinTheLimitPassesAndOneAboveItSaysByHowMuch() {
        let twoHours = CostEstimate(price: Self.ntx, seconds: 7200)
        #expect(CostLimit(amount: 4, currency: "NTX").refusal(of: [twoHours, twoHours]) == nil)
        #expect(
            CostLimit(amount: 3).refusal(of: [twoHours, twoHours]) == "estimated cost 4 NTX above --max-cost 3")
        let free = CostEstimate(price: .init(currency: "ADA", currencyPerHour: 0), seconds: nil)
        #expect(CostLimit(amount: 0).refusal(of: [free]) == nil)
    }

    @Test func anOpenEndedOrForeignCostIsNotShownToBeWithinTheLimit() {
        let unknownLength = CostEstimate(price: Self.ntx, seconds: nil)
        #expect(
            CostLimit(amount: 100).refusal(of: [unknownLength])
                == "--max-cost 100: the cost is open-ended (0.5 NTX/h + 1 NTX per job with no duration)")
        let ada = CostEstimate(price: .init(currency: "ADA", currencyPerHour: 1), seconds: 3600)
        #expect(
            CostLimit(amount: 100, currency: "NTX").refusal(of: [ada])
                == "--max-cost 100 NTX: the placement is priced in ADA")
    }
}
