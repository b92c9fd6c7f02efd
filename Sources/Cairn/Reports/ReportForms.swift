import CairnCore
import Foundation

/// The report form (`/reports/new`), which triage shares (`/reports/:reportId/triage`). Besides
/// its named fields it has numbered people and addresses (`persons[0].name`) and one select
/// per indicator (`indicator:ID`), read from the names sent.
struct ReportForm: FormInput {
    static let lists: Set<String> = ["exploitationTypes"]

    /// The fields with fixed names.
    struct Fields: Decodable, Sendable {
        var submission, description, ageGroup, labourSector, location, postcode, occurred, phones, vehicles, businesses, online: String?
        var dangerNow, countyLines: Checkbox?
        var exploitationTypes: [String]?
    }

    let fields: Fields
    /// From index 0 up to the first without a name, as the form numbers them.
    let persons: [ReportInput.Person]
    let addresses: [ReportInput.Address]
    /// Each indicator given a value (observed or disclosed), in the order the form shows them.
    let indicators: [ReportInput.IndicatorTick]

    static let indicatorPrefix = "indicator:"

    /// `persons[0].name` is read as `persons.0.name`: to the decoder brackets would be structure.
    static func fieldName(_ sent: String) -> String? {
        if let match = sent.wholeMatch(of: /(persons|addresses)\[([0-9]{1,3})\]\.([A-Za-z]+)/) { return "\(match.1).\(match.2).\(match.3)" }
        return sent.contains("[") || sent.contains("]") ? nil : sent
    }

    init(from decoder: any Decoder) throws {
        fields = try Fields(from: decoder)
        let sent = try decoder.container(keyedBy: FormKey.self)
        func text(_ name: String) throws -> String? { try sent.decodeIfPresent(String.self, forKey: FormKey(name)) }
        var persons: [ReportInput.Person] = []
        for index in 0..<ReportValidation.maxItems {
            guard let name = try text("persons.\(index).name") else { break }
            persons.append(.init(name: name, aliases: try text("persons.\(index).aliases") ?? "", dateOfBirth: try text("persons.\(index).dateOfBirth") ?? "",
                                 age: try text("persons.\(index).age") ?? "", nationality: try text("persons.\(index).nationality") ?? ""))
        }
        var addresses: [ReportInput.Address] = []
        for index in 0..<ReportValidation.maxItems {
            guard let line = try text("addresses.\(index).line") else { break }
            addresses.append(.init(line: line, postcode: try text("addresses.\(index).postcode") ?? ""))
        }
        var indicators: [ReportInput.IndicatorTick] = []
        for key in sent.allKeys where key.stringValue.hasPrefix(Self.indicatorPrefix) {
            let knowledge = try sent.decode(String.self, forKey: key)
            if !knowledge.isEmpty { indicators.append(.init(id: String(key.stringValue.dropFirst(Self.indicatorPrefix.count)), knowledge: knowledge)) }
        }
        self.persons = persons
        self.addresses = addresses
        self.indicators = indicators.sorted { Self.shownOrder($0.id) < Self.shownOrder($1.id) }
    }

    /// Where the form shows an indicator (its list, then the standard items in their order,
    /// then others by id), which is the order a browser sends them in.
    static func shownOrder(_ id: String) -> (Int, Int, String) {
        let list = IndicatorList.allCases.firstIndex { id.hasPrefix($0.rawValue + ".") } ?? Int.max
        return (list, IndicatorCatalogue.standardOrder[id] ?? Int.max, id)
    }

    /// The report as recorded by a practitioner (who records no reporter of their own).
    var input: ReportInput {
        ReportInput(dangerNow: fields.dangerNow.isOn, description: fields.description ?? "", location: fields.location ?? "",
                    postcode: fields.postcode ?? "", occurred: fields.occurred ?? "", vehicles: fields.vehicles ?? "", phones: fields.phones ?? "",
                    businesses: fields.businesses ?? "", websites: fields.online ?? "", anonymous: true,
                    exploitationTypes: fields.exploitationTypes ?? [], countyLines: fields.countyLines.isOn, ageGroup: fields.ageGroup ?? "",
                    labourSector: fields.labourSector ?? "", indicators: indicators, persons: persons, addresses: addresses)
    }

    /// The form's own id for the submission, so a double submit records one report.
    var submissionKey: String { String((fields.submission ?? "").prefix(64)) }
}

/// An action on a report (`/reports/:reportId/actions`): one form per action on the report's page.
struct ReportActionForm: FormInput {
    let action: String?
    let reason: String?
    let agencyId: String?

    /// What the form asks for; an unknown action is a 400.
    var command: ReportService.Command {
        get throws {
            let reason = String((reason ?? "").prefix(4000)).trimmingCharacters(in: .whitespacesAndNewlines)
            let agencyID = UUID(uuidString: agencyId ?? "")
            switch action ?? "" {
            case "accept": return .accept
            case "reject": return .reject(reason: reason)
            case "reroute": return .reroute(agencyID: agencyID, reason: reason)
            case "start": return .start
            case "assign": return .assign(agencyID: agencyID, note: reason)
            case "reopen": return .reopen(reason: reason)
            default: throw AppError.badRequest("Choose an action: accept, reject, reroute, start, assign or reopen.")
            }
        }
    }
}

/// Closing a report with an outcome (`/reports/:reportId/close`). The date comes as GOV.UK
/// boxes (`outcomeDate-day`, …) or as one field.
struct CloseReportForm: DatedForm {
    let outcome: String?
    let outcomeNote: String?
    var outcomeDate: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("outcomeDate", \.outcomeDate, DateInput.Rules(label: "Date of the outcome", timing: .todayOrPast))]
    }
}

/// Referring a report to another agency (`/reports/:reportId/referrals`).
struct ReferralForm: FormInput {
    static let lists: Set<String> = ["shared"]
    let toAgencyId: String?
    let shared: [String]?
    let request: String?
}

/// The referred agency's reply (`/referrals/:referralId`).
struct ReferralReplyForm: FormInput {
    let status: String?
    let response: String?
}
