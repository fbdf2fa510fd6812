import DMSEnsemble
import Testing

/// Each rule of an allocation (reference §1.2) broken alone.
@Suite struct AllocationRuleTests {
    static let cases: [Broken] = [
        Broken(
            ensembleYAML().replacingOccurrences(of: "  api:", with: "  Bad_Name:"), "allocations.Bad_Name", "Bad_Name",
            "must be a DNS label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen"),
        Broken(
            ensembleYAML().replacingOccurrences(of: "  api:", with: "  \(String(repeating: "a", count: 64)):"),
            "allocations.\(String(repeating: "a", count: 64))", String(repeating: "a", count: 64),
            "must be a DNS label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen"),
        Broken(
            twoAllocationsYAML().replacingOccurrences(of: "  web:", with: "  API:"), "allocations.API", "API",
            #"allocation names must be unique ignoring case: "api" exists"#),
        Broken(
            ensembleYAML(allocation: [("dnsname", "x")]), "allocations.api.dnsname", "",
            #"unknown key; did you mean "dns_name"?"#),
        Broken(
            ensembleYAML(allocation: [("executor", nil)]), "allocations.api.executor", "",
            "required: docker, firecracker, wasm or null"),
        Broken(
            ensembleYAML(allocation: [("executor", "podman")]), "allocations.api.executor", "podman",
            "must be docker, firecracker, wasm or null"),
        Broken(
            ensembleYAML(allocation: [("executor", "~")]), "allocations.api.executor", "",
            "required: docker, firecracker, wasm or null"),
        Broken(
            ensembleYAML(allocation: [("executor", "wasm")]), "allocations.api.execution.type", "docker",
            "must equal the allocation's executor, wasm"),
        Broken(ensembleYAML(allocation: [("type", nil)]), "allocations.api.type", "", "required: service or task"),
        Broken(
            ensembleYAML(allocation: [("type", "servce")]), "allocations.api.type", "servce",
            #"must be service or task (did you mean "service"?)"#),
        Broken(ensembleYAML(allocation: [("execution", nil)]), "allocations.api.execution", "", "required"),
        Broken(
            ensembleYAML(allocation: [("execution", "docker")]), "allocations.api.execution", "docker",
            "must be a mapping"),
        Broken(
            ensembleYAML(allocation: [("execution", "{image: alpine}")]), "allocations.api.execution.type", "",
            "required: docker, firecracker, wasm or null"),
        Broken(
            ensembleYAML(allocation: [("dns_name", "-api")]), "allocations.api.dns_name", "-api",
            "must be a DNS name: dot-separated labels of 1–63 letters, digits or hyphens (not at a label's ends), "
                + "253 characters at most"),
        Broken(
            twoAllocationsYAML(web: "    dns_name: API\n"), "allocations.web.dns_name", "API",
            #"must be unique: allocation "api" has the same DNS name"#),
        Broken(
            twoAllocationsYAML(api: [("dns_name", "web")]), "allocations.web.dns_name", "web",
            #"must be unique: allocation "api" has the same DNS name"#),
        Broken(
            ensembleYAML(allocation: [("keys", "[{file: /k.pub}]")]), "allocations.api.keys[0].type", "",
            "required: ssh or gpg"),
        Broken(
            ensembleYAML(allocation: [("keys", "[{type: pgp, file: /k.pub}]")]), "allocations.api.keys[0].type", "pgp",
            #"must be ssh or gpg (did you mean "gpg"?)"#),
        Broken(
            ensembleYAML(allocation: [("keys", "[{type: gpg, file: /k.asc}]")]), "allocations.api.keys[0].dest", "",
            "a gpg key needs dest: where to install it"),
        Broken(ensembleYAML(allocation: [("keys", "[{type: ssh}]")]), "allocations.api.keys[0].file", "", "required"),
        Broken(
            ensembleYAML(allocation: [("provision", "[warmpu]")], top: "scripts: {warmup: \"echo hi\"}\n"),
            "allocations.api.provision[0]", "warmpu", #"no script named "warmpu" in scripts (did you mean "warmup"?)"#),
        Broken(
            ensembleYAML(allocation: [("provision", "[setup]")]), "allocations.api.provision[0]", "setup",
            #"no script named "setup" in scripts"#),
        Broken(
            ensembleYAML(allocation: [("failure_recovery", "one_for_none")]), "allocations.api.failure_recovery",
            "one_for_none",
            #"must be stay_down, one_for_one, one_for_all or rest_for_one (did you mean "one_for_one"?)"#),
        Broken(
            ensembleYAML(allocation: [("depends_on", "[db]")]), "allocations.api.depends_on[0]", "db",
            #"no allocation named "db""#),
        Broken(
            ensembleYAML(allocation: [("depends_on", "[api]")]), "allocations.api.depends_on[0]", "api",
            "an allocation cannot depend on itself"),
        Broken(
            twoAllocationsYAML(api: [("depends_on", "[web]")]), "allocations.api.depends_on[0]", "web",
            #"must be on the same node as api (api is on node "api", web on node "web"): list both in one node"#),
        Broken(
            twoAllocationsYAML(
                api: [("depends_on", "[web]")], web: "    depends_on: [api]\n",
                top: "nodes: {n: {allocations: [api, web]}}\n"),
            "allocations.api.depends_on", "api -> web -> api", "dependencies must not form a cycle"),
        Broken(
            ensembleYAML(allocation: [("depends_on", "web")]), "allocations.api.depends_on", "web", "must be a list"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    @Test func aLongerCycleIsReportedOnceWithItsPath() {
        let yaml = """
            version: "V1"
            allocations:
              a: &base
                executor: docker
                type: service
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: docker, image: alpine}
                depends_on: [b]
              b: {<<: *base, depends_on: [c]}
              c: {<<: *base, depends_on: [a]}
            nodes:
              n: {allocations: [a, b, c]}
            """
        let found = errors(yaml)
        #expect(found.map(\.path) == ["allocations.a.depends_on"])
        #expect(found.first?.value == "a -> b -> c -> a")
        #expect(found.first?.line == 8)
        #expect(
            found.first?.description
                == "allocations.a.depends_on: \"a -> b -> c -> a\" — dependencies must not form a cycle (line 8)")
    }

    @Test func nullExecutorWrittenAsYAMLNull() throws {
        let yaml = ensembleYAML(allocation: [("executor", "null"), ("execution", "{type: null, stdout: hi}")])
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        #expect(ensemble.allocations["api"]?.executor == .null)
        #expect(ensemble.allocations["api"]?.execution == .null(NullExecution(seconds: nil, stdout: "hi")))
        let quoted = ensembleYAML(allocation: [
            ("executor", "\"null\""), ("type", "task"), ("execution", "{type: \"null\", exit_code: 3, seconds: 1.5}"),
        ])
        #expect(
            try EnsembleParser.parse(yaml: quoted).allocations["api"]?.execution
                == .null(NullExecution(exitCode: 3, seconds: 1.5)))
        let task = ensembleYAML(allocation: [("executor", "null"), ("type", "task"), ("execution", "{type: null}")])
        #expect(try EnsembleParser.parse(yaml: task).allocations["api"]?.execution == .null(NullExecution(seconds: 0)))
    }

    @Test func dependenciesOnTheSameNodeAreKept() throws {
        let yaml = twoAllocationsYAML(api: [("depends_on", "[web]")], top: "nodes: {n: {allocations: [api, web]}}\n")
        #expect(try EnsembleParser.parse(yaml: yaml).allocations["api"]?.dependsOn == ["web"])
    }
}
