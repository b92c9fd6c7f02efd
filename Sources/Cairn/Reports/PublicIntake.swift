import CairnCore
import Foundation

/// What the public web form and the public API share: the rate limit, submission and the
/// status check, with messages in the reporter's language.
enum PublicIntake {
    static func rateLimited(_ seconds: Int, language: PublicLanguage) -> AppError {
        let minutes = max(1, (seconds + 59) / 60)
        return AppError(.tooManyRequests, title: "Too many requests",
                        PublicReportText.format("rateLimit.message", in: language, values: ["minutes": String(minutes)]), retryAfter: seconds)
    }

    /// Stores a public report; only a new report counts against the address's hourly limit.
    /// The report is counted before it is stored (and handed back if it turns out to be a
    /// repeat or is refused), so a burst from one address cannot slip past the limit.
    static func submit(_ input: ReportInput, services: AppServices, context: CairnRequestContext,
                       idempotencyKey: String?, language: PublicLanguage, requireFormAnswers: Bool = false) async throws -> ReportService.Submitted {
        let throttle = services.reportThrottle, address = context.clientAddress
        if let wait = try await throttle.take(address) { throw rateLimited(wait, language: language) }
        do {
            let submitted = try await services.reports.submit(input, source: .public, identity: nil, address: address,
                                                              idempotencyKey: idempotencyKey, requireFormAnswers: requireFormAnswers)
            if submitted.replayed { await throttle.giveBack(address) }
            return submitted
        } catch let issues as ReportIssues {
            await throttle.giveBack(address)
            throw issues.appError
        } catch {
            await throttle.giveBack(address)
            throw error
        }
    }

    /// The report for a reference and passphrase; 404 (the same for both mistakes) otherwise,
    /// and 429 after too many failures from one address.
    static func lookup(reference: String, passphrase: String, services: AppServices, context: CairnRequestContext,
                       language: PublicLanguage) async throws -> Report {
        // Counted before the look-up and handed back when it finds the report, so only failures count.
        let throttle = services.statusThrottle, address = context.clientAddress
        if let wait = try await throttle.take(address) { throw rateLimited(wait, language: language) }
        guard let report = try await services.reports.publicLookup(reference: reference, passphrase: passphrase, address: address) else {
            throw AppError(.notFound, title: "Not found", PublicReportText.text("status.notFound", in: language))
        }
        await throttle.giveBack(address)
        return report
    }

    static func statusSentence(_ report: Report, in language: PublicLanguage) -> String {
        PublicReportText.text(report.reportStatus.publicStatusKey(outcome: report.reportOutcome), in: language)
    }
}
