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

    static func checkRate(_ throttle: AddressThrottle, address: String, language: PublicLanguage) throws {
        if let wait = throttle.retryAfter(address) { throw rateLimited(wait, language: language) }
    }

    /// Stores a public report; only a new report counts against the address's hourly limit.
    static func submit(_ input: ReportInput, services: AppServices, context: CairnRequestContext,
                       idempotencyKey: String?, requireFormAnswers: Bool = false) async throws -> ReportService.Submitted {
        do {
            let submitted = try await services.reports.submit(input, source: .public, identity: nil, address: context.clientAddress,
                                                              idempotencyKey: idempotencyKey, requireFormAnswers: requireFormAnswers)
            if !submitted.replayed { services.reportThrottle.record(context.clientAddress) }
            return submitted
        } catch let issues as ReportIssues {
            throw issues.appError
        }
    }

    /// The report for a reference and passphrase; 404 (the same for both mistakes) otherwise,
    /// and 429 after too many failures from one address.
    static func lookup(reference: String, passphrase: String, services: AppServices, context: CairnRequestContext,
                       language: PublicLanguage) async throws -> Report {
        if let wait = services.statusThrottle.retryAfter(context.clientAddress) { throw rateLimited(wait, language: language) }
        guard let report = try await services.reports.publicLookup(reference: reference, passphrase: passphrase, address: context.clientAddress) else {
            services.statusThrottle.record(context.clientAddress)
            throw AppError(.notFound, title: "Not found", PublicReportText.text("status.notFound", in: language))
        }
        return report
    }

    static func statusSentence(_ report: Report, in language: PublicLanguage) -> String {
        PublicReportText.text(report.reportStatus.publicStatusKey(outcome: report.reportOutcome), in: language)
    }
}
