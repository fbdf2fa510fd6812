import WAT

/// WASM modules for the tests, assembled from WAT, most of them WASI commands.
public enum WasmFixtures {
    private static let imports = """
        (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
        (import "wasi_snapshot_preview1" "path_open"
          (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
        """

    /// A WASI command with one page of memory: `data` segments at the given addresses, then `body` as `_start`.
    public static func command(memoryPages: Int = 1, data: [Int: String] = [:], _ body: String) -> [UInt8] {
        let segments = data.map { "(data (i32.const \($0.key)) \"\(escaped($0.value))\")" }.joined(separator: "\n")
        return assemble(
            """
            (module
              \(imports)
              (memory (export "memory") \(memoryPages))
              \(segments)
              (func (export "_start") \(body)))
            """)
    }

    public static func assemble(_ wat: String) -> [UInt8] {
        do {
            return try wat2wasm(wat)
        } catch {
            fatalError("fixture does not assemble: \(error)\n\(wat)")
        }
    }

    /// Writes `text` to `fd` (1: stdout, 2: stderr), then exits with `exitCode`.
    public static func print(_ text: String, fd: Int = 1, exitCode: Int32 = 0) -> [UInt8] {
        command(data: [64: text], "\(write(fd: fd, address: 64, length: text.utf8.count)) \(exit(exitCode))")
    }

    /// Writes `text` to stdout, then loops forever (until its fuel or the executor stops it).
    public static func printThenSpin(_ text: String) -> [UInt8] {
        command(data: [64: text], "\(write(fd: 1, address: 64, length: text.utf8.count)) \(spin)")
    }

    public static let spin = "(loop $forever (br $forever))"

    public static let unreachable = command("unreachable")

    /// Grows memory by `pages`; traps if refused, or exits 0 either way when `tolerant`.
    public static func grow(pages: Int, tolerant: Bool = false) -> [UInt8] {
        let refused = tolerant ? "(drop)" : "(if (i32.eq (i32.const -1)) (then unreachable))"
        return command("(memory.grow (i32.const \(pages))) \(refused) \(exit(0))")
    }

    /// Exits with argc × 10 + the number of environment variables.
    public static let countArguments = command(
        """
        (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
        (drop (call $environ_sizes_get (i32.const 8) (i32.const 12)))
        (call $proc_exit (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 10)) (i32.load (i32.const 8))))
        """)

    /// Creates `name` in the first preopened directory and writes `text` into it; on failure exits with 100 + the
    /// WASI errno.
    public static func writeFile(_ name: String, _ text: String) -> [UInt8] {
        command(
            data: [100: name, 200: text],
            """
            (local $errno i32)
            ;; path_open(dirfd 3, follow no symlinks, path, O_CREAT|O_TRUNC, rights FD_WRITE, 0, no flags, &fd at 0)
            (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const \(name.utf8.count))
              (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0)))
            (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
            \(iovec(address: 200, length: text.utf8.count))
            (drop (call $fd_write (i32.load (i32.const 0)) (i32.const 8) (i32.const 1) (i32.const 24)))
            \(exit(0))
            """)
    }

    /// Opens `name` in the first preopened directory and copies up to 1 KiB of it to stdout; on failure exits with
    /// 100 + the WASI errno.
    public static func catFile(_ name: String) -> [UInt8] {
        command(
            data: [100: name],
            """
            (local $errno i32)
            ;; path_open(dirfd 3, no symlinks, path, no oflags, rights FD_READ, 0, no flags, &fd at 0)
            (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const \(name.utf8.count))
              (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
            (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
            (i32.store (i32.const 8) (i32.const 1024))
            (i32.store (i32.const 12) (i32.const 1024))
            (drop (call $fd_read (i32.load (i32.const 0)) (i32.const 8) (i32.const 1) (i32.const 16)))
            (i32.store (i32.const 12) (i32.load (i32.const 16)))
            (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 24)))
            \(exit(0))
            """)
    }

    /// A reactor-style export that returns `code` as its exit code.
    public static func entryReturning(_ code: Int32, name: String) -> [UInt8] {
        assemble("(module (func (export \"\(name)\") (result i32) (i32.const \(code))))")
    }

    /// A module that imports a host function the executor does not provide.
    public static let foreignImport = assemble(
        """
        (module (import "env" "host_call" (func)) (func (export "_start") (call 0)))
        """)

    private static func write(fd: Int, address: Int, length: Int) -> String {
        "\(iovec(address: address, length: length)) (drop (call $fd_write (i32.const \(fd)) (i32.const 8) (i32.const 1) (i32.const 24)))"
    }

    /// Stores one iovec at address 8 pointing at `length` bytes at `address`.
    private static func iovec(address: Int, length: Int) -> String {
        "(i32.store (i32.const 8) (i32.const \(address))) (i32.store (i32.const 12) (i32.const \(length)))"
    }

    private static func exit(_ code: Int32) -> String {
        "(call $proc_exit (i32.const \(code)))"
    }

    private static func escaped(_ text: String) -> String {
        text.utf8.map { byte in
            switch byte {
            case 0x20...0x7e where byte != 0x22 && byte != 0x5c: String(UnicodeScalar(byte))
            default: "\\" + String(byte, radix: 16).leftPadded(to: 2)
            }
        }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
