import DMSEnsemble
import Testing

/// YAML itself: syntax errors, duplicate keys, anchors, aliases and merge keys, and reporting many errors at
/// once.
@Suite struct YAMLReadingTests {
    @Test func aSyntaxErrorIsOneErrorWithItsLine() {
        let found = errors("version: \"V1\"\nallocations:\n  api: {type: task\n  web: 1\n")
        #expect(found.count == 1)
        #expect(found.first?.path == "")
        #expect(found.first?.line == 4)
        #expect(found.first?.rule.hasPrefix("invalid YAML: ") == true)
        let tab = errors("version: \"V1\"\nallocations:\n\tapi: 1\n")
        #expect(tab.map(\.line) == [3])
    }

    @Test func aDuplicateKeyIsReportedWithItsLine() {
        let yaml = ensembleYAML(allocation: [("type", "task")]) + "    type: service\n"
        let found = errors(yaml)
        #expect(found.map { "\($0.value) | \($0.rule)" } == ["type | duplicate key: a mapping may name each key once"])
        #expect(found.first?.line == 5)
        #expect(
            found.first?.description == #"ensemble: "type" — duplicate key: a mapping may name each key once (line 5)"#)
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let yaml = """
            version: "V1"
            allocations:
              api: &service
                executor: docker
                type: service
                resources: &small {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: docker, image: alpine}
              worker:
                <<: *service
                type: task
              batch:
                <<: [{type: task, dns_name: first}, *service, {dns_name: ignored}]
                resources: {<<: *small, ram: {size: 2}}
            """
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        #expect(ensemble.allocations["worker"]?.type == .task)
        #expect(ensemble.allocations["worker"]?.execution == ensemble.allocations["api"]?.execution)
        #expect(ensemble.allocations["batch"]?.type == .task)
        #expect(ensemble.allocations["batch"]?.dnsName == "first")
        #expect(ensemble.allocations["batch"]?.resources.ram == 2 << 30)
        #expect(ensemble.allocations["batch"]?.resources.disk == 1 << 30)
    }

    @Test func aMergeKeyNeedsMappings() {
        let yaml = ensembleYAML(allocation: [("<<", "[1]")])
        #expect(
            errors(yaml).map { "\($0.path) | \($0.value) | \($0.rule)" } == [
                "allocations.api.<< | […] | the value of a << merge key must be a mapping or a list of mappings"
            ])
    }

    @Test func keysAreNamesAndUniqueAsText() {
        let listKey = ensembleYAML() + "    ? [a, b]\n    : c\n"
        #expect(
            errors(listKey).map { "\($0.path) | \($0.value) | \($0.rule) | \($0.line ?? 0)" } == [
                "allocations.api |  | mapping keys must be names, not lists or mappings | 8"
            ])
        let sameText = ensembleYAML(top: "metadata:\n  1: a\n  \"1\": b\n")
        #expect(
            errors(sameText).map { "\($0.path) | \($0.value) | \($0.rule) | \($0.line ?? 0)" } == [
                "metadata.1 | 1 | duplicate key: a mapping may name each key once | 10"
            ])
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() {
        let yaml = ensembleYAML(allocation: [("\"<<\"", "{type: task}")])
        #expect(errors(yaml).map(\.path) == ["allocations.api.<<"])
    }

    @Test func everyErrorIsReportedAtOnce() {
        let yaml = """
            version: "V2"
            allocations:
              api:
                executor: docker
                type: servce
                resources: {cpu: {cores: 0}, ram: {size: "-1"}, disk: {size: 1}}
                execution: {type: docker, image: "Bad Image"}
                depends_on: [nowhere]
              Bad_Name:
                executor: wasm
                type: task
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: wasm}
            nodes:
              box: {allocations: [api], ports: [{public: 80, private: 0, allocation: api}]}
            subnet: {join: 1}
            unknown: true
            """
        let found = errors(yaml)
        #expect(
            found.map { "\($0.path) @\($0.line ?? 0)" } == [
                "unknown @17",
                "version @1",
                "allocations.api.type @5",
                "allocations.api.resources.cpu.cores @6",
                "allocations.api.resources.ram.size @6",
                "allocations.api.execution.image @7",
                "allocations.Bad_Name @9",
                "allocations.Bad_Name.execution.module @13",
                "nodes.box.ports[0].private @15",
                "nodes.box.ports[0].public @15",
                "allocations.api.depends_on[0] @8",
                "subnet.join @16",
            ])
        #expect(
            found.first { $0.path == "allocations.api.resources.ram.size" }?.description
                == #"allocations.api.resources.ram.size: "-1" — must be a size such as 512MiB or 4 (GiB) (line 6)"#)
        #expect(
            EnsembleValidationErrors(found).description.split(separator: "\n").count == found.count)
    }
}
