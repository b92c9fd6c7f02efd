import Foundation
import Testing
@testable import CairnCore

/// The rules of information-sharing agreements: what a valid one needs, its state on a day, and
/// which shares it covers.
@Suite struct SharingAgreementTests {
    let police = UUID(), council = UUID(), charity = UUID()

    func terms(categories: Set<SharedDataCategory> = [.reportDetails, .victimPersonalDetails], condition: SpecialCategoryCondition? = nil,
               signed: String = "2026-01-10", review: String = "2027-01-10", parties: Set<UUID>? = nil) throws -> AgreementTerms {
        AgreementTerms(parties: parties ?? [police, council], categories: categories, lawfulBasis: .e, specialCondition: condition,
                       signedOn: try CalendarDate(parsing: signed), reviewOn: try CalendarDate(parsing: review))
    }

    func day(_ text: String) throws -> CalendarDate { try CalendarDate(parsing: text) }

    @Test func aValidAgreementHasTwoPartiesACategoryAnArticle9ConditionForSpecialCategoryDataAndAReviewAfterSigning() throws {
        #expect(try terms().validate().isEmpty)
        #expect(try terms(review: "2026-01-10").validate().map(\.field) == ["reviewOn"])
        #expect(try terms(review: "2025-12-31").validate().map(\.field) == ["reviewOn"])
        #expect(try terms(categories: [.specialCategoryHealth]).validate().map(\.field) == ["specialCondition"])
        #expect(try terms(categories: [.specialCategoryOther, .caseDetails]).validate().map(\.field) == ["specialCondition"])
        #expect(try terms(categories: [.specialCategoryHealth], condition: .h).validate().isEmpty)
        #expect(try terms(categories: [.criminalOffence, .intelligence]).validate().isEmpty, "not special category under Article 9")
        #expect(try terms(categories: []).validate().map(\.field) == ["categories"])
        #expect(try terms(parties: [police]).validate().map(\.field) == ["parties"])
        #expect(Set(SharedDataCategory.allCases.filter(\.isSpecialCategory)) == [.specialCategoryHealth, .specialCategoryOther])
        #expect(LawfulBasis.allCases.count == 6 && SpecialCategoryCondition.allCases.count == 10)
    }

    @Test func itIsInForceFromSigningToItsReviewDateDueForReviewInTheLastThirtyDaysAndExpiredAfter() throws {
        let t = try terms(signed: "2026-01-10", review: "2026-06-30")
        #expect(t.state(on: try day("2026-01-09")) == .notYetInForce)
        #expect(t.state(on: try day("2026-01-10")) == .inForce)
        #expect(t.state(on: try day("2026-05-30")) == .inForce)
        #expect(t.state(on: try day("2026-05-31")) == .dueForReview)
        #expect(t.state(on: try day("2026-06-30")) == .dueForReview, "still in force on its review date")
        #expect(t.state(on: try day("2026-07-01")) == .expired)
        #expect(AgreementState.allCases.filter(\.covers) == [.inForce, .dueForReview])
        #expect(AgreementState.allCases.filter(\.isFlagged).count == 3)
    }

    @Test func aShareIsCoveredOnlyBetweenPartiesForTheCategoriesNamedWhileInForce() throws {
        let t = try terms(signed: "2026-01-10", review: "2026-06-30")
        let inForce = try day("2026-03-01")
        #expect(t.covers(from: police, to: council, category: .reportDetails, on: inForce))
        #expect(t.covers(from: council, to: police, category: .victimPersonalDetails, on: inForce), "either way")
        #expect(!t.covers(from: police, to: charity, category: .reportDetails, on: inForce), "not a party")
        #expect(!t.covers(from: police, to: council, category: .intelligence, on: inForce), "not a category it names")
        #expect(!t.covers(from: police, to: council, category: .reportDetails, on: try day("2026-07-01")), "expired")
        let other = try terms(categories: [.intelligence], parties: [police, charity])
        let missing = agreementCoverage(from: police, to: council, categories: [.reportDetails, .intelligence], on: inForce, agreements: [t, other])
        #expect(missing == [.intelligence])
        #expect(agreementCoverage(from: police, to: charity, categories: [.intelligence], on: inForce, agreements: [t, other]).isEmpty)
        #expect(agreementCoverage(from: police, to: council, categories: [.reportDetails], on: inForce, agreements: []) == [.reportDetails])
    }

    @Test func documentLinksAreWebAddressesOnly() {
        #expect(DocumentLink.problem("https://docs.example/isa.pdf", label: "Link") == nil)
        #expect(DocumentLink.problem("http://intranet.example/a?b=c", label: "Link") == nil)
        for bad in ["javascript:alert(1)", "ftp://x.example/a", "docs.example/isa.pdf", "https://", "https://a.example/x y", "", "data:text/html,hi"] {
            #expect(DocumentLink.problem(bad, label: "Link") != nil, "\(bad)")
        }
        #expect(DocumentLink.problem("https://a.example/" + String(repeating: "a", count: 2000), label: "Link")?.contains("2000 characters") == true)
    }

    @Test func anOpenActionPastItsDueDateIsOverdue() throws {
        #expect(GovernanceActionStatus.open.isOverdue(due: try day("2026-03-01"), today: try day("2026-03-02")))
        #expect(!GovernanceActionStatus.open.isOverdue(due: try day("2026-03-01"), today: try day("2026-03-01")), "due today is not overdue")
        #expect(!GovernanceActionStatus.done.isOverdue(due: try day("2026-03-01"), today: try day("2026-04-01")))
    }
}
