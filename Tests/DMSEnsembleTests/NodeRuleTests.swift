import DMSEnsemble
import Testing

/// Nodes (reference §1.3), edge constraints and the supervision tree.
@Suite struct NodeRuleTests {
    static func node(_ flow: String) -> String { ensembleYAML(top: "nodes:\n  box: \(flow)\n") }
    static let peer = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN"

    static let cases: [Broken] = [
        Broken(ensembleYAML(top: "nodes: [box]\n"), "nodes", "[…]", "must be a mapping of node names to nodes"),
        Broken(node("{ports: []}"), "nodes.box.allocations", "", "required"),
        Broken(node("{allocations: []}"), "nodes.box.allocations", "[…]", "must list at least one allocation"),
        Broken(
            node("{allocations: [apj]}"), "nodes.box.allocations[0]", "apj",
            #"no allocation named "apj" (did you mean "api"?)"#),
        Broken(node("{allocations: [api, api]}"), "nodes.box.allocations[1]", "api", "listed twice in this node"),
        Broken(
            ensembleYAML(top: "nodes:\n  a: {allocations: [api]}\n  b: {allocations: [api]}\n"),
            "nodes.b.allocations[0]",
            "api", #"already in node "a": an allocation belongs to one node"#),
        Broken(
            twoAllocationsYAML(top: "nodes:\n  web: {allocations: [api]}\n"), "nodes.web", "",
            #"allocation "web" is in no node, so it gets an implicit node of its own with this name: list it in a node or rename this node"#
        ),
        Broken(
            node("{allocations: [api], ports: [{public: 18000, private: 0, allocation: api}]}"),
            "nodes.box.ports[0].private", "0", "must be a port from 1 to 65535"),
        Broken(
            node("{allocations: [api], ports: [{public: 18000, allocation: api}]}"), "nodes.box.ports[0].private", "",
            "required: a port from 1 to 65535"),
        Broken(
            node("{allocations: [api], ports: [{public: 80, private: 80, allocation: api}]}"),
            "nodes.box.ports[0].public",
            "80", "must be 0 (any free port) or a port from 1025 to 65535"),
        Broken(
            node("{allocations: [api], ports: [{public: 70000, private: 80, allocation: api}]}"),
            "nodes.box.ports[0].public", "70000", "must be 0 (any free port) or a port from 1025 to 65535"),
        Broken(
            node("{allocations: [api], ports: [{private: 80, allocation: api}]}"), "nodes.box.ports[0].public", "",
            "required: 0 (any free port) or a port from 1025 to 65535"),
        Broken(
            node("{allocations: [api], ports: [{public: 18000, private: 80}]}"), "nodes.box.ports[0].allocation", "",
            "required"),
        Broken(
            node("{allocations: [api], ports: [{public: 18000, private: 80, allocation: db}]}"),
            "nodes.box.ports[0].allocation", "db", #"no allocation named "db""#),
        Broken(
            twoAllocationsYAML(
                top: "nodes:\n  box: {allocations: [api], ports: [{public: 18000, private: 80, allocation: web}]}\n"),
            "nodes.box.ports[0].allocation", "web", "must be one of this node's allocations (api)"),
        Broken(
            node(
                "{allocations: [api], ports: [{public: 18000, private: 80, allocation: api}, "
                    + "{public: 18000, private: 81, allocation: api}]}"),
            "nodes.box.ports[1].public", "18000", "public port 18000 is already published on this node by ports[0]"),
        Broken(
            node("{allocations: [api], location: {accept: [{country: DE}]}}"), "nodes.box.location.accept[0].continent",
            "", "required"),
        Broken(
            node("{allocations: [api], location: {reject: [{continent: Europe, city: Paris}]}}"),
            "nodes.box.location.reject[0].country", "", "a city needs its country"),
        Broken(
            node("{allocations: [api], location: {accept: [{continent: Europe, country: Germany}]}}"),
            "nodes.box.location.accept[0].country", "Germany", "must be a two-letter ISO 3166 country code, such as DE"),
        Broken(
            node("{allocations: [api], location: {accept: [{continent: Europe, asn: 0}]}}"),
            "nodes.box.location.accept[0].asn", "0", "must be an AS number above 0"),
        Broken(
            node("{allocations: [api], location: {allow: []}}"), "nodes.box.location.allow", "",
            "unknown key; known keys: accept, reject"),
        Broken(
            node("{allocations: [api], peer: 12D3KooWshort}"), "nodes.box.peer", "12D3KooWshort",
            "must be a libp2p peer ID (12D3KooW…, 16Uiu2HA… or Qm… in base58, or a base32 CIDv1 starting with b)"),
        Broken(
            node("{allocations: [api], redundancy: -1}"), "nodes.box.redundancy", "-1",
            "must be a whole number, 0 or more"),
        Broken(
            node("{allocations: [api], failure_recovery: reboot}"), "nodes.box.failure_recovery", "reboot",
            "must be stay_down, restart or redeploy"),
        Broken(
            twoAllocationsYAML(top: "edge_constraints: [{edges: [api, web]}]\n"), "nodes", "",
            "required when edge_constraints are given: the nodes they link"),
        Broken(
            node("{allocations: [api]}") + "edge_constraints: [{edges: [box, box]}]\n", "edge_constraints[0].edges",
            "[…]",
            "source and target must be different nodes"),
        Broken(
            node("{allocations: [api]}") + "edge_constraints: [{edges: [box, bx]}]\n", "edge_constraints[0].edges[1]",
            "bx",
            #"no node named "bx" (did you mean "box"?)"#),
        Broken(
            node("{allocations: [api]}") + "edge_constraints: [{edges: [box]}]\n", "edge_constraints[0].edges", "[…]",
            "must be a pair of node names: [source, target]"),
        Broken(
            twoAllocationsYAML(
                top:
                    "nodes: {a: {allocations: [api]}, b: {allocations: [web]}}\nedge_constraints: [{edges: [a, b], rtt: -5}]\n"
            ),
            "edge_constraints[0].rtt", "-5", "must be a round trip in milliseconds, 0 or more"),
        Broken(
            twoAllocationsYAML(
                top:
                    "nodes: {a: {allocations: [api]}, b: {allocations: [web]}}\nedge_constraints: [{edges: [a, b], bw: x}]\n"
            ),
            "edge_constraints[0].bw", "x", "must be a bandwidth, 0 or more"),
        Broken(
            ensembleYAML(top: "supervisor: {strategy: OneForAll}\n"), "supervisor.strategy", "OneForAll",
            #"must be OneForOne, AllForOne or RestForOne (did you mean "OneForOne"?)"#),
        Broken(
            ensembleYAML(top: "supervisor: {allocations: [db]}\n"), "supervisor.allocations[0]", "db",
            #"no allocation named "db""#),
        Broken(
            ensembleYAML(top: "supervisor: {children: [{strategy: AllForOne, allocations: [ap]}]}\n"),
            "supervisor.children[0].allocations[0]", "ap", #"no allocation named "ap" (did you mean "api"?)"#),
        Broken(
            ensembleYAML(top: "supervisor: {children: [{strategy: AllForOne, restart: always}]}\n"),
            "supervisor.children[0].restart", "", "unknown key; known keys: strategy, allocations, children"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    @Test(arguments: [
        "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN", "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY",
        "bafzaajaiaejcbzx4qfxxztjlhbu6kjqfhaiylwtuxqyuxrzfhhdsvefrdjjmgr3m",
    ])
    func peerIDs(_ peer: String) throws {
        let ensemble = try EnsembleParser.parse(yaml: Self.node("{allocations: [api], peer: \(peer)}"))
        #expect(ensemble.nodes["box"]?.peer == peer)
    }

    @Test func nodeDefaultsAndLocationCodes() throws {
        let ensemble = try EnsembleParser.parse(
            yaml: Self.node(
                "{allocations: [api], location: {accept: [{continent: Europe, country: de, asn: 3320, isp: DT}]}}"))
        let box = try #require(ensemble.nodes["box"])
        #expect(box.failureRecovery == .stayDown)
        #expect(box.redundancy == 0)
        #expect(box.peer == nil)
        #expect(box.location.accept == [Location(continent: "Europe", country: "DE", asn: 3320, isp: "DT")])
    }

    @Test func supervisorStrategyDefaultsToOneForOne() throws {
        let ensemble = try EnsembleParser.parse(yaml: ensembleYAML(top: "supervisor: {allocations: [api]}\n"))
        #expect(ensemble.supervisor == SupervisorSpec(strategy: .oneForOne, allocations: ["api"]))
    }
}
