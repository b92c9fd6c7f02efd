import CairnCore
import Foundation
import Logging

/// Runs the retention schedule once a day from `cairn serve` (unless `CAIRN_RETENTION_JOB` is
/// false). It wakes every `interval` and runs when no run has finished in the past day, so
/// several instances on one PostgreSQL run it once between them (`RetentionService.exclusively`),
/// and a server that was down catches up when it starts.
actor RetentionJob {
    let logger: Logger
    private var task: Task<Void, Never>?

    init(logger: Logger) { self.logger = logger }

    /// Starts waking: first after `delay` (start-up has other work), then every `interval`.
    func start(_ service: RetentionService, delay: Duration = .seconds(60), every interval: Duration = .seconds(3600)) {
        guard task == nil else { return }
        let logger = logger
        task = Task {
            try? await Task.sleep(for: delay)
            while !Task.isCancelled {
                await Self.wake(service, logger: logger)
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One wake-up: a run if one is due, logged in counts (never what was removed).
    static func wake(_ service: RetentionService, logger: Logger) async {
        do {
            switch try await service.run(.daily, actor: .system) {
            case .ran(let report):
                logger.notice("retention schedule applied", metadata: ["removed": "\(report.removed)", "summary": "\(report.summary)"])
            case .busy, .notDue:
                break
            }
        } catch {
            logger.error("the daily retention run failed; it is tried again within the hour",
                         metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }

    func stop() async {
        let running = task
        task = nil
        running?.cancel()
        await running?.value
    }
}
