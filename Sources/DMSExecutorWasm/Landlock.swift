import DMSExecutor

#if os(Linux) && (arch(x86_64) || arch(arm64))
    import Glibc

    /// Confines this process's file-system writes with Landlock (Linux 5.13 and later, no privileges needed): once
    /// restricted, files can be created, written, truncated, renamed or removed only beneath the given directories.
    /// This is how the runner enforces read-only mounts, since WasmKit's WASI preopens have no read-only mode:
    /// the kernel refuses the guest's writes (EACCES) instead. Descriptors opened before (the logs, the result
    /// file) keep working; reads are not restricted.
    enum Landlock {
        struct Failure: Error, CustomStringConvertible {
            var description: String
        }

        /// The Landlock ABI version the kernel offers; nil when it offers none (too old, or the LSM is disabled).
        static var abiVersion: Int? {
            let version = call(createRuleset, 0, 0, createRulesetVersion)
            return version > 0 ? version : nil
        }

        /// Restricts writes to beneath `writable`. Landlock only grants, so a `readOnly` directory inside a writable
        /// one could not be protected: that is refused.
        static func restrictWrites(toBeneath writable: [String], readOnly: [String] = []) throws(Failure) {
            for protected in readOnly {
                guard let inner = resolved(protected) else { continue }  // a missing mount fails when preopened
                if let outer = writable.first(where: {
                    resolved($0).map { inner == $0 || inner.hasPrefix($0 + "/") } ?? false
                }) {
                    throw Failure(
                        description: "the read-only mount \(protected) lies inside the writable mount \(outer)")
                }
            }
            guard let abi = abiVersion else { throw Failure(description: "Landlock is not available on this kernel") }
            let handled = writeAccess(abi: abi)
            var rulesetAttributes = handled  // struct landlock_ruleset_attr { __u64 handled_access_fs; }
            let ruleset = withUnsafeMutablePointer(to: &rulesetAttributes) {
                call(createRuleset, Int(bitPattern: $0), MemoryLayout<UInt64>.size, 0)
            }
            guard ruleset >= 0 else { throw failure("cannot create a Landlock ruleset") }
            defer { close(Int32(ruleset)) }
            for path in writable {
                let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard directory >= 0 else { throw failure("cannot open \(path)") }
                defer { close(directory) }
                // struct landlock_path_beneath_attr { __u64 allowed_access; __s32 parent_fd; } __attribute__((packed))
                var rule = [UInt8](repeating: 0, count: 12)
                withUnsafeBytes(of: handled) { rule.replaceSubrange(0..<8, with: $0) }
                withUnsafeBytes(of: directory) { rule.replaceSubrange(8..<12, with: $0) }
                let added = rule.withUnsafeMutableBytes {
                    call(addRule, ruleset, rulePathBeneath, Int(bitPattern: $0.baseAddress))
                }
                guard added == 0 else { throw failure("cannot allow writes beneath \(path)") }
            }
            guard call(prctl, prSetNoNewPrivs, 1, 0, 0, 0) == 0 else { throw failure("cannot set no_new_privs") }
            guard call(restrictSelf, ruleset, 0) == 0 else { throw failure("cannot restrict the runner") }
        }

        /// The write rights this kernel's ABI knows: refer (ABI 2) and truncate (ABI 3) join the ABI 1 set.
        private static func writeAccess(abi: Int) -> UInt64 {
            let writeFile: UInt64 = 1 << 1
            let removeAndMake: UInt64 = 0b1_1111_1111 << 4  // remove dir/file, make char/dir/reg/sock/fifo/block/sym
            let refer: UInt64 = abi >= 2 ? 1 << 13 : 0
            let truncate: UInt64 = abi >= 3 ? 1 << 14 : 0
            return writeFile | removeAndMake | refer | truncate
        }

        /// The absolute path with symbolic links resolved, nil if it does not exist.
        private static func resolved(_ path: String) -> String? {
            guard let pointer = realpath(path, nil) else { return nil }
            defer { free(pointer) }
            return String(cString: pointer)
        }

        private static func failure(_ what: String) -> Failure {
            Failure(description: "\(what): \(String(cString: strerror(errno)))")
        }

        // Landlock's system calls have the same numbers on every architecture; prctl's differ.
        private static let createRuleset = 444
        private static let addRule = 445
        private static let restrictSelf = 446
        private static let createRulesetVersion = 1
        private static let rulePathBeneath = 1
        private static let prSetNoNewPrivs = 38
        #if arch(x86_64)
            private static let prctl = 157
        #else
            private static let prctl = 167
        #endif

        private typealias Syscall = @convention(c) (Int, Int, Int, Int, Int, Int) -> Int

        /// glibc has no Landlock wrappers, and Swift cannot call the variadic `syscall(2)` directly; it is called
        /// through a fixed-arity pointer, which the x86-64 and AArch64 calling conventions make equivalent for
        /// integer arguments (glibc's `syscall` only moves registers).
        private static let syscall: Syscall? = dlsym(dlopen(nil, RTLD_NOW), "syscall").map {
            unsafeBitCast($0, to: Syscall.self)
        }

        private static func call(_ number: Int, _ arguments: Int...) -> Int {
            guard let syscall else { return -1 }
            let padded = arguments + Array(repeating: 0, count: 5 - arguments.count)
            return syscall(number, padded[0], padded[1], padded[2], padded[3], padded[4])
        }
    }
#endif
