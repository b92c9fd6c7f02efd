import Foundation

/// A deterministic generator of UK-style person records with known true identities, for
/// benchmarking and tests. The same seed always gives the same file.
///
/// It reproduces what makes UK anti-slavery data hard: typos and transpositions, swapped
/// given/family names, nicknames and transliteration variants, missing and partial dates of
/// birth, postcode and phone formatting noise, people who move, families and unrelated people
/// sharing a house (HMOs), and one controller's phone written against several victims.
public struct PersonGenerator: Sendable {
    public struct Row: Sendable, Hashable {
        public var recordID: String, trueID: String
        public var givenName: String, familyName: String, dateOfBirth: String
        public var address: String, town: String, postcode: String, phone: String, email: String
    }

    public static let header = ["record_id", "true_id", "given_name", "family_name", "date_of_birth", "address", "town",
                                "postcode", "phone", "email"]

    public var seed: UInt64
    public init(seed: UInt64) { self.seed = seed }

    struct Home { var number: Int; var flat: Int; var street: String; var type: Int; var town: Int; var postcode: String }
    struct Person {
        var nat: Int, male: Bool, given: String, middle: String, family: String
        var year: Int, month: Int, day: Int
        var home: Home, phone: String, email: String
    }

    /// Generate about `count` records (exactly `count`).
    public func rows(count: Int) -> [Row] {
        var rng = SeededRandom(seed: seed)
        let natWeights = NamePools.nationalities.map(\.weight)
        let natTotal = natWeights.reduce(0, +)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func chance(_ p: Double) -> Bool { Double(rng.next() >> 11) * 0x1p-53 < p }
        func int(_ lo: Int, _ hi: Int) -> Int { lo + Int(rng.next() % UInt64(hi - lo + 1)) }
        func nationality() -> Int {
            var r = int(0, natTotal - 1)
            for (i, w) in natWeights.enumerated() { if r < w { return i }; r -= w }
            return 0
        }
        let letters = Array("ABDEFGHJLNPQRSTUWXYZ")
        func newHome() -> Home {
            let t = int(0, NamePools.towns.count - 1)
            let street = pick(NamePools.streets)
            let type = int(0, NamePools.streetTypes.count - 1)
            let outward = pick(NamePools.towns[t].outward)
            // Postcode fixed by street and number band, as in real unit postcodes.
            var h = TextKit.hash("\(outward)|\(street)|\(type)")
            let number = int(1, 240)
            h = TextKit.combine(h, UInt64(number / 20))
            let pc = "\(outward) \(h % 9 + 1)\(letters[Int((h >> 8) % 20)])\(letters[Int((h >> 16) % 20)])"
            return Home(number: number, flat: chance(0.25) ? int(1, 12) : 0, street: street, type: type, town: t, postcode: pc)
        }
        func newPhone() -> String { "07" + String(format: "%09d", int(100_000_000, 999_999_999)) }
        func newPerson(nat: Int, family: String? = nil, home: Home? = nil, phone: String? = nil, yearNear: Int? = nil) -> Person {
            let n = NamePools.nationalities[nat]
            let male = chance(0.6)
            var given = pick(male ? n.male : n.female)
            if chance(0.5) { given = NamePools.tailGiven(n.name, given, rng.next()) }
            let middle = chance(0.1) ? pick(male ? n.male : n.female) : ""
            var fam = family ?? pick(n.family)
            if family == nil, chance(0.5), let tail = NamePools.tailFamily(n.name, rng.next()) { fam = tail }
            let year = yearNear.map { int($0 - 6, $0 + 6) } ?? int(1958, 2007)
            let h = home ?? newHome()
            let email = chance(0.4) ? TextKit.fold(given + "." + fam).lowercased().replacingOccurrences(of: " ", with: "")
                + (chance(0.5) ? String(int(1, 99)) : "") + pick(["@gmail.com", "@hotmail.co.uk", "@yahoo.com", "@outlook.com"]) : ""
            return Person(nat: nat, male: male, given: given, middle: middle, family: fam, year: year, month: int(1, 12),
                          day: int(1, 28), home: h, phone: phone ?? (chance(0.75) ? newPhone() : ""), email: email)
        }

        // People first: singles, families sharing a home and surname, HMOs of unrelated
        // people, and controllers' phones shared across several people.
        var people = [Person]()
        var sizes = [Int]()
        var usedEmails = Set<String>()
        var planned = 0
        while planned < count {
            let roll = Double(rng.next() >> 11) * 0x1p-53
            var group = [Person]()
            if roll < 0.62 {
                group.append(newPerson(nat: nationality()))
            } else if roll < 0.80 {
                // A family: same surname and home, nearby birth years.
                let nat = nationality()
                let first = newPerson(nat: nat)
                group.append(first)
                for _ in 0..<int(1, 3) {
                    group.append(newPerson(nat: nat, family: first.family, home: first.home, phone: chance(0.4) ? first.phone : nil, yearNear: first.year))
                }
            } else {
                // An HMO: 4-10 unrelated people at one address; often one controller phone for most.
                let home = newHome()
                let controller = chance(0.6) ? newPhone() : nil
                let nat = nationality()
                for _ in 0..<int(4, 10) {
                    var h = home
                    h.flat = chance(0.3) ? int(1, 6) : 0
                    let sameNat = chance(0.6)
                    group.append(newPerson(nat: sameNat ? nat : nationality(), home: h,
                                           phone: controller != nil && chance(0.7) ? controller : nil))
                }
            }
            for p in group {
                // Records per person: most appear once or twice, some many times.
                let r = Double(rng.next() >> 11) * 0x1p-53
                let k = r < 0.45 ? 1 : r < 0.70 ? 2 : r < 0.85 ? 3 : r < 0.93 ? 4 : int(5, 8)
                // A mailbox belongs to one person: a name-based address already taken gets digits.
                var person = p
                if !person.email.isEmpty {
                    while usedEmails.contains(person.email) {
                        let at = person.email.firstIndex(of: "@")!
                        person.email = String(person.email[..<at]) + String(int(0, 9)) + String(person.email[at...])
                    }
                    usedEmails.insert(person.email)
                }
                people.append(person); sizes.append(k); planned += k
            }
        }

        var rows = [Row]()
        rows.reserveCapacity(planned)
        for (pid, p) in people.enumerated() {
            for _ in 0..<sizes[pid] {
                let moved = newHome()
                rows.append(record(p, trueID: pid, rng: &rng, movedHome: moved))
            }
        }
        // Shuffle so duplicates are not adjacent, then cut to the exact count.
        for i in stride(from: rows.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            rows.swapAt(i, j)
        }
        if rows.count > count { rows.removeLast(rows.count - count) }
        for i in rows.indices { rows[i].recordID = "r\(i + 1)" }
        return rows
    }

