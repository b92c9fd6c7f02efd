import CairnCore
import FluentKit
import Foundation

/// Graded intelligence items: recording one from an analyst's agency (3x5x2, or a legacy
/// 5x5x5 grading kept beside it).
extension IntelligenceService {
    struct ItemInput: Sendable {
        var title = ""
        var content = ""
        var sanitised = ""
        var partnerTitle = ""
        var sourceEvaluation = ""
        var assessment = ""
        var handling = ""
        var conditions = ""
        var legacyGrading = ""
        var reportReference = ""
        var approvedAgencies: [String] = []
    }

    /// Parses a legacy 5x5x5 grading such as `B24` or `B 2 4`.
    static func parseLegacy(_ text: String) -> LegacyGrading? {
        let chars = Array(text.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "/" })
        guard chars.count == 3, let s = LegacySourceEvaluation(rawValue: String(chars[0])),
              let i = LegacyIntelligenceEvaluation(rawValue: String(chars[1])),
              let h = LegacyHandlingCode(rawValue: String(chars[2])) else { return nil }
        return LegacyGrading(source: s, intelligence: i, handling: h)
    }

    /// Records a graded item from the analyst's agency.
    func createItem(_ input: ItemInput, identity: Identity, address: String) async throws -> IntelligenceItem {
        try require(identity, .analyseIntelligence)
        var v = Validator()
        let title = v.text(input.title, field: "title", label: "Title", max: 200)
        let content = v.text(input.content, field: "content", label: "Intelligence", max: 10_000)
        let sanitised = v.text(input.sanitised, field: "sanitised", label: "Sanitised version", required: false, max: 10_000)
        let partnerTitle = v.text(input.partnerTitle, field: "partnerTitle", label: "Title for partners", required: false, max: 200)
        var grading: IntelligenceGrading?
        if SourceEvaluation(rawValue: input.sourceEvaluation) == nil {
            v.add("sourceEvaluation", "Choose the source evaluation: 1 reliable, 2 untested or 3 not reliable.")
        }
        if IntelligenceAssessment(rawValue: input.assessment.uppercased()) == nil {
            v.add("assessment", "Choose the intelligence assessment, A to E.")
        }
        if HandlingCode(rawValue: input.handling.uppercased()) == nil {
            v.add("handling", "Choose the handling code: P (lawful sharing permitted) or C (with conditions).")
        }
        if let s = SourceEvaluation(rawValue: input.sourceEvaluation), let a = IntelligenceAssessment(rawValue: input.assessment.uppercased()),
           let h = HandlingCode(rawValue: input.handling.uppercased()) {
            do {
                grading = try IntelligenceGrading(source: s, assessment: a, handling: h, conditions: String(input.conditions.prefix(2000)))
            } catch {
                for issue in error.issues { v.add(issue.field, issue.message) }
            }
        }
        if input.conditions.count > 2000 { v.add("conditions", "Keep the conditions under 2,000 characters.") }
        let legacyText = input.legacyGrading.trimmingCharacters(in: .whitespaces)
        if !legacyText.isEmpty, Self.parseLegacy(legacyText) == nil {
            v.add("legacyGrading", "A 5x5x5 grading is a source A–E, intelligence 1–5 and handling 1–5, for example “B24”.")
        }
        var reportID: UUID?
        let reference = input.reportReference.trimmingCharacters(in: .whitespaces).uppercased()
        if !reference.isEmpty {
            // One answer for a report that does not exist and one the analyst may not see.
            if let id = try await reports.visibleReportID(reference: reference, identity: identity) { reportID = id }
            else { v.add("reportReference", "There is no report \(reference.prefix(20)).") }
        }
        let approved = try await approvedAgencies(input.approvedAgencies, handling: grading?.handling, into: &v)
        guard v.errors.isEmpty, let grading else { throw AppError.invalid(v.errors) }
        let item = IntelligenceItem()
        item.id = UUID()
        var generator = PooledRandomNumberGenerator()
        // The same form as a report's reference (`CRN-…`), so it is as easy to read aloud.
        item.reference = "INT-" + ReportReference.generate(using: &generator).value.dropFirst(4)
        item.reportID = reportID
        item.title = title
        item.content = content
        item.sanitised = sanitised
        item.partnerTitle = partnerTitle
        item.sourceEvaluation = grading.source.rawValue
        item.assessment = grading.assessment.rawValue
        item.handling = grading.handling.rawValue
        item.conditions = grading.conditions
        item.legacyGrading = legacyText.isEmpty ? nil : Self.parseLegacy(legacyText)?.description
        item.approvedAgencies = approved.map(\.uuidString).joined(separator: ",")
        item.originatorAgencyID = identity.agencyID
        item.authorID = identity.userID
        item.createdAt = Date()
        item.updatedAt = item.createdAt
        try await db.transaction { tx in
            try await item.create(on: tx)
            _ = try await agreements.record(Self.shares(of: item, approved: approved), tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.created", recordType: "intelligence_item",
                                              recordID: try item.requireID().uuidString, address: address, detail: grading.description), on: tx)
        }
        return item
    }

    /// The agencies an originator approves for handling code C, each one of the partnership's.
    /// A choice that is not, or any choice for code P, is an error in `v`.
    func approvedAgencies(_ choices: [String], handling: HandlingCode?, into v: inout Validator) async throws -> [UUID] {
        let agencies = Set(try await Agency.query(on: db).all().compactMap(\.id))
        var approved: [UUID] = []
        for text in choices {
            if let id = UUID(uuidString: text), agencies.contains(id) { approved.append(id) }
            else { v.add("approvedAgencies", "Choose agencies from the list."); break }
        }
        if handling == .p, !approved.isEmpty {
            v.add("approvedAgencies", "Agencies are approved only for handling code C; P is shared with every partner.")
        }
        return approved
    }
}
