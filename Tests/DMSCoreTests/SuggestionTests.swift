import DMSCore
import Testing

@Suite struct SuggestionTests {
    let keys = ["rest.port", "rest.addr", "general.data_dir", "general.log_level"]

    @Test func suggestsTheClosestCandidateForTypos() {
        #expect(Suggestion.closest(to: "rest.prot", among: keys) == "rest.port")
        #expect(Suggestion.closest(to: "REST.ADDR", among: keys) == "rest.addr")
        #expect(Suggestion.closest(to: "general.datadir", among: keys) == "general.data_dir")
    }

    @Test func suggestsNothingForUnrelatedInput() {
        #expect(Suggestion.closest(to: "zzzzzzzz", among: keys) == nil)
        #expect(Suggestion.closest(to: "x", among: [String]()) == nil)
    }
}
