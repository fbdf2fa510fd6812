import DMSExecutor
import DMSExecutorWasm

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

ParentWatch.start()
exit(WasmRunner.main(Array(CommandLine.arguments.dropFirst())))
