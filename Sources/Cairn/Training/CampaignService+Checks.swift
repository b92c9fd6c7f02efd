import CairnCore
import Foundation

/// Checking a campaign as typed or sent: every field, all problems at once, in the form's order.
extension CampaignService {
    static let maxReach = 1_000_000_000
    static let maxAreas = 40
    static let maxMaterials = 50

    /// `linked`: the hub resources the campaign already names, which stay valid once withdrawn.
    func check(_ input: Input, identity: Identity, linked: Set<UUID> = []) async throws -> Checked {
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "Name", required: false, max: 200)
        if name.isEmpty, v.message(for: "name") == nil { v.add("name", "Enter the campaign’s name") }

        let audiences = Self.choices(&v, input.audiences, CampaignAudience.self, field: "audiences",
                                     missing: "Choose at least one audience", unknown: "Choose audiences from the list")
        let languages = Self.choices(&v, input.languages, CampaignLanguage.self, field: "languages",
                                     missing: "Choose at least one language", unknown: "Choose languages from the list")
        let channels = Self.choices(&v, input.channels, CampaignChannel.self, field: "channels",
                                    missing: "Choose at least one channel", unknown: "Choose channels from the list")

        var reach: [(channel: CampaignChannel, reach: Int, countedAs: String)] = []
        for channel in CampaignChannel.allCases {
            let field = "reach-\(channel.rawValue)"
            let text = (input.reach[channel.rawValue] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
            let counted = v.text(input.countedAs[channel.rawValue], field: "counted-\(channel.rawValue)", label: "How the \(channel.label.lowercased()) reach was counted",
                                 required: false, max: 200)
            guard channels.contains(channel) else {
                if !text.isEmpty { v.add(field, "Tick \(channel.label.lowercased()) as a channel, or clear its reach") }
                continue
            }
            var number = 0
            if !text.isEmpty {
                guard text.count <= 12, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }), let n = Int(text) else {
                    v.add(field, "The \(channel.label.lowercased()) reach must be a whole number, such as 250")
                    continue
                }
                guard n >= 0 else { v.add(field, "The \(channel.label.lowercased()) reach must be 0 or more"); continue }
                guard n <= Self.maxReach else { v.add(field, "The \(channel.label.lowercased()) reach must be at most \(Self.maxReach)"); continue }
                number = n
            }
            reach.append((channel, number, counted.isEmpty ? channel.usualCount : counted))
        }

        var areas: [String] = []
        let areaWords = input.areas.prefix(1000).split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0.isNewline }).map(String.init)
        for word in areaWords {
            guard let district = CampaignArea.normalise(word) else {
                v.add("areas", "“\(word.prefix(20))” is not a postcode district: enter districts such as WM1 or SW1A, separated by commas")
                break
            }
            if !areas.contains(district) { areas.append(district) }
        }
        if areas.count > Self.maxAreas { v.add("areas", "Enter at most \(Self.maxAreas) postcode districts") }

        let startsOn = Self.date(&v, input.startsOn, field: "startsOn", label: "start date")
        let endsOn = Self.date(&v, input.endsOn, field: "endsOn", label: "end date")
        if let startsOn, let endsOn, endsOn < startsOn {
            v.add("endsOn", "The end date must be the same as or after the start date (\(Format.day(startsOn)))")
        }

        let materialLines = v.text(input.materials, field: "materials", label: "Materials", required: false, max: 10_000)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if materialLines.count > Self.maxMaterials { v.add("materials", "List at most \(Self.maxMaterials) materials") }
        if materialLines.contains(where: { $0.count > 200 }) { v.add("materials", "Each material’s title must be at most 200 characters") }

        let resourceIDs = try await checkResources(&v, input.resourceIDs, linked: linked)

        var planActionID: UUID?
        let actionText = input.planActionID.trimmingCharacters(in: .whitespaces)
        if !actionText.isEmpty {
            if let id = UUID(uuidString: actionText), try await planActions.choices().contains(where: { $0.id == id }) { planActionID = id }
            else { v.add("planActionId", "Choose a plan action from the list, or none") }
        }

        guard v.errors.isEmpty, let startsOn, let endsOn else { throw AppError.invalid(v.errors) }
        return Checked(name: name, audiences: audiences, languages: languages, reach: reach, areas: areas, startsOn: startsOn, endsOn: endsOn,
                       materials: materialLines, resources: resourceIDs, planActionID: planActionID)
    }

    /// The hub resources chosen: each an id of a resource that exists and is not withdrawn
    /// (unless the campaign already named it), repeats ignored.
    private func checkResources(_ v: inout Validator, _ texts: [String], linked: Set<UUID>) async throws -> [UUID] {
        var ids: [UUID] = []
        for text in texts.prefix(Self.maxMaterials + 1) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.count <= 36, let id = UUID(uuidString: trimmed) else {
                v.add("resources", "Choose hub resources from the list")
                return []
            }
            if !ids.contains(id) { ids.append(id) }
        }
        if ids.count > Self.maxMaterials {
            v.add("resources", "Choose at most \(Self.maxMaterials) hub resources")
            return []
        }
        let found = try await resources.find(ids)
        if found.count < ids.count {
            v.add("resources", "One of the chosen hub resources does not exist (it may have been removed): choose from the list")
            return []
        }
        if let gone = found.first(where: { $0.withdrawn && !linked.contains($0.id) }) {
            v.add("resources", "“\(gone.title.prefix(80))” has been withdrawn from the hub: choose another resource")
            return []
        }
        return ids
    }

    /// Values from a fixed list, in the list's order, repeats ignored.
    private static func choices<T: RawRepresentable & CaseIterable & Equatable>(_ v: inout Validator, _ texts: [String], _ type: T.Type, field: String,
                                                                                 missing: String, unknown: String) -> [T] where T.RawValue == String {
        var chosen: [T] = []
        for text in texts.prefix(100) {
            guard let value = T(rawValue: text.trimmingCharacters(in: .whitespaces)) else { v.add(field, unknown); return [] }
            chosen.append(value)
        }
        if chosen.isEmpty { v.add(field, missing) }
        return T.allCases.filter(chosen.contains)
    }

    /// A stored date (`YYYY-MM-DD`); the page's boxes have already been read into one.
    private static func date(_ v: inout Validator, _ text: String, field: String, label: String) -> CalendarDate? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty { v.add(field, "Enter the \(label)"); return nil }
        guard let date = try? CalendarDate(parsing: cleaned) else {
            v.add(field, "The \(label) must be a real date")
            return nil
        }
        return date
    }
}
