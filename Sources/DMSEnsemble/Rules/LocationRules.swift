/// A node's `location`: `accept` and `reject` lists of places. Each place names a continent, and may
/// narrow it to a country (ISO 3166 two-letter code), a city in that country, an ASN or an ISP.
struct LocationRules {
    let diagnostics: Diagnostics

    static let keys = ["continent", "country", "city", "asn", "isp"]

    func constraint(_ fields: Fields) -> LocationConstraint {
        guard let location = fields.fields("location", known: ["accept", "reject"]) else { return LocationConstraint() }
        return LocationConstraint(accept: places(location, "accept"), reject: places(location, "reject"))
    }

    private func places(_ fields: Fields, _ key: String) -> [Location] {
        (fields.list(key) ?? []).enumerated().compactMap { index, item in
            guard
                let place = Fields(item, at: fields.path(key).index(index), known: Self.keys, diagnostics: diagnostics)
            else { return nil }
            let continent = place.string("continent", required: true)
            var country = place.string("country")
            if let code = country, !(code.count == 2 && code.allSatisfy { $0.isASCII && $0.isLetter }) {
                place.report("country", "must be a two-letter ISO 3166 country code, such as DE")
                country = nil
            }
            let city = place.string("city")
            if city != nil && place["country"] == nil {
                place.reportMissing("country", "a city needs its country")
            }
            let asn = place.integer("asn", in: 1...Int.max, rule: "must be an AS number above 0")
            let isp = place.string("isp")
            guard let continent else { return nil }
            return Location(
                continent: continent, country: country?.uppercased() ?? "", city: city ?? "", asn: asn ?? 0,
                isp: isp ?? "")
        }
    }
}
