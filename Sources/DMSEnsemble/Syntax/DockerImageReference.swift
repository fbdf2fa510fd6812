/// The Docker image reference grammar (distribution/reference): an optional registry host with port,
/// lowercase path components joined by `/`, an optional `:tag` and an optional `@algorithm:digest`.
/// Checked before deployment so a typo fails here instead of as a pull error on a provider.
enum DockerImageReference {
    static let rule = "must be an image reference such as alpine:3.20 or ghcr.io/org/app:1.2 (lowercase path)"

    static func isValid(_ reference: String) -> Bool {
        let pattern =
            #/
            (?: [a-zA-Z0-9] (?: [a-zA-Z0-9-]* [a-zA-Z0-9] )?
                (?: \. [a-zA-Z0-9] (?: [a-zA-Z0-9-]* [a-zA-Z0-9] )? )*
                (?: : [0-9]+ )? / )?
            [a-z0-9]+ (?: (?: [._] | __ | -+ ) [a-z0-9]+ )*
            (?: / [a-z0-9]+ (?: (?: [._] | __ | -+ ) [a-z0-9]+ )* )*
            (?: : [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127} )?
            (?: @ [A-Za-z] [A-Za-z0-9]* (?: [-_+.] [A-Za-z] [A-Za-z0-9]* )* : [0-9a-fA-F]{32,} )?
            /#
        return reference.utf8.count <= 512 && (try? pattern.wholeMatch(in: reference)) != nil
    }
}
