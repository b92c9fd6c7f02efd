import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// Consent, needs, care-plan tasks, NRM, outcomes and warnings: the same rules and audit as
/// the case pages. Every case operation is for the case team (404 for anyone else); task
/// inbox and updates are for the owning agency while consent stands.
extension APIHandler {
    static func caseID(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw AppError.notFound("case") }
        return id
    }

    static func consent(_ row: CaseConsent) throws -> Components.Schemas.Consent {
        let record = row.record
        return .init(id: try row.requireID().uuidString, categories: ConsentDataCategory.allCases.filter(record.categories.contains).map(\.rawValue),
                     purposes: ConsentPurpose.allCases.filter(record.purposes.contains).map(\.rawValue), agencyIds: record.agencies.sorted(),
                     method: row.method, interpreterLanguage: row.interpreterLanguage, validFrom: row.validFrom, validUntil: row.validUntil,
                     withdrawnOn: row.withdrawnOn, nrmConsent: row.nrmConsent, anonymisedSharing: row.anonymisedSharing, inForce: record.isActive(on: CaseSupportService.today()),
                     recordedAt: row.recordedAt)
    }

    static func need(_ row: CaseNeed) -> Components.Schemas.Need {
        .init(domain: row.domain, urgency: row.urgency, survivorPriority: row.survivorPriority, note: row.note, assessedOn: row.assessedOn)
    }

    static func task(_ t: CareTask, _ c: SupportCase) throws -> Components.Schemas.Task {
        .init(id: try t.requireID().uuidString, caseId: try c.requireID().uuidString, caseCode: c.code, chosenName: c.chosenName, language: c.language.nilIfEmpty,
              interpreterNeeded: c.interpreterNeeded, need: t.need, title: t.title, detail: t.detail.nilIfEmpty, agencyId: t.agencyID.uuidString,
              dueOn: t.dueOn, status: try APIEnum.map(t.status), overdue: t.core.isOverdue(on: CaseSupportService.today()),
              note: t.updateNote.nilIfEmpty)
    }

    static func review(_ row: CaseOutcomeReview) -> Components.Schemas.OutcomeReview {
        let ratings = (try? JSONDecoder().decode([String: String].self, from: Data(row.ratings.utf8))) ?? [:]
        return .init(point: row.point, date: row.reviewDate, ratings: .init(additionalProperties: ratings), note: row.note.nilIfEmpty)
    }

    func listCaseConsents(_ input: Operations.ListCaseConsents.Input) async throws -> Operations.ListCaseConsents.Output {
        let (identity, context) = try APIRequest.authorize(.listCaseConsents)
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let rows = try await services.support.consents(of: c, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(items: try rows.map(Self.consent)))))
    }

    func recordCaseConsent(_ input: Operations.RecordCaseConsent.Input) async throws -> Operations.RecordCaseConsent.Output {
        let (identity, context) = try APIRequest.authorize(.recordCaseConsent)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the consent as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.recordConsent(
            c,
            .init(categories: body.categories, purposes: body.purposes, agencies: body.agencyIds, method: body.method,
                  interpreterLanguage: body.interpreterLanguage ?? "", validFrom: body.validFrom ?? "", validUntil: body.validUntil ?? "",
                  nrmConsent: body.nrmConsent ?? false, anonymisedSharing: body.anonymisedSharing ?? false),
            address: context.clientAddress)
        return .created(.init(body: .json(try Self.consent(row))))
    }

    func withdrawCaseConsent(_ input: Operations.WithdrawCaseConsent.Input) async throws -> Operations.WithdrawCaseConsent.Output {
        let (identity, context) = try APIRequest.authorize(.withdrawCaseConsent)
        var note = ""
        if case .json(let body) = input.body { note = body.note ?? "" }
        guard let consentID = UUID(uuidString: input.path.consentId) else { throw AppError.notFound("consent") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.withdrawConsent(c, consentID: consentID, note: note, address: context.clientAddress)
        return .ok(.init(body: .json(try Self.consent(row))))
    }

    func listCaseNeeds(_ input: Operations.ListCaseNeeds.Input) async throws -> Operations.ListCaseNeeds.Output {
        let (identity, context) = try APIRequest.authorize(.listCaseNeeds)
        let c = try await services.cases.view(try Self.caseID(input.path.caseId), identity: identity, address: context.clientAddress, via: "api needs")
        return .ok(.init(body: .json(.init(items: try await services.support.needs(of: c).map(Self.need)))))
    }

    func assessCaseNeed(_ input: Operations.AssessCaseNeed.Input) async throws -> Operations.AssessCaseNeed.Output {
        let (identity, context) = try APIRequest.authorize(.assessCaseNeed)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the assessment as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.assessNeed(c, domain: input.path.domain, urgency: body.urgency,
                                                        priority: body.survivorPriority, note: body.note ?? "", address: context.clientAddress)
        return .ok(.init(body: .json(Self.need(row))))
    }

    func listCaseTasks(_ input: Operations.ListCaseTasks.Input) async throws -> Operations.ListCaseTasks.Output {
        let (identity, context) = try APIRequest.authorize(.listCaseTasks)
        let c = try await services.cases.view(try Self.caseID(input.path.caseId), identity: identity, address: context.clientAddress, via: "api tasks")
        return .ok(.init(body: .json(.init(items: try await services.support.tasks(of: c).map { try Self.task($0, c.record) }))))
    }

    func createCaseTask(_ input: Operations.CreateCaseTask.Input) async throws -> Operations.CreateCaseTask.Output {
        let (identity, context) = try APIRequest.authorize(.createCaseTask)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the task as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.addTask(c, .init(need: body.need, title: body.title, detail: body.detail ?? "",
                                                              agencyID: body.agencyId, dueOn: body.dueOn ?? ""),
                                                     address: context.clientAddress)
        return .created(.init(body: .json(try Self.task(row, c.record))))
    }

    func listAgencyTasks(_ input: Operations.ListAgencyTasks.Input) async throws -> Operations.ListAgencyTasks.Output {
        let (identity, context) = try APIRequest.authorize(.listAgencyTasks)
        let rows = try await services.support.inbox(identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(items: try rows.map { try Self.task($0.0, $0.1) }))))
    }

    func updateTask(_ input: Operations.UpdateTask.Input) async throws -> Operations.UpdateTask.Output {
        let (identity, context) = try APIRequest.authorize(.updateTask)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the update as JSON.") }
        guard let taskID = UUID(uuidString: input.path.taskId) else { throw AppError.notFound("task") }
        let (task, record) = try await services.support.updateTask(taskID, status: body.status, note: body.note ?? "", identity: identity,
                                                                   address: context.clientAddress)
        return .ok(.init(body: .json(try Self.task(task, record))))
    }

    func nrmBody(_ c: AuthorisedCase) async throws -> Components.Schemas.Nrm {
        let today = CaseSupportService.today()
        let route = try await services.support.route(of: c, today: today)
        var referral: Components.Schemas.Nrm.ReferralPayload?
        if let row = try await services.support.nrm(of: c) {
            let r = row.referral
            referral = .init(referralDate: row.referralDate, firstResponder: row.firstResponder, reference: row.reference,
                             competentAuthority: row.competentAuthority, reasonableGroundsDecision: row.rgDecision, reasonableGroundsDate: row.rgDate,
                             conclusiveGroundsDecision: row.cgDecision, conclusiveGroundsDate: row.cgDate, stage: r.stage.rawValue,
                             reasonableGroundsTarget: r.reasonableGroundsTarget().description,
                             reasonableGroundsOverdue: r.isReasonableGroundsOverdue(on: today),
                             recoveryPeriodEarliestEnd: r.recoveryPeriodEarliestEnd?.description)
        }
        let notices = try await services.support.dutyToNotify(of: c).count
        return .init(route: try APIEnum.map(route.rawValue), routeExplanation: route.explanation, referral: referral,
                     dutyToNotifyCount: notices)
    }

    func getCaseNRM(_ input: Operations.GetCaseNRM.Input) async throws -> Operations.GetCaseNRM.Output {
        let (identity, context) = try APIRequest.authorize(.getCaseNRM)
        let c = try await services.cases.view(try Self.caseID(input.path.caseId), identity: identity, address: context.clientAddress, via: "api nrm")
        return .ok(.init(body: .json(try await nrmBody(c))))
    }

    func saveCaseNRM(_ input: Operations.SaveCaseNRM.Input) async throws -> Operations.SaveCaseNRM.Output {
        let (identity, context) = try APIRequest.authorize(.saveCaseNRM)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the NRM record as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        _ = try await services.support.saveNRM(c, .init(
            referralDate: body.referralDate, firstResponder: body.firstResponder, reference: body.reference ?? "",
            competentAuthority: body.competentAuthority ?? "", rgDecision: body.reasonableGroundsDecision ?? "",
            rgDate: body.reasonableGroundsDate ?? "", cgDecision: body.conclusiveGroundsDecision ?? "", cgDate: body.conclusiveGroundsDate ?? ""),
            address: context.clientAddress)
        return .ok(.init(body: .json(try await nrmBody(c))))
    }

    func listCaseOutcomeReviews(_ input: Operations.ListCaseOutcomeReviews.Input) async throws -> Operations.ListCaseOutcomeReviews.Output {
        let (identity, context) = try APIRequest.authorize(.listCaseOutcomeReviews)
        let c = try await services.cases.view(try Self.caseID(input.path.caseId), identity: identity, address: context.clientAddress,
                                              via: "api outcomes")
        return .ok(.init(body: .json(.init(items: try await services.support.reviews(of: c).map(Self.review)))))
    }

    func recordCaseOutcomeReview(_ input: Operations.RecordCaseOutcomeReview.Input) async throws -> Operations.RecordCaseOutcomeReview.Output {
        let (identity, context) = try APIRequest.authorize(.recordCaseOutcomeReview)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the review as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.recordReview(c, point: body.point, date: body.date ?? "",
                                                          ratings: body.ratings.additionalProperties, note: body.note ?? "",
                                                          address: context.clientAddress)
        return .created(.init(body: .json(Self.review(row))))
    }

    func recordCaseWarning(_ input: Operations.RecordCaseWarning.Input) async throws -> Operations.RecordCaseWarning.Output {
        let (identity, context) = try APIRequest.authorize(.recordCaseWarning)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the warning sign as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let (row, risk) = try await services.support.recordWarning(c, sign: body.sign, observedOn: body.observedOn ?? "",
                                                                   note: body.note ?? "", address: context.clientAddress)
        return .created(.init(body: .json(.init(sign: row.sign, observedOn: row.observedOn, riskLevel: try APIEnum.map(risk.level.rawValue),
                                                reasons: risk.reasons))))
    }
}

