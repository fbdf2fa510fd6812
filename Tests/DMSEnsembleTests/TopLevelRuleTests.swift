import DMSEnsemble
import Testing

/// Each rule of the top level (reference §1.1) broken alone.
@Suite struct TopLevelRuleTests {
    static let allocation = ensembleYAML().replacingOccurrences(of: "version: \"V1\"\n", with: "")

    static let cases: [Broken] = [
        Broken(allocation, "version", "", #"required: "V1""#),
        Broken("version: V2\n" + allocation, "version", "V2", #"must be "V1""#),
        Broken("version: \"V1\"\n", "allocations", "", "required: at least one allocation"),
        Broken("version: \"V1\"\nallocations: {}\n", "allocations", "{…}", "must define at least one allocation"),
        Broken(
            "version: \"V1\"\nallocations: [api]\n", "allocations", "[…]",
            "must be a mapping of allocation names to allocations"),
        Broken(ensembleYAML(top: "metdata: {a: b}\n"), "metdata", "", #"unknown key; did you mean "metadata"?"#),
        Broken(
            ensembleYAML(top: "zzz: 1\n"), "zzz", "",
            "unknown key; known keys: version, allocations, nodes, edge_constraints, supervisor, keys, scripts, "
                + "subnet, exclude_peers, metadata, contracts, escalation_strategy, resources, volumes"),
        Broken(
            ensembleYAML(top: "escalation_strategy: teardwon\n"), "escalation_strategy", "teardwon",
            #"must be redeploy or teardown (did you mean "teardown"?)"#),
        Broken(ensembleYAML(top: "subnet: {}\n"), "subnet.join", "", "required: true or false"),
        Broken(ensembleYAML(top: "subnet: {join: maybe}\n"), "subnet.join", "maybe", "must be true or false"),
        Broken(ensembleYAML(top: "subnet: true\n"), "subnet", "true", "must be a mapping"),
        Broken(ensembleYAML(top: "exclude_peers: somepeer\n"), "exclude_peers", "somepeer", "must be a list"),
        Broken(ensembleYAML(top: "exclude_peers: [\"\"]\n"), "exclude_peers[0]", "", "must not be empty"),
        Broken(ensembleYAML(top: "metadata: [a]\n"), "metadata", "[…]", "must be a mapping of names to values"),
        Broken(ensembleYAML(top: "metadata: {a: {b: c}}\n"), "metadata.a", "{…}", "must be text"),
        Broken(
            ensembleYAML(top: "contracts: {main: {did: \"key:x\", host: \"did:key:y\"}}\n"), "contracts.main.did",
            "key:x",
            "must be a DID, starting with did:"),
        Broken(
            ensembleYAML(top: "contracts: {main: {did: \"did:key:x\", host: \"key:y\"}}\n"), "contracts.main.host",
            "key:y", "must be a DID, starting with did:"),
        Broken(ensembleYAML(top: "contracts: {main: {did: \"did:key:x\"}}\n"), "contracts.main.host", "", "required"),
        Broken(
            ensembleYAML(top: "contracts: [x]\n"), "contracts", "[…]",
            "must be a mapping of contract names to {did, host}"),
        Broken(ensembleYAML(top: "scripts: {setup: [echo]}\n"), "scripts.setup", "[…]", "must be text"),
        Broken(ensembleYAML(top: "keys: {deploy: {a: b}}\n"), "keys.deploy", "{…}", "must be text"),
        Broken("- version\n", "", "[…]", "must be a mapping"),
        Broken("", "", "", "the document is empty"),
        Broken(
            ensembleYAML(top: "resources: [small]\n"), "resources", "[…]",
            "must be a mapping of template names to resources templates"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    @Test func theValidDocumentParses() {
        #expect(errors(ensembleYAML()) == [])
    }
}
