import Foundation
import Testing
@testable import Linkage

@Suite("Normalisers")
struct NormaliserTests {
    @Test func namesFoldCaseDiacriticsAndScripts() {
        #expect(NameNormaliser.token("Łukasz") == "LUKASZ")
        #expect(NameNormaliser.token("Nguyễn") == "NGUYEN")
        #expect(NameNormaliser.token("Ștefan") == "STEFAN")
        #expect(NameNormaliser.token("Мария") == "MARIA")
        #expect(NameNormaliser.token("O'Brien") == "OBRIEN")
        #expect(NameNormaliser.token("Smith-Jones") == "SMITHJONES")
        #expect(NameNormaliser.token("  mr   smith ") == "SMITH")
    }

    @Test func fullNamesSplitInEitherOrder() {
        let a = NameNormaliser.split(fullName: "SMITH, John Paul")
        #expect(a.family == "SMITH" && a.given == ["JOHN", "PAUL"])
        let b = NameNormaliser.split(fullName: "Dr John Smith")
        #expect(b.family == "SMITH" && b.given == ["JOHN"])
        let c = NameNormaliser.split(fullName: "Ahmed Abdel Rahman")
        #expect(c.family == "ABDELRAHMAN" && c.given == ["AHMED"])
        #expect(NameNormaliser.split(fullName: "").isEmpty)
    }

    @Test(arguments: [("BILL", "WILLIAM"), ("BOB", "ROBERT"), ("LIZ", "ELIZABETH"), ("BETH", "ELIZABETH"),
                      ("MOHAMED", "MUHAMMAD"), ("MOHAMMED", "MUHAMMAD"), ("YOUSSEF", "YUSUF"), ("YOHANES", "YOHANNES"),
                      ("TESFAY", "TESFAYE"), ("KASIA", "KATHERINE"), ("GOSIA", "MALGORZATA"), ("GION", "GJON"),
                      ("ALICE", "ALICE")])
    func nicknamesAndTransliterationsShareACanonicalForm(_ pair: (String, String)) {
        #expect(NameNormaliser.canonicalGiven(pair.0) == pair.1)
    }

    @Test func familyTransliterations() {
        #expect(NameNormaliser.canonicalFamily("HODJA") == "HOXHA")
        #expect(NameNormaliser.canonicalFamily("GHEBREMARIAM") == "GEBREMARIAM")
    }

    @Test func phoneticKeysMatchSpellingsThatSoundAlike() {
        #expect(Phonetic.key("MOHAMMED") == Phonetic.key("MUHAMAD"))
        #expect(Phonetic.key("GHEBRE") == Phonetic.key("GEBRE"))
        #expect(Phonetic.key("SMITH") != Phonetic.key("JONES"))
        #expect(Phonetic.key("") == "")
    }

    @Test func datesOfBirthInManyShapes() {
        #expect(DateNormaliser.parse("14/03/1990").text == "1990-03-14")
        #expect(DateNormaliser.parse("1990-03-14").text == "1990-03-14")
        #expect(DateNormaliser.parse("14 March 1990").text == "1990-03-14")
        #expect(DateNormaliser.parse("14.03.1990").text == "1990-03-14")
        #expect(DateNormaliser.parse("14/3/90").text == "1990-03-14")
        #expect(DateNormaliser.parse("03/14/1990").text == "1990-03-14")   // US order when the month cannot be 14
        #expect(DateNormaliser.parse("03/1990").text == "1990-03")
        #expect(DateNormaliser.parse("March 1990").text == "1990-03")
        #expect(DateNormaliser.parse("1990").text == "1990")
        #expect(DateNormaliser.parse("19900314").text == "1990-03-14")
        let age = DateNormaliser.parse("age 25-30", referenceYear: 2026)
        #expect(age.isRange && age.year == 1995 && age.yearTo == 2001)
        #expect(DateNormaliser.parse("about 40", referenceYear: 2026).isRange)
        #expect(DateNormaliser.parse("unknown") == .unknown)
        #expect(DateNormaliser.parse("31/02/1990").text == "1990-02")   // impossible day dropped, not invented
        #expect(DateNormaliser.parse("") == .unknown)
    }

    @Test func postcodesValidateAndSplit() throws {
        let p = try #require(PostcodeNormaliser.parse("sw1a1aa"))
        #expect(p.full == "SW1A 1AA" && p.outward == "SW1A" && p.inward == "1AA" && p.sector == "SW1A 1" && p.area == "SW")
        #expect(PostcodeNormaliser.parse(" m1  1ae ")?.full == "M1 1AE")
        #expect(PostcodeNormaliser.parse("B33 8TH")?.district == "B33")
        #expect(PostcodeNormaliser.parse("E1 OAA")?.full == "E1 0AA")   // letter O for zero in the inward code
        #expect(PostcodeNormaliser.parse("12345") == nil)
        #expect(PostcodeNormaliser.parse("HELLO") == nil)
        #expect(PostcodeNormaliser.district("M14") == "M14")
    }

    @Test func phonesToE164() {
        #expect(PhoneNormaliser.e164("07700 900123") == "+447700900123")
        #expect(PhoneNormaliser.e164("+44 (0)7700 900123") == "+447700900123")
        #expect(PhoneNormaliser.e164("0044 7700 900123") == "+447700900123")
        #expect(PhoneNormaliser.e164("(07700) 900-123") == "+447700900123")
        #expect(PhoneNormaliser.e164("7700900123") == "+447700900123")
        #expect(PhoneNormaliser.e164("+33 1 23 45 67 89") == "+33123456789")
        #expect(PhoneNormaliser.e164("0121 496 0000") == "+441214960000")
        #expect(PhoneNormaliser.e164("123") == nil)
    }