/// The contact log.
extension APIHandler {
    static func contact(_ row: CaseContact) throws -> Components.Schemas.Contact {
        .init(id: try row.requireID().uuidString, plannedOn: row.plannedOn, method: try APIEnum.map(row.method),
              status: try APIEnum.map(row.status), note: row.note.nilIfEmpty)
    }

    func listCaseContacts(_ input: Operations.ListCaseContacts.Input) async throws -> Operations.ListCaseContacts.Output {
        let (identity, context) = try APIRequest.authorize(.listCaseContacts)
        let c = try await services.cases.view(try Self.caseID(input.path.caseId), identity: identity, address: context.clientAddress, via: "api contacts")
        return .ok(.init(body: .json(.init(items: try await services.support.contacts(of: c).map(Self.contact)))))
    }

    func recordCaseContact(_ input: Operations.RecordCaseContact.Input) async throws -> Operations.RecordCaseContact.Output {
        let (identity, context) = try APIRequest.authorize(.recordCaseContact)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the contact as JSON.") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.planContact(c, date: body.plannedOn, method: body.method.rawValue,
                                                         status: body.status?.rawValue ?? "planned", note: body.note ?? "",
                                                         address: context.clientAddress)
        return .created(.init(body: .json(try Self.contact(row))))
    }

    func updateCaseContact(_ input: Operations.UpdateCaseContact.Input) async throws -> Operations.UpdateCaseContact.Output {
        let (identity, context) = try APIRequest.authorize(.updateCaseContact)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the contact's status as JSON.") }
        guard let contactID = UUID(uuidString: input.path.contactId) else { throw AppError.notFound("contact") }
        let c = try await services.cases.authorise(try Self.caseID(input.path.caseId), identity: identity)
        let row = try await services.support.updateContact(c, contactID: contactID, status: body.status.rawValue,
                                                           note: body.note ?? "", address: context.clientAddress)
        return .ok(.init(body: .json(try Self.contact(row))))
    }
}
