import Foundation

/// The kinds of value a record can carry, named as in `--map FIELD=COLUMN`.
public enum Field: String, CaseIterable, Sendable, Codable {
    case givenName = "given_name", familyName = "family_name", fullName = "full_name"
    case dateOfBirth = "date_of_birth", address, town, postcode, phone, email
    case vehicle, business, username
}

/// One input record before normalisation: an id and raw text per field.
public struct RawRecord: Sendable, Hashable {
    public var id: String
    public var values: [Field: String]
    /// The source document the record was taken from (a report naming several people), or
    /// nil. Records of one group are different people: they never share a cluster.
    public var group: String?
    /// True when the contact details (address, postcode, phone, email, username, vehicle,
    /// business) were recorded for the whole group rather than for this person: a report's
    /// phone may be the victim's, the controller's or the reporter's. Such details only add
    /// weight when the names at least partly agree (see `Scorer.termWeights`).
    public var contactFromGroup: Bool
    public init(id: String, values: [Field: String], group: String? = nil, contactFromGroup: Bool = false) {
        self.id = id; self.values = values; self.group = group; self.contactFromGroup = contactFromGroup
    }
}

/// A record after normalisation: what the engine compares. Codable so the UI and API can
/// show "what we understood" next to an explanation.
public struct NormalisedRecord: Sendable, Hashable, Codable {
    public var id: String
    public var name: PersonName
    public var dateOfBirth: PartialDate
    public var postcode: Postcode?
    /// The district when only a partial postcode was given.
    public var district: String?
    public var address: AddressKey?
    public var town: String?
    public var phone: String?
    public var email: String?
    public var vehicle: String?
    public var business: String?
    public var username: String?
    /// See `RawRecord.group`.
    public var group: String?
    /// See `RawRecord.contactFromGroup` (nil: false, so records stored before it decode).
    public var contactFromGroup: Bool?

    public init(_ raw: RawRecord, referenceYear: Int = 2026) {
        id = raw.id
        group = raw.group
        contactFromGroup = raw.contactFromGroup ? true : nil
        var name = PersonName(given: [], family: "")
        if let full = raw.values[.fullName], !full.isEmpty { name = NameNormaliser.split(fullName: full) }
        if let g = raw.values[.givenName], !g.isEmpty { name.given = NameNormaliser.givenTokens(g) }
        if let f = raw.values[.familyName], !f.isEmpty { name.family = NameNormaliser.token(f) }
        self.name = name
        dateOfBirth = raw.values[.dateOfBirth].map { DateNormaliser.parse($0, referenceYear: referenceYear) } ?? .unknown
        postcode = raw.values[.postcode].flatMap(PostcodeNormaliser.parse)
        district = postcode?.district ?? raw.values[.postcode].flatMap(PostcodeNormaliser.district)
        let townText = raw.values[.town] ?? ""
        if let a = raw.values[.address], !a.isEmpty {
            let key = AddressNormaliser.parse(a, town: townText)
            address = key.key.isEmpty ? nil : key
            // An address line that ends in a postcode fills a missing postcode column.
            if postcode == nil {
                let w = TextKit.words(TextKit.fold(a))
                if w.count >= 2, let p = PostcodeNormaliser.parse(w.suffix(2).joined()) { postcode = p; district = p.district }
            }
        }
        let t = TextKit.fold(townText)
        town = t.isEmpty ? nil : t
        phone = raw.values[.phone].flatMap { PhoneNormaliser.e164($0) }
        email = raw.values[.email].flatMap(EmailNormaliser.normalise)
        vehicle = raw.values[.vehicle].flatMap(VehicleNormaliser.normalise)
        business = raw.values[.business].flatMap(BusinessNormaliser.normalise)
        username = raw.values[.username].flatMap(UsernameNormaliser.normalise)
    }
}

/// Interns strings to dense ids and counts how many records hold each value
/// (the counts drive term-frequency adjustment).
struct StringPool: Sendable {
    var ids: [String: Int32] = [:]
    var bytes: [[UInt8]] = []
    var count: [Int32] = []

    mutating func intern(_ s: String) -> Int32 {
        if let id = ids[s] { return id }
        let id = Int32(bytes.count)
        ids[s] = id
        bytes.append(Array(s.utf8))
        count.append(0)
        return id
    }
    func lookup(_ s: String) -> Int32? { ids[s] }
    var size: Int { bytes.count }
}

/// Like StringPool but keeps only a 64-bit hash: for values compared exactly (phones,
/// postcodes, addresses, emails) this saves most of the memory at a million records.
struct HashPool: Sendable {
    var ids: [UInt64: Int32] = [:]
    var count: [Int32] = []
    /// How many different families hold the value (capped at 3): a value held by three or
    /// more families is "shared" (an HMO, a controller's phone) and is weak evidence.
    var families: [UInt8] = []
    var firstFamily: [UInt32] = []
    var moreFamilies: [Int32: [UInt32]] = [:]

    mutating func intern(_ s: String) -> Int32 { intern(hash: TextKit.hash(s)) }
    mutating func intern(hash h: UInt64) -> Int32 {
        if let id = ids[h] { return id }
        let id = Int32(count.count)
        ids[h] = id
        count.append(0); families.append(0); firstFamily.append(0)
        return id
    }
    func lookup(_ s: String) -> Int32? { ids[TextKit.hash(s)] }

    mutating func noteHolder(_ id: Int32, family: UInt32) {
        let i = Int(id)
        count[i] += 1
        guard family != 0, families[i] < 3 else { return }
        if families[i] == 0 { firstFamily[i] = family; families[i] = 1; return }
        if firstFamily[i] == family { return }
        var more = moreFamilies[id] ?? []
        if more.contains(family) { return }
        more.append(family)
        families[i] = UInt8(1 + more.count)
        moreFamilies[id] = families[i] >= 3 ? nil : more
    }
    func isShared(_ id: Int32) -> Bool { families[Int(id)] >= 3 }
}
