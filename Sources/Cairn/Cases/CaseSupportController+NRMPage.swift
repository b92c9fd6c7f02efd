import CairnCore
import Foundation

/// The NRM and Duty to Notify page: the route, the referral's progress, the notices made, and
/// the forms for each.
extension CaseSupportController {
    struct NRMPage: Sendable, DateFieldPage {
        let header: Header
        let route: String
        let mayRefer: Bool
        let mayNotify: Bool
        let hasReferral: Bool
        let stage: String
        let facts: [Line]
        let rgOverdue: Bool
        let authorities: [Choice]
        let rgChoices: [Choice]
        let cgChoices: [Choice]
        let reviewKinds: [Choice]
        let input: CaseSupportService.NRMInput
        let notices: [Line]
        let types: [Choice]
        let locations: [Choice]
        let genders: [Choice]
        let ageBands: [Choice]
        let today: String
        var dates: [String: DateField] = [:]
    }

    func nrmPage(_ c: AuthorisedCase, input: CaseSupportService.NRMInput? = nil) async throws -> NRMPage {
        let today = CaseSupportService.today()
        let route = try await support.route(of: c, today: today)
        let nrm = try await support.nrm(of: c)
        var facts: [Line] = []
        var overdue = false
        var stage = ""
        if let nrm {
            let referral = nrm.referral
            stage = referral.stage.label
            overdue = referral.isReasonableGroundsOverdue(on: today)
            facts.append(.init(label: "Referred", value: "\(Format.day(nrm.referralDate)) by \(nrm.firstResponder)"))
            if let r = nrm.reference { facts.append(.init(label: "Reference", value: r)) }
            if let a = referral.competentAuthority { facts.append(.init(label: "Competent authority", value: a.label)) }
            facts.append(.init(label: "Reasonable-grounds target", value: "\(Format.day(referral.reasonableGroundsTarget().description)) (5 working days)"))
            if let rg = referral.reasonableGrounds { facts.append(.init(label: "Reasonable grounds", value: "\(rg.decision.rawValue.capitalized), \(Format.day(rg.date.description))")) }
            if let end = referral.recoveryPeriodEarliestEnd { facts.append(.init(label: "Recovery period", value: "At least until \(Format.day(end.description))")) }
            if let cg = referral.conclusiveGrounds { facts.append(.init(label: "Conclusive grounds", value: "\(cg.decision.rawValue.capitalized), \(Format.day(cg.date.description))")) }
            for r in referral.reconsiderations {
                facts.append(.init(label: "Reconsideration", value: "Of the \(r.decision.label.lowercased()), requested \(Format.day(r.requestedOn.description))"))
            }
        }
        let input = input ?? CaseSupportService.NRMInput(
            referralDate: nrm?.referralDate ?? "", firstResponder: nrm?.firstResponder ?? "", reference: nrm?.reference ?? "",
            competentAuthority: nrm?.competentAuthority ?? "", rgDecision: nrm?.rgDecision ?? "", rgDate: nrm?.rgDate ?? "",
            cgDecision: nrm?.cgDecision ?? "", cgDate: nrm?.cgDate ?? "")
        let notices = try await support.dutyToNotify(of: c).map {
            Line(label: Format.day($0.notifiedOn.description),
                                value: "\($0.exploitationTypes.map(\.label).sorted().joined(separator: ", ")); \($0.gender.rawValue); age \($0.ageBand.rawValue.replacingOccurrences(of: "_", with: "–"))")
        }
        return NRMPage(
            header: Self.header(c, current: .nrm), route: route.explanation,
            mayRefer: route == .nrmReferralWithConsent || route == .nrmReferralWithoutConsent, mayNotify: route == .dutyToNotify,
            hasReferral: nrm != nil, stage: stage, facts: facts, rgOverdue: overdue,
            authorities: CompetentAuthority.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.competentAuthority == $0.rawValue) },
            rgChoices: NRMDecision.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: input.rgDecision == $0.rawValue) },
            cgChoices: NRMDecision.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: input.cgDecision == $0.rawValue) },
            reviewKinds: NRMDecisionKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            input: input, notices: notices,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            locations: ExploitationLocation.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue == "uk" ? "In the UK" : $0.rawValue.capitalized, selected: false) },
            genders: NotifiedGender.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: false) },
            ageBands: AgeBand.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue == "unknown" ? "Unknown" : $0.rawValue.replacingOccurrences(of: "_", with: "–"), selected: false) },
            today: today.description, dates: Self.nrmDates(input, today: today))
    }
}
