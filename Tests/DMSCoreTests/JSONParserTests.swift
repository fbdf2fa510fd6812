import DMSCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryValueKindKeepingKeyOrderAndNumberLiterals() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": [true, false, null], "n": 18446744073709551615, "f": -1.5e3}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "n", "f"])
        #expect(value["a"] == .array([.bool(true), .bool(false), .null]))
        #expect(value["n"] == .number("18446744073709551615"))
        #expect(value["f"] == .number("-1.5e3"))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/\n\t\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/\n\té😀"))
    }

    @Test(arguments: [
        ("{\n  \"a\": 1,\n  \"b\": 2,\n}", 4, 1, "expected a quoted object key"),
        ("{\n  \"a\": tru\n}", 2, 8, "invalid literal"),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}'"),
        ("[1, 2", 1, 6, "unexpected end of input"),
        ("{\"a\": 01}", 1, 8, "leading zeros"),
        ("\"abc", 1, 5, "unterminated string"),
        ("{} x", 1, 4, "after the end of the document"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""),
        ("\"\\x\"", 1, 2, "invalid escape"),
        ("\"\\ud800\"", 1, 8, "unpaired surrogate"),
    ])
    func reportsLineAndColumnOfTheFirstError(text: String, line: Int, column: Int, reason: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func rejectsRawControlCharactersAndInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse("\"a\u{01}b\"") }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func refusesNestingBeyondTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        #expect(error?.reason.contains("nesting") == true)
    }
}
