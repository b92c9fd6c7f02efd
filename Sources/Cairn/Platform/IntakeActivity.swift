import Synchronization

/// Whether report intake is busy (writing now, or committed in the last moments): the linker
/// gives way to intake while it is.
final class IntakeActivity: Sendable {
    private struct State {
        var writing = 0
        var lastCommit: ContinuousClock.Instant?
    }
    private let state = Mutex(State())

    func writeStarted() { state.withLock { $0.writing += 1 } }

    func writeFinished() {
        state.withLock {
            $0.writing -= 1
            $0.lastCommit = .now
        }
    }

    /// Writing now, or finished a write within `interval`.
    func busy(within interval: Duration) -> Bool {
        state.withLock { state in
            if state.writing > 0 { return true }
            guard let at = state.lastCommit else { return false }
            return ContinuousClock.now - at < interval
        }
    }
}
