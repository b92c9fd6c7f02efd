import CairnCore
import Foundation

/// Referrals meet the partnership's information-sharing agreements (`SharingAgreements`): each
/// referral is a share of the sections chosen, from the referring agency to the receiving one.
extension ReportService {
    /// The kinds of information on the agreements' list that a referral's sections are.
    static func agreementCategories(_ shared: Set<ShareCategory>) -> Set<SharedDataCategory> {
        var categories: Set<SharedDataCategory> = []
        for section in shared {
            switch section {
            case .summary, .location, .indicators: categories.insert(.reportDetails)
            case .mentions: categories.formUnion([.victimPersonalDetails, .suspectPersonalDetails])
            case .reporterContact: categories.insert(.reporterDetails)
            }
        }
        return categories
    }

    static func share(of referral: Referral, on now: Date) -> OutgoingShare {
        OutgoingShare(.referral, from: referral.fromAgencyID, to: referral.toAgencyID,
                      categories: agreementCategories(referral.sharedCategories), on: CalendarDate(now, in: .london))
    }

    /// The warning for the person who made a referral no agreement in force covers, if any.
    func agreementWarning(for referral: Referral, now: Date = Date()) async throws -> String? {
        try await agreements.warning([Self.share(of: referral, on: now)])
    }
}
