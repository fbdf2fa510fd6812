import DMSCapabilities
import Testing

@Suite struct CapabilityTests {
    @Test(arguments: [
        ("/", "/anything/below", true), ("/dms/node", "/dms/node", true), ("/dms/node", "/dms/node/peers/list", true),
        ("/dms/node", "/dms/nodes", false), ("/dms/node", "/dms", false), ("/A", "/AB", false), ("/A", "/B", false),
        ("/public", "/public/hello", true), ("/dms/node/peers", "/dms/node", false),
    ])
    func hierarchicalImplication(granted: String, requested: String, implied: Bool) {
        #expect(Capability(unchecked: granted).implies(Capability(unchecked: requested)) == implied)
    }

    @Test func userInputMustBeAnAbsolutePathWithoutEmptySegments() throws {
        for good in ["/", "/public", "/dms/node/peers/list"] { _ = try Capability(good) }
        for bad in ["", "public", "/public/", "//x", "/a b", "/a//b"] {
            #expect(throws: CapabilityError.invalidCapability(bad)) { try Capability(bad) }
        }
    }
}
