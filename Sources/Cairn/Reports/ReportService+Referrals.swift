import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Referrals: one agency asks another to act on a report, sharing the sections it chooses;
/// the receiving agency accepts, rejects or completes the referral.
extension ReportService {
    func refer(_ id: UUID, to agencyID: UUID?, shared: [String], request: String, identity: Identity, address: String,
               now: Date = Date()) async throws -> Referral {
        try await db.transaction { tx in
            let (report, access) = try await visibleReport(id, identity: identity, on: tx)
            let holder = ReportRule.heldInFull(by: identity.agencyID).holds(report)
            guard access == .full, holder || identity.can(.triageReports) else { throw Self.notHolder }
            var v = Validator()
            let cleaned = v.text(request, field: "request", label: "What you are asking the agency to do", max: 2000)
            let categories = Set(shared.compactMap(ShareCategory.init(rawValue:)))
            if shared.contains(where: { ShareCategory(rawValue: $0) == nil }) {
                v.add("shared", "Choose what to share from the list.")
            }
            var target: Agency?
            if let agencyID { target = try await Agency.find(agencyID, on: tx) }
            if target == nil { v.add("toAgencyId", "Choose the agency to refer to.") }
            if let target, target.id == identity.agencyID { v.add("toAgencyId", "Choose another agency: you cannot refer to your own.") }
            if let target, try await Referral.query(on: tx).filter(\.$reportID == id).filter(\.$toAgencyID == (try target.requireID()))
                .filter(\.$status == ReferralStatus.pending.rawValue).first() != nil {
                v.add("toAgencyId", "\(target.name) already has a referral for this report waiting for a reply.")
            }
            try v.check()
            let referral = Referral()
            referral.reportID = id
            referral.fromAgencyID = identity.agencyID
            let receiver = try target.checked("agency")
            referral.toAgencyID = try receiver.requireID()
            referral.status = ReferralStatus.pending.rawValue
            referral.shared = ShareCategory.allCases.filter(categories.union([.summary]).contains).map(\.rawValue).joined(separator: ",")
            referral.request = cleaned
            referral.response = ""
            referral.createdByID = identity.userID
            referral.createdAt = now
            referral.updatedAt = now
            try await referral.create(on: tx)
            _ = try await agreements.record([Self.share(of: referral, on: now)], tx)
            try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: "refer", from: report.status, to: report.status,
                                  note: "Referred to \(receiver.name) for action. Shared: \(referral.sharedCategories.map(\.label).sorted().joined(separator: "; ")).").create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "referral.created", recordType: "report", recordID: id.uuidString,
                                              address: address, detail: "referral \(try referral.requireID().uuidString); shared \(referral.shared)"), on: tx)
            return referral
        }
    }

    /// The receiving agency accepts, rejects (with a reason) or completes a referral.
    func respond(toReferral referralID: UUID, status: String, response: String, identity: Identity, address: String) async throws -> Referral {
        try await db.transaction { tx in
            guard let referral = try await Referral.find(referralID, on: tx),
                  referral.toAgencyID == identity.agencyID, identity.can(.viewReports) else { throw AppError.notFound("referral") }
            guard let next = ReferralStatus(rawValue: status) else {
                throw AppError.invalid([.init("status", "Choose accept, reject or complete.")])
            }
            var v = Validator()
            let cleaned = v.text(response, field: "response", label: "Response", required: false, max: 2000)
            try v.check()
            let from = referral.referralStatus
            do { _ = try from.moving(to: next, reason: cleaned) } catch let error as ValidationFailure {
                throw AppError.invalid(error.issues.map { .init($0.field == "reason" ? "response" : $0.field, $0.message) })
            }
            let now = Date()
            referral.status = next.rawValue
            if !cleaned.isEmpty { referral.response = cleaned }
            referral.updatedAt = now
            try await referral.save(on: tx)
            let agency = try await Agency.find(identity.agencyID, on: tx)
            let report = try await Report.find(referral.reportID, on: tx)
            try await ReportEvent(reportID: referral.reportID, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: "referral \(next.rawValue)", from: report?.status ?? "", to: report?.status ?? "",
                                  note: "\(agency?.name ?? "The agency") \(next.label.lowercased()) the referral." + (cleaned.isEmpty ? "" : " \(cleaned)")).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "referral.\(next.rawValue)", recordType: "report",
                                              recordID: referral.reportID.uuidString, address: address, detail: "referral \(referralID.uuidString)"), on: tx)
            return referral
        }
    }
}
