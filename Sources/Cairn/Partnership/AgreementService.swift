import CairnCore
import FluentKit
import Foundation

/// Information-sharing agreements between member agencies: who the parties are, for what,
/// which kinds of information, on which lawful basis (UK GDPR Article 6, and an Article 9
/// condition for special-category data), when signed and when due for review, and the signed
/// document. An agreement whose review date has passed is flagged and no longer covers shares.
/// The only way to their storage; every signed-in role reads, coordinators and administrators
/// change, every change is audited. Coverage of shares and the count of those not covered are
/// in `AgreementService+Coverage`.
public struct AgreementService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog

    var db: any Database { database.db }

    enum Sort: String, CaseIterable, Sendable {
        case review, title, signed

        var label: String {
            switch self {
            case .review: "Review date"
            case .title: "Title"
            case .signed: "Date signed"
            }
        }
    }

    struct Input: Sendable {
        var title = ""
        var purpose = ""
        var parties: [String] = []
        var categories: [String] = []
        var lawfulBasis = ""
        var specialCondition = ""
        var signedOn = ""
        var reviewOn = ""
        var documentTitle = ""
        var documentURL = ""
    }

    struct Detail: Sendable {
        let agreement: SharingAgreement
        let parties: [Agency]
        let state: AgreementState
    }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// Agreements with their parties and state today, flagged ones first when sorted by review date.
    func agreements(identity: Identity, sort: Sort = .review, page: Int = 1, perPage: Int = 25, now: Date = Date()) async throws -> ListPage<Detail> {
        try require(identity, .viewPartnership)
        let all = try await details(on: db, today: GovernanceService.today(now)).sorted { a, b in
            switch sort {
            case .review:
                if a.agreement.reviewOn != b.agreement.reviewOn { return a.agreement.reviewOn < b.agreement.reviewOn }
            case .signed:
                if a.agreement.signedOn != b.agreement.signedOn { return a.agreement.signedOn > b.agreement.signedOn }
            case .title: break
            }
            return a.agreement.title.localizedCaseInsensitiveCompare(b.agreement.title) == .orderedAscending
        }
        return ListPage(all: all, page: page, perPage: perPage)
    }

    func agreement(_ id: UUID, identity: Identity, now: Date = Date()) async throws -> Detail {
        try require(identity, .viewPartnership)
        guard let agreement = try await SharingAgreement.find(id, on: db) else { throw AppError.notFound("agreement") }
        let agencies = try await GovernanceService.agencies(on: db)
        let parties = try await SharingAgreementParty.query(on: db).filter(\.$agreementID == id).all().map(\.agencyID)
        return Detail(agreement: agreement, parties: parties.compactMap { agencies[$0] }.sorted { $0.name < $1.name },
                      state: agreement.terms(parties: Set(parties))?.state(on: GovernanceService.today(now)) ?? .expired)
    }

    /// Every agreement with its parties, as the rules read them.
    func details(on db: any Database, today: CalendarDate) async throws -> [Detail] {
        let agencies = try await GovernanceService.agencies(on: db)
        let parties = Dictionary(grouping: try await SharingAgreementParty.query(on: db).all(), by: \.agreementID)
        return try await SharingAgreement.query(on: db).all().map { agreement in
            let ids = (parties[try agreement.requireID()] ?? []).map(\.agencyID)
            return Detail(agreement: agreement, parties: ids.compactMap { agencies[$0] }.sorted { $0.name < $1.name },
                          state: agreement.terms(parties: Set(ids))?.state(on: today) ?? .expired)
        }
    }

    func create(_ input: Input, identity: Identity, address: String, now: Date = Date()) async throws -> SharingAgreement {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let agreement = SharingAgreement()
            agreement.id = UUID()
            agreement.createdAt = now
            let parties = try await apply(input, to: agreement, on: tx, now: now)
            try await agreement.create(on: tx)
            try await setParties(parties, of: try agreement.requireID(), on: tx)
            try await log(identity, "agreement.created", agreement, address: address, detail: "\(parties.count) parties; \(agreement.categoriesText.replacingOccurrences(of: ",", with: ", "))", on: tx)
            return agreement
        }
    }

    func update(_ id: UUID, _ input: Input, identity: Identity, address: String, now: Date = Date()) async throws -> SharingAgreement {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            guard let agreement = try await SharingAgreement.find(id, on: tx) else { throw AppError.notFound("agreement") }
            let kept = Set(try await SharingAgreementParty.query(on: tx).filter(\.$agreementID == id).all().map(\.agencyID))
            let parties = try await apply(input, to: agreement, keeping: kept, on: tx, now: now)
            try await agreement.save(on: tx)
            try await setParties(parties, of: id, on: tx)
            try await log(identity, "agreement.updated", agreement, address: address, detail: "\(parties.count) parties; \(agreement.categoriesText.replacingOccurrences(of: ",", with: ", "))", on: tx)
            return agreement
        }
    }

    /// Records that the parties reviewed the agreement today, with the date of the next review.
    func review(_ id: UUID, nextReviewOn: String, identity: Identity, address: String, now: Date = Date()) async throws -> SharingAgreement {
        try require(identity, .editPartnership)
        let today = GovernanceService.today(now)
        var v = Validator()
        let next = GovernanceService.date(nextReviewOn, field: "nextReviewOn", label: "The date of the next review", into: &v)
        if let next, next <= today { v.add("nextReviewOn", "The next review must be after today.") }
        let found = v
        return try await db.transaction { tx in
            guard let agreement = try await SharingAgreement.find(id, on: tx) else { throw AppError.notFound("agreement") }
            try found.check()
            agreement.reviewedOn = today.description
            agreement.reviewOn = try next.checked("date").description
            agreement.updatedAt = now
            try await agreement.save(on: tx)
            try await log(identity, "agreement.reviewed", agreement, address: address, detail: "next review \(agreement.reviewOn)", on: tx)
            return agreement
        }
    }

    /// Checks the input and sets the agreement's fields; returns its parties. Parties must be
    /// members (one that has left since may stay a party: `keeping`).
    private func apply(_ input: Input, to agreement: SharingAgreement, keeping: Set<UUID> = [], on tx: any Database, now: Date) async throws -> [UUID] {
        var v = Validator()
        let title = v.text(input.title, field: "title", label: "Title", max: 200)
        let purpose = v.text(input.purpose, field: "purpose", label: "Purpose", max: 2000)
        var categories = Set<SharedDataCategory>()
        for raw in input.categories {
            guard let category = SharedDataCategory(rawValue: raw) else {
                v.add("categories", "“\(raw.prefix(40))” is not a kind of information on the list.")
                break
            }
            categories.insert(category)
        }
        let basis = LawfulBasis(rawValue: input.lawfulBasis)
        if basis == nil { v.add("lawfulBasis", "Choose the lawful basis under Article 6(1), (a) to (f).") }
        var condition: SpecialCategoryCondition?
        if !input.specialCondition.isEmpty {
            condition = SpecialCategoryCondition(rawValue: input.specialCondition)
            if condition == nil { v.add("specialCondition", "Choose the Article 9(2) condition, (a) to (j), from the list.") }
        }
        let today = GovernanceService.today(now)
        let signed = GovernanceService.date(input.signedOn, field: "signedOn", label: "The date it was signed", notAfter: today, into: &v)
        let review = GovernanceService.date(input.reviewOn, field: "reviewOn", label: "The review date", into: &v)
        let documentTitle = v.text(input.documentTitle, field: "documentTitle", label: "The document's title", max: 200)
        let url = input.documentURL.trimmingCharacters(in: .whitespaces)
        if let problem = DocumentLink.problem(url, label: "The document's link") { v.add("documentUrl", problem) }
        let agencies = try await GovernanceService.agencies(on: tx)
        var members = try await GovernanceService.currentMembers(on: tx)
        for id in keeping where members[id] == nil {
            if let former = try await PartnershipMember.query(on: tx).filter(\.$agencyID == id).first() { members[id] = former }
        }
        let parties = GovernanceService.memberAgencies(input.parties, field: "parties", members: members, agencies: agencies, into: &v)
        // The rules of the terms, with stand-ins for what is already reported missing.
        let terms = AgreementTerms(parties: Set(parties), categories: categories, lawfulBasis: basis ?? .e, specialCondition: condition,
                                   signedOn: signed ?? .first, reviewOn: review ?? .last)
        for issue in terms.validate() where v.message(for: issue.field) == nil && (issue.field != "reviewOn" || (signed != nil && review != nil)) {
            v.add(issue.field, issue.message)
        }
        if condition != nil, !terms.includesSpecialCategory {
            v.add("specialCondition", "Leave the Article 9 condition empty: the agreement covers no special-category data.")
        }
        try v.check()
        agreement.title = title
        agreement.purpose = purpose
        agreement.categories = categories
        agreement.lawfulBasis = try basis.checked("basis").rawValue
        agreement.specialCondition = condition?.rawValue
        agreement.signedOn = try signed.checked("date").description
        agreement.reviewOn = try review.checked("date").description
        agreement.documentTitle = documentTitle
        agreement.documentURL = url
        agreement.updatedAt = now
        return parties
    }

    private func setParties(_ parties: [UUID], of id: UUID, on tx: any Database) async throws {
        try await SharingAgreementParty.query(on: tx).filter(\.$agreementID == id).delete()
        for agency in parties { try await SharingAgreementParty(agreement: id, agency: agency).create(on: tx) }
    }

    func log(_ identity: Identity, _ action: String, _ agreement: SharingAgreement, address: String, detail: String, on db: any Database) async throws {
        try await audit.append(AuditEvent(actor: identity.auditActor, action: action, recordType: "sharing_agreement",
                                          recordID: agreement.id?.uuidString ?? "", address: address, detail: detail), on: db)
    }
}
