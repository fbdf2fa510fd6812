/// A volume entry (VolumeConfig): a `local` host path or named volume, or a `glusterfs` volume mounted
/// from its servers, and where it appears inside the workload.
struct VolumeRules {
    let diagnostics: Diagnostics

    static let keys = [
        "type", "mount_destination", "read_only", "name", "servers", "client_private_key", "client_pem", "client_ca",
        "src",
    ]

    /// The volume a mapping describes. With `requireAll` false (a template, which an allocation may
    /// complete) missing parts are not errors, and nothing is returned.
    func volume(_ node: YAMLNode, at path: FieldPath, requireAll: Bool) -> Volume? {
        guard let fields = Fields(node, at: path, known: Self.keys, diagnostics: diagnostics) else { return nil }
        let type = fields.choice("type", Volume.VolumeType.self, required: requireAll)
        let destination = fields.string("mount_destination", required: requireAll)
        if let destination, !destination.hasPrefix("/") {
            fields.report("mount_destination", "must be an absolute path inside the workload, such as /data")
        }
        let readOnly = fields.bool("read_only") ?? false
        let name = fields.string("name")
        let src = fields.string("src")
        let servers = fields.strings("servers")
        let privateKey = fields.string("client_private_key")
        let pem = fields.string("client_pem")
        let ca = fields.string("client_ca")
        switch type {
        case .glusterfs?:
            if fields["servers"] == nil && requireAll {
                fields.reportMissing("servers", "a glusterfs volume needs one or more servers")
            } else if fields["servers"]?.items?.isEmpty == true {
                fields.report("servers", "a glusterfs volume needs one or more servers")
            }
            if fields["name"] == nil && requireAll {
                fields.reportMissing("name", "a glusterfs volume needs the name of the gluster volume")
            }
        case .local?:
            if let src {
                if !(src.hasPrefix("/") || Self.isVolumeName(src)) {
                    fields.report("src", "must be an absolute host path or a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)")
                }
            } else if requireAll && fields["src"] == nil {
                fields.reportMissing("src", "a local volume needs src: an absolute host path or a volume name")
            }
        case nil:
            break
        }
        guard requireAll, let type, let destination else { return nil }
        return Volume(
            type: type, mountDestination: destination, readOnly: readOnly, name: name ?? "", src: src ?? "",
            servers: servers ?? [], clientPrivateKey: privateKey, clientPEM: pem, clientCA: ca)
    }

    private static func isVolumeName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || "_.-".unicodeScalars.contains($0) }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar))
    }
}
