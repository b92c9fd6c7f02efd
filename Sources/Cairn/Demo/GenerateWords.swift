import CairnCore
import Foundation

/// The words a generated data set is made of. Everything is invented: the county (Westmere and
/// Harlow Vale, as in the demo), its postcode areas WM and HV (no such areas exist in the UK),
/// street, business and family names that are made-up words, phone numbers only from Ofcom's
/// ranges reserved for drama (never assigned to anyone), and vehicle registrations starting
/// with Z, which Great Britain does not issue. Every narrative starts with "Fictional:".
enum GenerateWords {
    /// Postcode districts and how many of the county's reports each sees (city centre and the
    /// industrial estates most).
    static let districts: [(String, Double)] = [
        ("WM1", 14), ("WM2", 11), ("WM3", 7), ("WM4", 13), ("WM5", 6), ("WM6", 8), ("WM7", 4), ("WM8", 3), ("WM9", 2),
        ("HV1", 9), ("HV2", 10), ("HV3", 5), ("HV4", 3),
    ]

    /// Letters a postcode's inward code may end with.
    static let inwardLetters = Array("ABDEFGHJLNPQRSTUWXYZ")

    static func postcode(in district: String, random: inout GenerateRandom) -> String {
        let a = random.pick(inwardLetters) ?? "A", b = random.pick(inwardLetters) ?? "B"
        return "\(district) \(random.int(1...9))\(a)\(b)"
    }

    static let streets = [
        "Brackenwold Lane", "Quarrender Street", "Thistlewick Road", "Marrowdale Avenue", "Fennish Close", "Oddbury Way",
        "Calverstone Road", "Wickhollow Lane", "Droverby Street", "Penthwaite Road", "Mallowmere Drive", "Cobblestaith Lane",
        "Harrowbeck Road", "Tansywick Street", "Yarrowgate", "Ebbersley Road", "Kestlemoor Way", "Glimmerdale Close",
        "Sorrowby Lane", "Wrenthorpe Parade", "Ashwinder Road", "Blisterwood Lane", "Crumbleford Street", "Dunmarrow Road",
    ]

    static let places = [
        "the car wash on", "the nail bar on", "a takeaway on", "a house on", "a flat above the shops on", "the farm track off",
        "a warehouse on", "the hotel on", "the bus stop on", "a terrace on", "the industrial units off", "the park by",
    ]

    /// Given names (common across the nationalities below; a given name alone names nobody).
    static let givenNames = [
        "Adam", "Agnieszka", "Alin", "Amira", "Anh", "Ardit", "Bao", "Besa", "Daniel", "Dawit", "Elena", "Eljon", "Fatima", "Hana",
        "Ioana", "Jakub", "Jamal", "Kasia", "Lan", "Lucas", "Mateusz", "Mihai", "Mira", "Nam", "Nadia", "Omar", "Petra", "Rahel",
        "Sami", "Sara", "Tomas", "Tuan", "Vlad", "Yonas", "Zofia", "Ziad",
    ]

    /// Invented family names: made-up words, so no generated person is anyone.
    static let familyNames = [
        "Quexwick", "Zorblatt", "Vrammelton", "Glimberwhistle", "Throckmuddle", "Plonkington", "Wibbleston", "Fizzlewade",
        "Bumblethorne", "Snickerdale", "Murkwhistle", "Tazzleford", "Quibbleton", "Zanderwhump", "Flummoxby", "Jibberworth",
        "Krumpleton", "Noodlestone", "Pifflebury", "Rumbleweed", "Splodgeworth", "Twaddlecombe", "Uzzlethwaite", "Wobblesworth",
        "Yammerfield", "Dithermoor", "Gubbinsworth", "Hinklepott", "Oozlebank", "Quaffleton",
    ]

    typealias Nationality = (name: String, code: String, language: String, interpreter: Double, weight: Double)

    /// Nationality, ISO code, language spoken, and how often a survivor needs an interpreter.
    static let nationalities: [Nationality] = [
        ("British", "GB", "English", 0, 30), ("Romanian", "RO", "Romanian", 0.7, 10), ("Albanian", "AL", "Albanian", 0.8, 12),
        ("Vietnamese", "VN", "Vietnamese", 0.9, 10), ("Polish", "PL", "Polish", 0.6, 6), ("Eritrean", "ER", "Tigrinya", 0.95, 6),
        ("Sudanese", "SD", "Arabic", 0.9, 6), ("Chinese", "CN", "Mandarin", 0.9, 5), ("Lithuanian", "LT", "Lithuanian", 0.6, 4),
        ("Nigerian", "NG", "English", 0, 5), ("Indian", "IN", "Hindi", 0.5, 6),
    ]

    static func personName(_ random: inout GenerateRandom) -> String {
        let given = random.pick(givenNames) ?? "Sam", family = random.pick(familyNames) ?? "Quexwick"
        // An initial widens the pool, so unconnected people rarely share a whole name.
        let initial = random.chance(0.6) ? " \(random.pick(Array("ABCDEFGHJKLMNPRSTVW")) ?? "A")." : ""
        return "\(given)\(initial) \(family)"
    }

