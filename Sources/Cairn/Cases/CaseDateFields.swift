import CairnCore
import Foundation

/// The dates asked for on the consent, care-plan and NRM pages, in the GOV.UK pattern: each
/// field's rules (read by `FormData.withDates`) and its day, month and year boxes (`DateField`).
extension CaseSupportController {
    static let consentDateRules: [String: DateInput.Rules] = [
        "validFrom": DateInput.Rules(label: "Date consent starts"),
        "validUntil": DateInput.Rules(label: "Date consent ends", required: false),
    ]

    static let taskDateRules: [String: DateInput.Rules] = [
        "dueOn": DateInput.Rules(label: "Due date", required: false, timing: .todayOrFuture),
    ]

    static let noticeDateRules: [String: DateInput.Rules] = [
        "notifiedOn": DateInput.Rules(label: "Date notified", timing: .todayOrPast),
    ]

    /// A decision's date is needed once the decision is chosen; a reconsideration's once its
    /// decision is chosen. None of them can be in the future.
    static func nrmDateRules(_ data: FormData) -> [String: DateInput.Rules] {
        [
            "referralDate": DateInput.Rules(label: "Referral date", timing: .todayOrPast),
            "rgDate": DateInput.Rules(label: "Reasonable-grounds decision date", required: !(data["rgDecision"] ?? "").isEmpty, timing: .todayOrPast),
            "cgDate": DateInput.Rules(label: "Conclusive-grounds decision date", required: !(data["cgDecision"] ?? "").isEmpty, timing: .todayOrPast),
            "reconsiderationRequested": DateInput.Rules(label: "Date reconsideration was requested",
                                                        required: !(data["reconsiderationOf"] ?? "").isEmpty, timing: .todayOrPast),
        ]
    }

    static func consentDates(_ input: CaseSupportService.ConsentInput, today: CalendarDate) -> [String: DateField] {
        ["validFrom": DateField("validFrom", legend: "Date consent starts", hint: DateField.example(today), value: input.validFrom),
         "validUntil": DateField("validUntil", legend: "Date consent ends (optional)", hint: "Leave it empty if the consent has no end date.",
                                 value: input.validUntil)]
    }

    static func taskDates(_ input: CaseSupportService.TaskInput, today: CalendarDate) -> [String: DateField] {
        ["dueOn": DateField("dueOn", legend: "Due date (optional)", hint: DateField.example(today.adding(days: 14)), value: input.dueOn)]
    }

    static func nrmDates(_ input: CaseSupportService.NRMInput, today: CalendarDate) -> [String: DateField] {
        let example = DateField.example(today)
        return [
            "referralDate": DateField("referralDate", legend: "Referral date", hint: example, value: input.referralDate),
            "rgDate": DateField("rgDate", legend: "Reasonable-grounds decision date", hint: "When the decision below was made. " + example, value: input.rgDate),
            "cgDate": DateField("cgDate", legend: "Conclusive-grounds decision date", hint: "When the decision below was made. " + example, value: input.cgDate),
            "reconsiderationRequested": DateField("reconsiderationRequested", legend: "Date reconsideration was requested", hint: example,
                                                  value: input.reconsiderationRequested),
            "notifiedOn": DateField("notifiedOn", legend: "Date notified", hint: example, value: today.description),
        ]
    }
}