    func record(_ p: Person, trueID: Int, rng: inout SeededRandom, movedHome: Home) -> Row {
        func chance(_ x: Double) -> Bool { Double(rng.next() >> 11) * 0x1p-53 < x }
        func int(_ lo: Int, _ hi: Int) -> Int { lo + Int(rng.next() % UInt64(hi - lo + 1)) }
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func typo(_ s: String) -> String {
            var c = Array(s)
            guard c.count >= 3 else { return s }
            let i = int(1, c.count - 2)
            switch int(0, 3) {
            case 0: c.swapAt(i, i + 1)                                  // transposition
            case 1: c.remove(at: i)                                       // deletion
            case 2: c.insert(c[i], at: i)                                 // doubled letter
            default: c[i] = pick(Array("aeioulnrstmhk"))                  // substitution
            }
            return String(c)
        }
        func variant(_ s: String) -> String { NamePools.variants[s].map { pick($0) } ?? s }
        let nat = NamePools.nationalities[p.nat]

        var given = p.given, family = p.family
        if chance(0.18) { given = variant(given) }
        if chance(0.10) { family = variant(family) }
        if chance(0.10) { given = typo(given) }
        if chance(0.08) { family = typo(family) }
        if !p.middle.isEmpty && chance(0.5) { given += " " + p.middle }
        if chance(0.03) { given = String(given.prefix(1)) }
        if chance(0.15) { given = given.uppercased(); family = family.uppercased() } else if chance(0.1) { given = given.lowercased() }
        if chance(nat.swapRate) { swap(&given, &family) }
        if chance(0.03) { given = "" }
        if chance(0.03) { family = "" }

        // Date of birth in many shapes, often partial or missing.
        var dob = ""
        var y = p.year, m = p.month, d = p.day
        if chance(0.04) { swap(&m, &d) }
        if chance(0.04) { y += pick([-1, 1, -10, 10]) }
        if chance(0.04) { d = min(28, max(1, d + pick([-1, 1]))) }
        let r = Double(rng.next() >> 11) * 0x1p-53
        if r < 0.20 { dob = "" }
        else if r < 0.27 { dob = "\(y)" }
        else if r < 0.32 { dob = String(format: "%02d/%d", m, y) }
        else if r < 0.35 { let age = 2026 - p.year; dob = "age \(age - int(1, 3))-\(age + int(1, 3))" }
        else {
            switch int(0, 4) {
            case 0: dob = String(format: "%02d/%02d/%d", d, m, y)
            case 1: dob = String(format: "%d-%02d-%02d", y, m, d)
            case 2 where m <= 12: dob = "\(d) \(["January","February","March","April","May","June","July","August","September","October","November","December"][m - 1]) \(y)"
            case 3: dob = String(format: "%d/%d/%02d", d, m, y % 100)
            default: dob = String(format: "%02d.%02d.%d", d, m, y)
            }
        }

        // Home: sometimes moved, sometimes abbreviated, flat written in several ways.
        var home = p.home
        if chance(0.12) { home = movedHome }
        let st = NamePools.streetTypes[home.type]
        var street = "\(home.street) \(chance(0.4) ? st.short : st.full)"
        if chance(0.05) { street = typo(street) }
        var address = "\(home.number) \(street)"
        if home.flat > 0 {
            address = pick(["Flat \(home.flat), \(address)", "\(home.flat)/\(home.number) \(street)", "Flat \(home.flat) \(address)"])
        }
        if chance(0.15) { address = address.uppercased() }
        if chance(0.15) { address = "" }
        let town = chance(0.8) ? NamePools.towns[home.town].name : ""
        var postcode = home.postcode
        if chance(0.3) { postcode = postcode.replacingOccurrences(of: " ", with: "") }
        if chance(0.2) { postcode = postcode.lowercased() }
        if chance(0.02) { postcode = typo(postcode) }
        if chance(0.12) { postcode = "" }

        var phone = p.phone
        if !phone.isEmpty {
            let digits = String(phone.dropFirst())
            switch int(0, 4) {
            case 0: phone = "+44 " + digits.prefix(4) + " " + digits.dropFirst(4)
            case 1: phone = "0" + digits.prefix(4) + " " + digits.dropFirst(4)
            case 2: phone = "0044" + digits
            case 3: phone = "(0" + digits.prefix(4) + ") " + digits.dropFirst(4).prefix(3) + "-" + digits.dropFirst(7)
            default: break
            }
            if chance(0.3) { phone = "" }
        } else if chance(0.05) {
            phone = "07" + String(format: "%09d", int(100_000_000, 999_999_999))  // a one-off number
        }
        var email = p.email
        if chance(0.5) { email = "" } else if chance(0.2) { email = email.uppercased() }

        return Row(recordID: "", trueID: "p\(trueID)", givenName: given, familyName: family, dateOfBirth: dob,
                   address: address, town: town, postcode: postcode, phone: phone, email: email)
    }

    /// The rows as CSV text with the standard header.
    public static func csv(_ rows: [Row]) -> String {
        CSV.write(header: header, rows: rows.lazy.map { r in
            [r.recordID, r.trueID, r.givenName, r.familyName, r.dateOfBirth, r.address, r.town, r.postcode, r.phone, r.email]
        })
    }
}
