import CairnCore
import Foundation

/// The dates asked for on the consent, care-plan and NRM pages, in the GOV.UK pattern: each
/// one's day, month and year boxes (`DateField`). Their rules are the forms' (`CaseSupportForms`).
extension CaseSupportController {
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
