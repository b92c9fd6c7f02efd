import Foundation

/// All records in compact column form: small integer ids into pools instead of strings,
/// so a million records fit comfortably in memory and comparisons are mostly integer tests.
public struct RecordStore: Sendable {
    public private(set) var ids: [String] = []
    var idIndex: [String: Int32] = [:]

    var names = StringPool()
    /// Per name-pool entry: its canonical (nickname/transliteration root) entry and phonetic hash.
    var canonical: [Int32] = []
    var phonetic: [UInt32] = []
    var givenCount: [Int32] = []
    var familyCount: [Int32] = []
    var givenRecords = 0, familyRecords = 0

    var given: [Int32] = []
    var given2: [Int32] = []
    var family: [Int32] = []
    var dobYear: [Int16] = []
    var dobYearTo: [Int16] = []
    var dobMonth: [UInt8] = []
    var dobDay: [UInt8] = []

    /// Full names (canonical given + family, order-free) and how many records hold each.
    var fullNames = HashPool()
    var fullName: [Int32] = []
    var postcodes = HashPool(), districts = HashPool(), addresses = HashPool(), towns = HashPool()
    var phones = HashPool(), emails = HashPool(), emailLocals = HashPool()
    var others = StringPool() // vehicles, businesses, usernames (rare; compared by edit distance)
    var postcode: [Int32] = [], district: [Int32] = [], address: [Int32] = [], town: [Int32] = []
    var phone: [Int32] = [], email: [Int32] = [], emailLocal: [Int32] = []
    var vehicle: [Int32] = [], business: [Int32] = [], username: [Int32] = []
    var postcodeRecords = 0, addressRecords = 0, phoneRecords = 0, emailRecords = 0
    /// Each record's group (-1 for none; see `RawRecord.group`) and whether its contact
    /// details are the group's rather than its own.
    var group: [Int32] = []
    var groupIDs: [String: Int32] = [:]
    var contactFromGroup: [Bool] = []

    public init() {}

    public var count: Int { ids.count }

    /// Room for `n` records in every column, so adding records one at a time never pauses
    /// to copy a million-element array.
    public mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n); idIndex.reserveCapacity(n)
        given.reserveCapacity(n); given2.reserveCapacity(n); family.reserveCapacity(n); fullName.reserveCapacity(n)
        dobYear.reserveCapacity(n); dobYearTo.reserveCapacity(n); dobMonth.reserveCapacity(n); dobDay.reserveCapacity(n)
        postcode.reserveCapacity(n); district.reserveCapacity(n); address.reserveCapacity(n); town.reserveCapacity(n)
        phone.reserveCapacity(n); email.reserveCapacity(n); emailLocal.reserveCapacity(n)
        vehicle.reserveCapacity(n); business.reserveCapacity(n); username.reserveCapacity(n)
        group.reserveCapacity(n); contactFromGroup.reserveCapacity(n)
    }

    public func index(of id: String) -> Int? { idIndex[id].map(Int.init) }

    mutating func internName(_ s: String) -> Int32 {
        let before = names.size
        let id = names.intern(s)
        if names.size > before {
            let canon = s.isEmpty ? s : NameNormaliser.canonicalGiven(s)
            phonetic.append(UInt32(truncatingIfNeeded: TextKit.hash(Phonetic.key(s))) | 1)
            givenCount.append(0); familyCount.append(0)
            canonical.append(id)
            if canon != s {
                let c = internName(canon)
                canonical[Int(id)] = c
            }
        }
        return id
    }

    /// Append one normalised record; returns its index.
    @discardableResult
    public mutating func append(_ r: NormalisedRecord) -> Int {
        let idx = ids.count
        ids.append(r.id)
        if idIndex[r.id] == nil { idIndex[r.id] = Int32(idx) }
        let g = r.name.given.first.map { internName($0) } ?? -1
        let g2 = r.name.given.count > 1 ? internName(r.name.given[1]) : -1
        let famCanon = r.name.family.isEmpty ? "" : NameNormaliser.canonicalFamily(r.name.family)
        let f = famCanon.isEmpty ? -1 : internName(famCanon)
        if g >= 0 { givenCount[Int(g)] += 1; givenRecords += 1 }
        if f >= 0 { familyCount[Int(f)] += 1; familyRecords += 1 }
        given.append(g); given2.append(g2); family.append(f)
        if g >= 0 && f >= 0 {
            let a = UInt64(UInt32(canonical[Int(g)])), b = UInt64(UInt32(f))
            let id = fullNames.intern(hash: TextKit.mix(min(a, b) << 32 | max(a, b)))
            fullNames.count[Int(id)] += 1
            fullName.append(id)
        } else { fullName.append(-1) }
        dobYear.append(r.dateOfBirth.year); dobYearTo.append(r.dateOfBirth.yearTo)
        dobMonth.append(r.dateOfBirth.month); dobDay.append(r.dateOfBirth.day)
        // Who holds a contact value: the order-free pair of name sounds, so one person's
        // records (even with names swapped) count once and housemates count separately.
        var fam: UInt32 = 0
        if f >= 0 || g >= 0 {
            let a = UInt64(g >= 0 ? phonetic[Int(canonical[Int(g)])] : 0), b = UInt64(f >= 0 ? phonetic[Int(f)] : 0)
            fam = UInt32(truncatingIfNeeded: TextKit.mix(min(a, b) << 32 | max(a, b))) | 1
        }
        func put(_ pool: inout HashPool, _ value: String?, _ counter: inout Int) -> Int32 {
            guard let v = value, !v.isEmpty else { return -1 }
            let id = pool.intern(v)
            pool.noteHolder(id, family: fam)
            counter += 1
            return id
        }
        var none = 0
        postcode.append(put(&postcodes, r.postcode?.full, &postcodeRecords))
        district.append(put(&districts, r.district, &none))
        // An address is only identifying together with where it is: key it by postcode
        // (or district or town) so "12 HIGH STREET" in two towns stays two places.
        let place = r.postcode?.full ?? r.district ?? r.town ?? ""
        address.append(put(&addresses, r.address.map { $0.key + "|" + place }, &addressRecords))
        town.append(put(&towns, r.town, &none))
        phone.append(put(&phones, r.phone, &phoneRecords))
        email.append(put(&emails, r.email, &emailRecords))
        emailLocal.append(put(&emailLocals, r.email.map { String($0.prefix { $0 != "@" }) }, &none))
        func other(_ prefix: String, _ v: String?) -> Int32 {
            guard let v else { return -1 }
            let id = others.intern(prefix + v)
            others.count[Int(id)] += 1
            return id
        }
        vehicle.append(other("V:", r.vehicle)); business.append(other("B:", r.business)); username.append(other("U:", r.username))
        if let g = r.group {
            let id = groupIDs[g] ?? Int32(groupIDs.count)
            groupIDs[g] = id
            group.append(id)
        } else {
            group.append(-1)
        }
        contactFromGroup.append(r.contactFromGroup == true)
        return idx
    }
}
