import DMSEnsemble
import Testing

/// Volumes (reference §5) and volume templates.
@Suite struct VolumeRuleTests {
    static func volume(_ flow: String, top: String = "") -> String {
        ensembleYAML(allocation: [("volume", "[\(flow)]")], top: top)
    }
    static let template = "volumes:\n  shared: {type: glusterfs, name: gv0, servers: [10.0.0.1]}\n"

    static let cases: [Broken] = [
        Broken(
            volume("{mount_destination: /data, src: /srv}"), "allocations.api.volume[0].type", "",
            "required: local or glusterfs"),
        Broken(
            volume("{type: nfs, mount_destination: /data}"), "allocations.api.volume[0].type", "nfs",
            "must be local or glusterfs"),
        Broken(volume("{type: local, src: /srv}"), "allocations.api.volume[0].mount_destination", "", "required"),
        Broken(
            volume("{type: local, src: /srv, mount_destination: data}"), "allocations.api.volume[0].mount_destination",
            "data", "must be an absolute path inside the workload, such as /data"),
        Broken(
            volume("{type: glusterfs, name: gv0, mount_destination: /data}"), "allocations.api.volume[0].servers", "",
            "a glusterfs volume needs one or more servers"),
        Broken(
            volume("{type: glusterfs, name: gv0, servers: [], mount_destination: /data}"),
            "allocations.api.volume[0].servers", "[…]", "a glusterfs volume needs one or more servers"),
        Broken(
            volume("{type: glusterfs, name: gv0, servers: [\"\"], mount_destination: /data}"),
            "allocations.api.volume[0].servers[0]", "", "must not be empty"),
        Broken(
            volume("{type: glusterfs, servers: [s1], mount_destination: /data}"), "allocations.api.volume[0].name", "",
            "a glusterfs volume needs the name of the gluster volume"),
        Broken(
            volume("{type: local, mount_destination: /data}"), "allocations.api.volume[0].src", "",
            "a local volume needs src: an absolute host path or a volume name"),
        Broken(
            volume("{type: local, src: data/models, mount_destination: /data}"), "allocations.api.volume[0].src",
            "data/models", "must be an absolute host path or a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
        Broken(
            volume("{type: local, src: /srv, mount_destination: /data, read_only: maybe}"),
            "allocations.api.volume[0].read_only", "maybe", "must be true or false"),
        Broken(
            volume("{type: local, src: /srv, mount_destination: /data, mount_destnation: /x}"),
            "allocations.api.volume[0].mount_destnation", "", #"unknown key; did you mean "mount_destination"?"#),
        Broken(
            volume("\"sharde:/data\"", top: template), "allocations.api.volume[0]", "sharde:/data",
            #"no volumes template named "sharde" (did you mean "shared"?)"#),
        Broken(
            volume("just-a-name", top: template), "allocations.api.volume[0]", "just-a-name",
            "must be name:mountpoint (naming a volumes template) or a volume mapping"),
        Broken(
            ensembleYAML(allocation: [("volume", "[]"), ("volumes", "[]")]), "allocations.api.volumes", "[…]",
            "give volume or volumes, not both"),
        Broken(
            volume("\"shared:/data\"", top: "volumes:\n  shared: {type: glusterfs, name: gv0, servers: s1}\n"),
            "volumes.shared.servers", "s1", "must be a list"),
    ]

    @Test(arguments: cases) func reportsTheBrokenRule(_ broken: Broken) {
        broken.check()
    }

    @Test func templatesAreMergedIntoVolumeEntries() throws {
        let yaml = ensembleYAML(
            allocation: [("volumes", "[\"shared:/data\", {name: shared, mount_destination: /ro, read_only: true}]")],
            top: Self.template)
        #expect(
            try EnsembleParser.parse(yaml: yaml).allocations["api"]?.volumes == [
                Volume(type: .glusterfs, mountDestination: "/data", name: "gv0", servers: ["10.0.0.1"]),
                Volume(
                    type: .glusterfs, mountDestination: "/ro", readOnly: true, name: "shared", servers: ["10.0.0.1"]),
            ])
    }

    @Test func localVolumesAndTLSMaterial() throws {
        let yaml = Self.volume(
            "{type: local, src: models_1, mount_destination: /m}, "
                + "{type: glusterfs, name: gv, servers: [a, b], mount_destination: /g, client_pem: P, client_private_key: K, "
                + "client_ca: C}")
        #expect(
            try EnsembleParser.parse(yaml: yaml).allocations["api"]?.volumes == [
                Volume(type: .local, mountDestination: "/m", src: "models_1"),
                Volume(
                    type: .glusterfs, mountDestination: "/g", name: "gv", servers: ["a", "b"], clientPrivateKey: "K",
                    clientPEM: "P", clientCA: "C"),
            ])
    }
}
