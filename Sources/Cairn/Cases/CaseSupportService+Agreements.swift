import CairnCore
import Foundation

/// Shares by consent meet the partnership's information-sharing agreements
/// (`SharingAgreements`): a consent naming agencies is a share of what it covers, from the
/// agency of the person recording it to each agency it names.
extension CaseSupportService {
    /// The kinds of information on the agreements' list that a consent's categories are.
    static func agreementCategories(_ categories: Set<ConsentDataCategory>) -> Set<SharedDataCategory> {
        Set(categories.map { category -> SharedDataCategory in
            switch category {
            case .identityDetails, .contactDetails: .victimPersonalDetails
            case .account, .needsAndCarePlan, .nrmDetails: .caseDetails
            case .healthInformation: .specialCategoryHealth
            case .immigrationStatus: .immigrationStatus
            case .criminalJusticeInformation: .criminalOffence
            }
        })
    }

    static func shares(of consent: CaseConsent, from agency: UUID, on now: Date) -> [OutgoingShare] {
        let record = consent.record
        let categories = agreementCategories(record.categories)
        return record.agencies.compactMap(UUID.init(uuidString:)).sorted { $0.uuidString < $1.uuidString }
            .map { OutgoingShare(.consent, from: agency, to: $0, categories: categories, on: CalendarDate(now, in: .london)) }
    }

    /// The warning for the person who recorded a consent to share with agencies no agreement in
    /// force covers, if any.
    func agreementWarning(for consent: CaseConsent, from agency: UUID, now: Date = Date()) async throws -> String? {
        try await agreements.warning(Self.shares(of: consent, from: agency, on: now))
    }
}
