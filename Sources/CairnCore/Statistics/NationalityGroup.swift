import Foundation

/// Nationality in the coarse groups a local release can bear: single nationalities are far too
/// small to publish for one partnership. The UK and the nationalities the national statistics
/// name most often (Albanian, Vietnamese, Eritrean) fall into their regions here.
public enum NationalityGroup: String, CaseIterable, Sendable, ReleaseCategoryKind {
    case uk
    case euEEA = "eu_eea"
    case otherEurope = "other_europe"
    case africa
    case asiaMiddleEast = "asia_middle_east"
    case americasOceania = "americas_oceania"
    case notKnown = "not_known"

    public var label: String {
        switch self {
        case .uk: "UK"
        case .euEEA: "EU and EEA"
        case .otherEurope: "Other Europe (incl. Albania)"
        case .africa: "Africa"
        case .asiaMiddleEast: "Asia and the Middle East"
        case .americasOceania: "Americas and Oceania"
        case .notKnown: "Not known"
        }
    }

    /// The group of an ISO 3166-1 alpha-2 code ("RO") or of a country's name or nationality as
    /// people write it ("Romanian", "Romania"); `notKnown` for anything else.
    public static func of(_ text: String?) -> NationalityGroup {
        guard let text else { return .notKnown }
        let cleaned = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .folding(options: [.diacriticInsensitive], locale: nil)
        if cleaned.isEmpty { return .notKnown }
        if cleaned.count == 2, let group = byCode[cleaned.uppercased()] { return group }
        if let code = byName[cleaned], let group = byCode[code] { return group }
        return .notKnown
    }

