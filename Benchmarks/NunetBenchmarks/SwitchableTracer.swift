import Instrumentation
import Synchronization
import Tracing

/// A real tracer that can be switched off and on again. `InstrumentationSystem` is bootstrapped once per
/// process, so without this the rounds with a tracer could only come after every round without one; switched,
/// they alternate and drift in the machine's load falls on both alike.
final class SwitchableTracer<Live: Tracer>: Tracer {
    private let live: Live
    private let enabled = Atomic<Bool>(false)

    init(_ live: Live) { self.live = live }

    /// While off, the tracer behaves as swift-distributed-tracing's no-op tracer, as in a daemon without one.
    func set(enabled: Bool) { self.enabled.store(enabled, ordering: .sequentiallyConsistent) }

    private var isOn: Bool { enabled.load(ordering: .relaxed) }

    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> SwitchedSpan<Live.Span> {
        guard isOn else { return .off(NoOpTracer.NoOpSpan(context: context())) }
        return .live(
            live.startSpan(
                operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID,
                line: line))
    }

    /// Required by the protocol; the benchmark never flushes (its exporter drops every batch anyway).
    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        if isOn { live.inject(context, into: &carrier, using: injector) }
    }

    func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        if isOn { live.extract(carrier, into: &context, using: extractor) }
    }
}

/// The live tracer's span, or a no-op span made while the tracer was off.
enum SwitchedSpan<Live: Span>: Span {
    case live(Live)
    case off(NoOpTracer.NoOpSpan)

    private var span: any Span {
        switch self {
        case .live(let span): span
        case .off(let span): span
        }
    }

    var context: InstrumentationContext { span.context }
    var isRecording: Bool { span.isRecording }
    var operationName: String {
        get { span.operationName }
        nonmutating set { span.operationName = newValue }
    }
    var attributes: SpanAttributes {
        get { span.attributes }
        nonmutating set { span.attributes = newValue }
    }
    func setStatus(_ status: SpanStatus) { span.setStatus(status) }
    func addEvent(_ event: SpanEvent) { span.addEvent(event) }
    func addLink(_ link: SpanLink) { span.addLink(link) }
    func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        span.recordError(error, attributes: attributes, at: instant())
    }
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) { span.end(at: instant()) }
}
