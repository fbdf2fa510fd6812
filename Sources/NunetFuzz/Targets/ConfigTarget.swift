import DMSConfig
import DMSCore

extension FuzzTarget {
    /// The environment a fuzzed config file is completed in: fixed, so runs repeat.
    private static let configLoader = ConfigLoader(
        environment: HostEnvironment(variables: [:], homeDirectory: "/home/fuzz", currentDirectory: "/home/fuzz"))

    /// `dms_config.json` as `nunet run` and `nunet config` read it: a file that validates reads back the
    /// same after it is written out.
    static let config = FuzzTarget(
        name: "config", maxLength: 256,
        seeds: {
            [
                #"{"general":{"data_dir":"/tmp/nunet","log_level":"debug"},"rest":{"addr":"127.0.0.1","port":9999}}"#,
                #"{"job":{"public_port_min":30000,"public_port_max":31000},"docker":{"allow_privileged":false}}"#,
            ].map { Array($0.utf8) }
        },
        run: { input throws(FuzzFailure) in
            let writer = ConfigFileWriter(loader: configLoader)
            guard let document = try? JSONParser.parse(input),
                (try? writer.validate(document, path: "fuzz.json")) != nil
            else { return }
            let rewritten = try? JSONParser.parse(JSONWriter(pretty: true, escapeHTML: false).bytes(document))
            // `nunet config set` writes the document back this way; it must read back as the same settings.
            try require(rewritten == document, "config document changes when written out")
        })
}
