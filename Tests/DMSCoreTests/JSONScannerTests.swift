import DMSCore
import Testing

@Suite struct JSONScannerTests {
    @Test func walksMembersDecodingValuesInPlaceAndSkippingOthers() throws {
        var scanner = JSONScanner(
            Array(
                #" {"a": "x", "skip": {"n": [1, 2.5, true, null, "s"]}, "b": 18446744073709551615, "c": "AQID", "d": null} "#
                    .utf8))
        var seen: [String] = []
        var a = ""
        var b: UInt64 = 0
        var c: [UInt8] = []
        var dIsNull = false
        try scanner.members { (key, value) throws(JSONParseError) in
            seen.append(key)
            switch key {
            case "a": a = try value.string()
            case "b": b = try value.unsigned()
            case "c": c = try value.base64()
            case "d": dIsNull = value.consumeNull()
            default: try value.skipValue()
            }
        }
        try scanner.finish()
        #expect(seen == ["a", "skip", "b", "c", "d"])
        #expect(a == "x")
        #expect(b == .max)
        #expect(c == [1, 2, 3])
        #expect(dIsNull)
    }

    @Test func stringsWithEscapesAreDecoded() throws {
        var scanner = JSONScanner(Array(#"{"k": "a\"b\u00e9"}"#.utf8))
        var text = ""
        try scanner.members { (_, value) throws(JSONParseError) in text = try value.string() }
        #expect(text == "a\"bé")
    }

    @Test(arguments: [
        (#"{"z": 1, "z": 2}"#, "duplicate key"),
        (#"{"n": 18446744073709551616}"#, "out of range"),
        (#"{"n": 1.5}"#, "expected an unsigned integer"),
        (#"{"n": 01}"#, "leading zeros"),
        (#"{"b": "AQI"}"#, "not valid base64"),
        (#"{"x": [1,}"#, "line"),
        (#"{"a": "x"} trailing"#, "after the end"),
        (#"{"a" "x"}"#, "expected ':'"),
    ])
    func malformedInputIsRefused(text: String, reason: String) {
        var scanner = JSONScanner(Array(text.utf8))
        let error = #expect(throws: JSONParseError.self) {
            try scanner.members { (key, value) throws(JSONParseError) in
                switch key {
                case "n": _ = try value.unsigned()
                case "b": _ = try value.base64()
                case "a": _ = try value.string()
                default: try value.skipValue()
                }
            }
            try scanner.finish()
        }
        #expect(error?.description.contains(reason) == true, "\(text): \(String(describing: error))")
    }
}
