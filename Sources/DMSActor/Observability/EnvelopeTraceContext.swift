import Instrumentation
import ServiceContextModule
import Tracing

/// Carries the trace a message belongs to across nodes, as a W3C `traceparent` in the envelope's options
/// (`opt.traceparent`). The tracer bootstrapped in `InstrumentationSystem` writes and reads it; with none (the
/// default) nothing is written and envelopes are byte-for-byte what they were.
enum EnvelopeTraceContext {
    static let key = "traceparent"

    /// The `traceparent` of the task's current span, if a tracer is bootstrapped and a span is active.
    static func current() -> String? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier[key]
    }

    /// The context to parent a handler's span on: the sender's span when the envelope carries one.
    static func context(of envelope: Envelope) -> ServiceContext {
        var context = ServiceContext.topLevel
        guard let traceParent = envelope.options.traceParent else { return context }
        InstrumentationSystem.instrument.extract([key: traceParent], into: &context, using: DictionaryExtractor())
        return context
    }

    private struct DictionaryInjector: Injector {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
            carrier[key] = value
        }
    }

    private struct DictionaryExtractor: Extractor {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    }
}