    /// Country code → group, with the names and nationality words that mean each country.
    static let countries: [(code: String, group: NationalityGroup, names: [String])] = [
        ("GB", .uk, ["uk", "united kingdom", "great britain", "britain", "british", "english", "scottish", "welsh", "northern irish", "england", "scotland", "wales"]),
        ("AT", .euEEA, ["austria", "austrian"]), ("BE", .euEEA, ["belgium", "belgian"]), ("BG", .euEEA, ["bulgaria", "bulgarian"]),
        ("HR", .euEEA, ["croatia", "croatian"]), ("CY", .euEEA, ["cyprus", "cypriot"]), ("CZ", .euEEA, ["czechia", "czech republic", "czech"]),
        ("DK", .euEEA, ["denmark", "danish"]), ("EE", .euEEA, ["estonia", "estonian"]), ("FI", .euEEA, ["finland", "finnish"]),
        ("FR", .euEEA, ["france", "french"]), ("DE", .euEEA, ["germany", "german"]), ("GR", .euEEA, ["greece", "greek"]),
        ("HU", .euEEA, ["hungary", "hungarian"]), ("IE", .euEEA, ["ireland", "irish"]), ("IT", .euEEA, ["italy", "italian"]),
        ("LV", .euEEA, ["latvia", "latvian"]), ("LT", .euEEA, ["lithuania", "lithuanian"]), ("LU", .euEEA, ["luxembourg", "luxembourgish"]),
        ("MT", .euEEA, ["malta", "maltese"]), ("NL", .euEEA, ["netherlands", "dutch"]), ("PL", .euEEA, ["poland", "polish"]),
        ("PT", .euEEA, ["portugal", "portuguese"]), ("RO", .euEEA, ["romania", "romanian"]), ("SK", .euEEA, ["slovakia", "slovak"]),
        ("SI", .euEEA, ["slovenia", "slovenian"]), ("ES", .euEEA, ["spain", "spanish"]), ("SE", .euEEA, ["sweden", "swedish"]),
        ("IS", .euEEA, ["iceland", "icelandic"]), ("LI", .euEEA, ["liechtenstein"]), ("NO", .euEEA, ["norway", "norwegian"]),
        ("AL", .otherEurope, ["albania", "albanian"]), ("XK", .otherEurope, ["kosovo", "kosovan", "kosovar"]),
        ("RS", .otherEurope, ["serbia", "serbian"]), ("MK", .otherEurope, ["north macedonia", "macedonia", "macedonian"]),
        ("ME", .otherEurope, ["montenegro", "montenegrin"]), ("BA", .otherEurope, ["bosnia", "bosnia and herzegovina", "bosnian"]),
        ("MD", .otherEurope, ["moldova", "moldovan"]), ("UA", .otherEurope, ["ukraine", "ukrainian"]), ("BY", .otherEurope, ["belarus", "belarusian"]),
        ("RU", .otherEurope, ["russia", "russian"]), ("TR", .otherEurope, ["turkey", "turkiye", "turkish"]), ("GE", .otherEurope, ["georgia", "georgian"]),
        ("AM", .otherEurope, ["armenia", "armenian"]), ("AZ", .otherEurope, ["azerbaijan", "azerbaijani"]), ("CH", .otherEurope, ["switzerland", "swiss"]),
        ("ER", .africa, ["eritrea", "eritrean"]), ("SD", .africa, ["sudan", "sudanese"]), ("SS", .africa, ["south sudan", "south sudanese"]),
        ("SO", .africa, ["somalia", "somali"]), ("ET", .africa, ["ethiopia", "ethiopian"]), ("NG", .africa, ["nigeria", "nigerian"]),
        ("GH", .africa, ["ghana", "ghanaian"]), ("EG", .africa, ["egypt", "egyptian"]), ("LY", .africa, ["libya", "libyan"]),
        ("MA", .africa, ["morocco", "moroccan"]), ("DZ", .africa, ["algeria", "algerian"]), ("TN", .africa, ["tunisia", "tunisian"]),
        ("KE", .africa, ["kenya", "kenyan"]), ("UG", .africa, ["uganda", "ugandan"]), ("CD", .africa, ["congo", "congolese", "democratic republic of the congo"]),
        ("CM", .africa, ["cameroon", "cameroonian"]), ("SL", .africa, ["sierra leone", "sierra leonean"]), ("GN", .africa, ["guinea", "guinean"]),
        ("CI", .africa, ["ivory coast", "cote d'ivoire", "ivorian"]), ("SN", .africa, ["senegal", "senegalese"]), ("ZW", .africa, ["zimbabwe", "zimbabwean"]),
        ("ZA", .africa, ["south africa", "south african"]), ("GM", .africa, ["gambia", "the gambia", "gambian"]), ("ML", .africa, ["mali", "malian"]),
        ("TD", .africa, ["chad", "chadian"]), ("AO", .africa, ["angola", "angolan"]), ("BI", .africa, ["burundi", "burundian"]), ("RW", .africa, ["rwanda", "rwandan"]),
        ("VN", .asiaMiddleEast, ["vietnam", "viet nam", "vietnamese"]), ("CN", .asiaMiddleEast, ["china", "chinese"]), ("IN", .asiaMiddleEast, ["india", "indian"]),
        ("PK", .asiaMiddleEast, ["pakistan", "pakistani"]), ("BD", .asiaMiddleEast, ["bangladesh", "bangladeshi"]), ("AF", .asiaMiddleEast, ["afghanistan", "afghan"]),
        ("IR", .asiaMiddleEast, ["iran", "iranian"]), ("IQ", .asiaMiddleEast, ["iraq", "iraqi"]), ("SY", .asiaMiddleEast, ["syria", "syrian"]),
        ("KW", .asiaMiddleEast, ["kuwait", "kuwaiti"]), ("SA", .asiaMiddleEast, ["saudi arabia", "saudi"]), ("YE", .asiaMiddleEast, ["yemen", "yemeni"]),
        ("LK", .asiaMiddleEast, ["sri lanka", "sri lankan"]), ("NP", .asiaMiddleEast, ["nepal", "nepalese", "nepali"]), ("PH", .asiaMiddleEast, ["philippines", "filipino", "filipina"]),
        ("TH", .asiaMiddleEast, ["thailand", "thai"]), ("MY", .asiaMiddleEast, ["malaysia", "malaysian"]), ("ID", .asiaMiddleEast, ["indonesia", "indonesian"]),
        ("MM", .asiaMiddleEast, ["myanmar", "burma", "burmese"]), ("KH", .asiaMiddleEast, ["cambodia", "cambodian"]), ("KR", .asiaMiddleEast, ["south korea", "korea", "korean"]),
        ("KP", .asiaMiddleEast, ["north korea"]), ("JP", .asiaMiddleEast, ["japan", "japanese"]), ("MN", .asiaMiddleEast, ["mongolia", "mongolian"]),
        ("KZ", .asiaMiddleEast, ["kazakhstan", "kazakh"]), ("UZ", .asiaMiddleEast, ["uzbekistan", "uzbek"]), ("TJ", .asiaMiddleEast, ["tajikistan", "tajik"]),
        ("KG", .asiaMiddleEast, ["kyrgyzstan", "kyrgyz"]), ("TM", .asiaMiddleEast, ["turkmenistan", "turkmen"]), ("JO", .asiaMiddleEast, ["jordan", "jordanian"]),
        ("LB", .asiaMiddleEast, ["lebanon", "lebanese"]), ("IL", .asiaMiddleEast, ["israel", "israeli"]), ("PS", .asiaMiddleEast, ["palestine", "palestinian"]),
        ("AE", .asiaMiddleEast, ["united arab emirates", "uae", "emirati"]), ("QA", .asiaMiddleEast, ["qatar", "qatari"]), ("BH", .asiaMiddleEast, ["bahrain", "bahraini"]),
        ("OM", .asiaMiddleEast, ["oman", "omani"]),
        ("US", .americasOceania, ["united states", "usa", "american"]), ("CA", .americasOceania, ["canada", "canadian"]), ("MX", .americasOceania, ["mexico", "mexican"]),
        ("BR", .americasOceania, ["brazil", "brazilian"]), ("CO", .americasOceania, ["colombia", "colombian"]), ("VE", .americasOceania, ["venezuela", "venezuelan"]),
        ("JM", .americasOceania, ["jamaica", "jamaican"]), ("TT", .americasOceania, ["trinidad and tobago", "trinidadian"]), ("GY", .americasOceania, ["guyana", "guyanese"]),
        ("EC", .americasOceania, ["ecuador", "ecuadorian"]), ("PE", .americasOceania, ["peru", "peruvian"]), ("AR", .americasOceania, ["argentina", "argentinian", "argentine"]),
        ("CL", .americasOceania, ["chile", "chilean"]), ("BO", .americasOceania, ["bolivia", "bolivian"]), ("HN", .americasOceania, ["honduras", "honduran"]),
        ("SV", .americasOceania, ["el salvador", "salvadoran"]), ("GT", .americasOceania, ["guatemala", "guatemalan"]), ("CU", .americasOceania, ["cuba", "cuban"]),
        ("DO", .americasOceania, ["dominican republic", "dominican"]), ("HT", .americasOceania, ["haiti", "haitian"]), ("AU", .americasOceania, ["australia", "australian"]),
        ("NZ", .americasOceania, ["new zealand", "new zealander"]),
    ]

    static let byCode: [String: NationalityGroup] = Dictionary(countries.map { ($0.code, $0.group) }, uniquingKeysWith: { first, _ in first })
    static let byName: [String: String] = {
        var result: [String: String] = [:]
        for country in countries { for name in country.names where result[name] == nil { result[name] = country.code } }
        return result
    }()
}
