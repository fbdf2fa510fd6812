import Foundation

/// Where keystore passphrases come from: `DMS_PASSPHRASE`, or a prompt on the controlling terminal with
/// echo turned off (asked twice when a new key is created).
public enum Passphrase {
    public static let environmentVariable = "DMS_PASSPHRASE"

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unavailable
        case mismatch

        public var description: String {
            switch self {
            case .unavailable: return "no passphrase: set DMS_PASSPHRASE or run the command in a terminal"
            case .mismatch: return "passphrases do not match"
            }
        }
    }

    public static func obtain(prompt: String, confirm: Bool, environment: [String: String]) throws(Failure) -> String {
        if let fromEnvironment = environment[environmentVariable] { return fromEnvironment }
        for _ in 0..<3 {
            let first = try read(prompt: prompt)
            guard confirm else { return first }
            if try read(prompt: "Repeat the passphrase: ") == first { return first }
            writeToTerminal("Passphrases do not match. Please try again.\n")
        }
        throw .mismatch
    }

    private static func read(prompt: String) throws(Failure) -> String {
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else { throw .unavailable }
        defer { close(terminal) }
        var original = termios()
        guard tcgetattr(terminal, &original) == 0 else { throw .unavailable }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = prompt.withCString { Foundation.write(terminal, $0, strlen($0)) }
        tcsetattr(terminal, TCSAFLUSH, &silent)
        defer {
            tcsetattr(terminal, TCSAFLUSH, &original)
            _ = Foundation.write(terminal, "\n", 1)
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while Foundation.read(terminal, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }

    private static func writeToTerminal(_ text: String) {
        let terminal = open("/dev/tty", O_WRONLY | O_CLOEXEC)
        guard terminal >= 0 else { return }
        _ = text.withCString { Foundation.write(terminal, $0, strlen($0)) }
        close(terminal)
    }
}
