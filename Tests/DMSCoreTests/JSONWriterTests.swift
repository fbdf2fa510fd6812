import DMSCore
import Testing

@Suite struct JSONWriterTests {
    @Test func compactOutputEscapesLikeGoEncodingJSON() {
        let value = JSONValue.object([
            ("html", .string("<a href=\"x\">&</a>")),
            ("control", .string("\u{01}\u{08}\n\r\t")),
            ("separators", .string("\u{2028}\u{2029}")),
            ("unicode", .string("é😀")),
        ])
        #expect(
            JSONWriter().string(value)
                == #"{"html":"\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e","control":"\u0001\u0008\n\r\t","separators":"\u2028\u2029","unicode":"é😀"}"#
        )
    }

    @Test func htmlEscapingCanBeTurnedOffForHumanOutput() {
        #expect(JSONWriter(escapeHTML: false).string(.string("<&>")) == #""<&>""#)
    }

    @Test func prettyOutputMatchesGoMarshalIndent() {
        let value = JSONValue.object([
            ("a", .integer(1)), ("b", .array([.string("x"), .null])), ("c", .object([])), ("d", .array([])),
        ])
        #expect(
            JSONWriter(pretty: true).string(value) == """
                {
                  "a": 1,
                  "b": [
                    "x",
                    null
                  ],
                  "c": {},
                  "d": []
                }
                """)
    }

    @Test func roundTripsThroughTheParser() throws {
        let text = #"{"k":[1,2.5,"s\"",{"n":null}],"b":false}"#
        #expect(JSONWriter().string(try JSONParser.parse(text)) == text)
    }
}