    @Test func addressesAgreeAcrossAbbreviationsAndFlatStyles() {
        let a = AddressNormaliser.parse("Flat 2, 12 High St")
        let b = AddressNormaliser.parse("2/12 High Street")
        let c = AddressNormaliser.parse("FLAT 2 12 HIGH STREET, London, E1 6AN", town: "London")
        #expect(a.key == "FLAT 2 12 HIGH STREET")
        #expect(a == b && b == c)
        #expect(AddressNormaliser.parse("12 Station Rd").street == "STATION ROAD")
        #expect(AddressNormaliser.parse("4 St John's Ave").street == "SAINT JOHNS AVENUE")
        #expect(AddressNormaliser.parse("4 Station Rd").building == "4 STATION ROAD")
    }

    @Test func emailsVehiclesUsernamesURLsBusinesses() {
        #expect(EmailNormaliser.normalise(" John.Smith+work@GoogleMail.com ") == "johnsmith@gmail.com")
        #expect(EmailNormaliser.normalise("no-at-sign") == nil)
        #expect(VehicleNormaliser.normalise("ab12 cde") == "AB12CDE")
        #expect(VehicleNormaliser.isUKFormat("AB12CDE") && VehicleNormaliser.isUKFormat("A123BCD") && VehicleNormaliser.isUKFormat("ABC123D"))
        #expect(!VehicleNormaliser.isUKFormat("1234567"))
        #expect(UsernameNormaliser.normalise("@Big_Dave_99") == "big_dave_99")
        #expect(UsernameNormaliser.normalise("https://www.instagram.com/big_dave_99/") == "big_dave_99")
        #expect(URLNormaliser.normalise("HTTPS://WWW.Example.com/Path/?q=1#x") == "example.com/Path")
        #expect(BusinessNormaliser.normalise("Sparkle Hand Car Wash Ltd t/a Sparkle") == "SPARKLE HAND CAR WASH")
        #expect(BusinessNormaliser.normalise("Sparkle Hand Car Wash Limited") == "SPARKLE HAND CAR WASH")
        #expect(BusinessNormaliser.normalise("A & B Nails Ltd") == "A B NAILS")
    }
}

/// Property tests: hand-rolled random inputs with a fixed seed. Normalisers never crash on
/// any input and give the same answer when fed their own output.
@Suite("Normaliser properties")
struct NormaliserPropertyTests {
    static func inputs() -> [String] {
        var rng = SeededRandom(seed: 42)
        let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ,.-/'+@()&#\"\t\n") +
            Array("ÀÉÎÕÜçñßłŁąęśżźđĐễữ") + Array("мариявлдфشمحعዮሐንስ中文字") + ["😀", "👩‍👩‍👧", "\u{0301}", "\u{200B}", "\u{FEFF}"]
        var out = ["", " ", "a", "Z", "1", "@", "😀", "ዮሐንስ", "محمد", "Мария", "李小龍", "Nguyễn Văn Đức",
                   String(repeating: "x", count: 10_000), String(repeating: "😀", count: 3_000),
                   String(repeating: "12/", count: 4_000), "+", "00", "(0)", "flat", "/", "t/a", "1/1/1", "age", "0000000000"]
        for _ in 0..<400 {
            let n = Int(rng.next() % 40)
            out.append(String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        // Realistic values too, from the generator.
        for r in PersonGenerator(seed: 3).rows(count: 200) {
            out += [r.givenName, r.familyName, r.dateOfBirth, r.address, r.postcode, r.phone, r.email]
        }
        return out
    }

    @Test func neverCrashAndIdempotent() {
        for s in Self.inputs() {
            let t = NameNormaliser.token(s)
            #expect(NameNormaliser.token(t) == t, "name token of \(s.prefix(40))")
            let f = TextKit.fold(s)
            #expect(TextKit.fold(f) == f)
            let c = NameNormaliser.canonicalGiven(t)
            #expect(NameNormaliser.canonicalGiven(c) == c)
            _ = NameNormaliser.split(fullName: s)
            _ = Phonetic.key(f)
            let d = DateNormaliser.parse(s)
            #expect(DateNormaliser.parse(d.text) == d, "date \(s.prefix(40)) → \(d.text)")
            if let p = PostcodeNormaliser.parse(s) { #expect(PostcodeNormaliser.parse(p.full) == p) }
            _ = PostcodeNormaliser.district(s)
            if let e = PhoneNormaliser.e164(s) { #expect(PhoneNormaliser.e164(e) == e, "phone \(s.prefix(40))") }
            let a = AddressNormaliser.parse(s)
            #expect(AddressNormaliser.parse(a.key).key == a.key, "address \(s.prefix(40)) → \(a.key)")
            if let e = EmailNormaliser.normalise(s) { #expect(EmailNormaliser.normalise(e) == e) }
            if let v = VehicleNormaliser.normalise(s) { #expect(VehicleNormaliser.normalise(v) == v); _ = VehicleNormaliser.isUKFormat(v) }
            if let u = UsernameNormaliser.normalise(s) { #expect(UsernameNormaliser.normalise(u) == u) }
            if let u = URLNormaliser.normalise(s) { #expect(URLNormaliser.normalise(u) == u) }
            if let b = BusinessNormaliser.normalise(s) { #expect(BusinessNormaliser.normalise(b) == b) }
            _ = NormalisedRecord(RawRecord(id: "x", values: Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0, s) })))
        }
    }
}
