import CairnCore

/// The public report form (`/report`).
struct PublicReportForm: FormInput {
    let lang: String?
    let submission: String?
    /// "yes" or "no"; anything else is not answered.
    let dangerNow: String?
    let description, location, postcode, occurred, people, vehicles, phones, businesses, websites: String?
    let reporterType: String?
    /// "details" when the reporter gives contact details.
    let contact: String?
    let contactName, contactPhone, contactEmail, contactBestTime: String?
    let contactConsent: Checkbox?
    /// Hidden from people; bots fill it.
    let website_confirm: String?
    /// The awareness campaign's code the form was opened with (`/report?c=CODE`), hidden.
    let campaign: String?

    /// The report in `language`.
    func input(language: PublicLanguage) -> ReportInput {
        let danger: Bool? = switch dangerNow {
        case "yes": true
        case "no": false
        default: nil
        }
        return ReportInput(language: language.rawValue, dangerNow: danger, description: description ?? "", location: location ?? "",
                           postcode: postcode ?? "", occurred: occurred ?? "", people: people ?? "", vehicles: vehicles ?? "", phones: phones ?? "",
                           businesses: businesses ?? "", websites: websites ?? "", reporterType: reporterType ?? "", anonymous: contact != "details",
                           contactName: contactName ?? "", contactPhone: contactPhone ?? "", contactEmail: contactEmail ?? "",
                           contactBestTime: contactBestTime ?? "", contactConsent: contactConsent.isOn, honeypot: website_confirm ?? "",
                           campaignCode: String((campaign ?? "").prefix(40)))
    }

    var submissionKey: String { String((submission ?? "").prefix(64)) }
}

/// Checking a report's status (`/report/status`).
struct ReportStatusForm: FormInput {
    let lang: String?
    let reference: String?
    let passphrase: String?
}