    /// Ofcom's numbers for drama: 1,000 in each range, assigned to nobody.
    static let phoneRanges = [
        "07700 900", "0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0", "0118 496 0", "0121 496 0",
        "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0", "0191 498 0", "020 7946 0", "029 2018 0", "028 9649 6",
        "0306 999 0", "01632 960",
    ]

    /// The `n`th drama number, counting through the ranges (wrapping after 18,000).
    static func phone(_ n: Int) -> String {
        let number = n % (phoneRanges.count * 1000)
        let range = phoneRanges[number / 1000]
        let last = String(number % 1000)
        return range + String(repeating: "0", count: 3 - last.count) + last
    }

    /// `ZA12 BCD`: Great Britain does not issue registrations starting with Z.
    static func vehicle(_ random: inout GenerateRandom) -> String {
        let letters = Array("ABCDEFGHJKLMNPRSTUVWXY")
        func letter() -> Character { random.pick(letters) ?? "A" }
        return "Z\(letter())\(random.int(10...79)) \(letter())\(letter())\(letter())"
    }

    static let businessKinds = ["Hand Car Wash Ltd", "Nails and Beauty", "Fresh Produce Ltd", "Staffing Solutions Ltd", "Guest House",
                                "Takeaway", "Cleaning Services Ltd", "Logistics Ltd", "Care Agency Ltd", "Building Services"]

    static let brandSyllables = ["bram", "cor", "dun", "fel", "gar", "hol", "kes", "lor", "mar", "nor", "pel", "quin", "ros", "sel", "tor", "wen"]

    /// The `n`th business: an invented brand (three syllables) and a kind of business, different
    /// for each `n` up to 40,960, so unconnected networks do not share one.
    static func business(_ n: Int) -> String {
        let s = brandSyllables, k = businessKinds
        let b = n / k.count
        let brand = s[b % 16] + s[(b / 16) % 16] + s[(b / 256) % 16]
        return brand.prefix(1).uppercased() + brand.dropFirst() + " " + k[n % k.count]
    }

    /// What reporters wrote, by type of exploitation (a second sentence is added at random).
    static let narratives: [ExploitationType: [String]] = [
        .labour: [
            "Workers at the car wash say their wages go to the man who drives them there each morning.",
            "Pickers on a farm sleep in a barn and say they owe the gangmaster for their travel.",
            "Kitchen staff at a takeaway sleep on the premises and never seem to have a day off.",
            "A cleaner says her employer keeps her passport and pays her in cash once a month, if at all.",
            "Men are collected from a house at 5am by a minibus and brought back after dark.",
            "Warehouse agency workers say a man takes half their pay for a bed in a shared room.",
        ],
        .sexual: [
            "Young women are driven to a flat above the shops late at night and collected in the morning.",
            "A massage parlour's staff never leave the building and men visit at all hours.",
            "Hotel staff saw a woman brought to a room by a man who paid cash and spoke for her.",
            "An online advert for the address changes the names of the women every few days.",
        ],
        .criminal: [
            "Teenagers from out of the area are seen at a flat where people come and go all day.",
            "A young man found with drugs and a train ticket far from home said older men sent him.",
            "A man was found tending cannabis plants in a locked house and said he could not leave.",
            "A vulnerable resident's flat is being used by strangers who arrived a month ago.",
            "Children are seen being dropped at the station on school days by men in a car.",
        ],
        .domesticServitude: [
            "A neighbour says a woman next door cleans all day, never goes out and has no phone.",
            "A young woman living with a family looks after the children day and night and is not paid.",
        ],
        .organHarvesting: [
            "A man says he was promised money and travel for a medical operation abroad by an acquaintance.",
        ],
        .notKnown: [
            "Something is not right at the address: people arrive in vans and the curtains are always closed.",
            "A man at the bus station asked for help and said he is scared to go back to where he stays.",
            "A group of workers seem frightened and let one man speak for all of them.",
        ],
    ]

    static let addenda = [
        "They looked tired and thin.", "Nobody seems to speak English except the man in charge.", "This has gone on for weeks.",
        "A grey van is parked outside most nights.", "They were told not to talk to anyone.", "The reporter is worried for their safety.",
    ]

    static func narrative(_ type: ExploitationType, _ random: inout GenerateRandom) -> String {
        let first = random.pick(narratives[type] ?? []) ?? "Something is not right at the address."
        let second = random.chance(0.5) ? " " + (random.pick(addenda) ?? "") : ""
        return "Fictional: " + first + second
    }

    static let survivorAccounts: [ExploitationType: String] = [
        .labour: "Fictional account: came for work promised by an acquaintance, was housed with others and paid little or nothing.",
        .sexual: "Fictional account: recruited online for hotel work, then held in a flat and sexually exploited.",
        .criminal: "Fictional account: made to carry and sell drugs in another town to pay off a debt that kept growing.",
        .domesticServitude: "Fictional account: lived with a family, worked all day in the house and was not allowed out alone.",
        .organHarvesting: "Fictional account: promised money for an operation abroad; left when travel was arranged.",
        .notKnown: "Fictional account: the survivor has not yet said how they came to be exploited.",
    ]
}
