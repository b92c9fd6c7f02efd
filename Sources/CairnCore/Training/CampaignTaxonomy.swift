import Foundation

/// Who an awareness campaign is aimed at. Each audience of workers names the labour sector it
/// is about (`LabourSector`), and an audience of people who report names their reporter type
/// (`ReporterType`), so "what changed afterwards" can set a campaign beside that sector's reports.
public enum CampaignAudience: String, CaseIterable, Codable, Sendable {
    case agricultureWorkers = "agriculture_workers"
    case carWashWorkers = "car_wash_workers"
    case nailBarWorkers = "nail_bar_workers"
    case constructionWorkers = "construction_workers"
    case foodProcessingWorkers = "food_processing_workers"
    case warehouseWorkers = "warehouse_workers"
    case careWorkers = "care_workers"
    case cleaners
    case hotelStaff = "hotel_staff"
    case landlordsAndLettingAgents = "landlords_letting_agents"
    case generalPublic = "general_public"

    public var label: String {
        switch self {
        case .agricultureWorkers: "Workers at risk in agriculture"
        case .carWashWorkers: "Workers at risk in car washes"
        case .nailBarWorkers: "Workers at risk in nail bars"
        case .constructionWorkers: "Workers at risk in construction"
        case .foodProcessingWorkers: "Workers at risk in food processing"
        case .warehouseWorkers: "Workers at risk in warehousing and logistics"
        case .careWorkers: "Workers at risk in care"
        case .cleaners: "Workers at risk in cleaning"
        case .hotelStaff: "Hotel staff"
        case .landlordsAndLettingAgents: "Landlords and letting agents"
        case .generalPublic: "The general public"
        }
    }

    /// The labour sector the audience works in, if it is one.
    public var sector: LabourSector? {
        switch self {
        case .agricultureWorkers: .agriculture
        case .carWashWorkers: .carWash
        case .nailBarWorkers: .nailBar
        case .constructionWorkers: .construction
        case .foodProcessingWorkers: .foodProcessing
        case .warehouseWorkers: .warehousingAndLogistics
        case .careWorkers: .care
        case .cleaners: .cleaning
        case .hotelStaff: .hospitality
        case .landlordsAndLettingAgents, .generalPublic: nil
        }
    }

    /// The reporter type the audience reports as, where the public form has one.
    public var reporterType: ReporterType? {
        switch self {
        case .hotelStaff: .hotel
        case .landlordsAndLettingAgents: .lettingAgent
        case .generalPublic: .memberOfPublic
        default: nil
        }
    }
}

/// How a campaign reaches people.
public enum CampaignChannel: String, CaseIterable, Codable, Sendable {
    case leaflets
    case posters
    case socialMedia = "social_media"
    case radio
    case outreachEvents = "outreach_events"
    case communityGroups = "community_groups"

    public var label: String {
        switch self {
        case .leaflets: "Leaflets"
        case .posters: "Posters"
        case .socialMedia: "Social media"
        case .radio: "Radio"
        case .outreachEvents: "Outreach events"
        case .communityGroups: "Community groups"
        }
    }

    /// What its reach usually counts, as a hint on the form.
    public var usualCount: String {
        switch self {
        case .leaflets: "leaflets handed out"
        case .posters: "posters put up"
        case .socialMedia: "impressions"
        case .radio: "estimated listeners"
        case .outreachEvents: "people spoken to"
        case .communityGroups: "people at the sessions"
        }
    }
}

/// A language a campaign's materials are in (ISO 639-1). The seven the public report form
/// offers (`PublicLanguage`) and others a partnership prints leaflets in; a campaign's QR code
/// in a language the form lacks opens the form in English.
public enum CampaignLanguage: String, CaseIterable, Codable, Sendable {
    case en, ar, pl, ro, sq, ti, vi
    case bg, lt, lv, sk, cs, hu, pt, es, uk, ru, zh, ku, fa, ps, ur, pa, bn, so, am

    public var label: String {
        switch self {
        case .en: "English"
        case .ar: "Arabic"
        case .pl: "Polish"
        case .ro: "Romanian"
        case .sq: "Albanian"
        case .ti: "Tigrinya"
        case .vi: "Vietnamese"
        case .bg: "Bulgarian"
        case .lt: "Lithuanian"
        case .lv: "Latvian"
        case .sk: "Slovak"
        case .cs: "Czech"
        case .hu: "Hungarian"
        case .pt: "Portuguese"
        case .es: "Spanish"
        case .uk: "Ukrainian"
        case .ru: "Russian"
        case .zh: "Chinese"
        case .ku: "Kurdish"
        case .fa: "Persian (Farsi)"
        case .ps: "Pashto"
        case .ur: "Urdu"
        case .pa: "Punjabi"
        case .bn: "Bengali"
        case .so: "Somali"
        case .am: "Amharic"
        }
    }

    /// The public report form's language for it, or nil when the form is not in it.
    public var formLanguage: PublicLanguage? { PublicLanguage(rawValue: rawValue) }
}

/// A campaign's short code: six characters from an alphabet with no look-alikes (no 0/O, 1/I/L,
/// 5/S, 2/Z, 8/B), printed on materials and carried by `/report?c=CODE`. Read case-insensitively.
public enum CampaignCode {
    public static let alphabet = Array("ACDEFGHJKMNPQRTUVWXY34679")
    public static let length = 6

    /// The code in its stored form (upper case, spaces and dashes dropped), or nil when it
    /// cannot be a code.
    public static func normalise(_ text: String) -> String? {
        let cleaned = text.prefix(40).uppercased().filter { $0 != " " && $0 != "-" }
        guard cleaned.count == length, cleaned.allSatisfy(alphabet.contains) else { return nil }
        return cleaned
    }

    /// A new random code.
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

/// A campaign's area: postcode districts (outward codes: "WM1", "SW1A").
public enum CampaignArea {
    /// The district in upper case, or nil when the text is not one.
    public static func normalise(_ text: String) -> String? {
        let d = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard (2...4).contains(d.count), d.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        let c = Array(d)
        func isL(_ x: Character) -> Bool { x.isLetter }
        func isD(_ x: Character) -> Bool { x.isNumber }
        let valid: Bool
        switch c.count {
        case 2: valid = isL(c[0]) && isD(c[1])
        case 3: valid = isL(c[0]) && ((isD(c[1]) && isD(c[2])) || (isL(c[1]) && isD(c[2])) || (isD(c[1]) && isL(c[2])))
        default: valid = isL(c[0]) && isL(c[1]) && isD(c[2]) && (isD(c[3]) || isL(c[3]))
        }
        return valid ? d : nil
    }
}
