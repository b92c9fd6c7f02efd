import Foundation

/// A person's name split into given names and family name, folded to upper-case ASCII.
public struct PersonName: Sendable, Hashable, Codable {
    public var given: [String]
    public var family: String
    public init(given: [String], family: String) { self.given = given; self.family = family }
    public var isEmpty: Bool { given.isEmpty && family.isEmpty }
}

/// Personal-name normalisation: case, diacritics, transliteration, hyphens, titles,
/// "FAMILY, Given" order, nicknames and common transliteration variants.
public enum NameNormaliser {
    static let titles: Set<String> = ["MR", "MRS", "MS", "MISS", "DR", "MX", "SIR", "PROF", "REV", "MASTER"]
    /// Particles that belong to the following surname word ("Abdel Rahman", "Van Dyke").
    static let joiners: Set<String> = ["ABDEL", "ABDUL", "ABD", "AL", "EL", "BIN", "BEN", "VAN", "VON", "DE", "DA", "DI", "LE", "LA", "MAC", "MC", "ABU", "ST", "GEBRE", "GHEBRE", "WOLDE", "HAILE"]

    /// Fold one name (a given or a family name) to a single comparable token:
    /// "Smith-Jones" → "SMITHJONES", "Abdel Rahman" → "ABDELRAHMAN", "O'Brien" → "OBRIEN".
    public static func token(_ raw: String) -> String {
        let w = TextKit.words(TextKit.fold(raw, keepDigits: false)).filter { !titles.contains(String($0)) }
        return w.joined()
    }

    /// Split a full name. "SMITH, John" is family-first; otherwise the last word is the family name.
    public static func split(fullName raw: String) -> PersonName {
        if let comma = raw.firstIndex(of: ",") {
            let fam = token(String(raw[..<comma]))
            let giv = givenTokens(String(raw[raw.index(after: comma)...]))
            return PersonName(given: giv, family: fam)
        }
        var w = TextKit.words(TextKit.fold(raw, keepDigits: false)).map(String.init).filter { !titles.contains($0) }
        if w.isEmpty { return PersonName(given: [], family: "") }
        if w.count > 12 { w = Array(w.prefix(12)) }
        var famWords = [w.removeLast()]
        while let prev = w.last, joiners.contains(prev), !w.isEmpty { famWords.insert(w.removeLast(), at: 0) }
        return PersonName(given: w, family: famWords.joined())
    }

    /// Given names as separate tokens (first name, then middle names).
    public static func givenTokens(_ raw: String) -> [String] {
        var out = [String]()
        var pending = ""
        for w in TextKit.words(TextKit.fold(raw, keepDigits: false)).prefix(12) {
            let s = String(w)
            if titles.contains(s) { continue }
            if joiners.contains(s) { pending += s; continue }
            out.append(pending + s); pending = ""
        }
        if !pending.isEmpty { out.append(pending) }
        return out
    }

    /// The canonical form of a given name: nickname and transliteration variants map to
    /// one root (BILL → WILLIAM, MOHAMED → MUHAMMAD, LUKASZ → LUKASZ).
    public static func canonicalGiven(_ token: String) -> String {
        variants[token] ?? token
    }

    /// The canonical form of a family name (transliteration variants only).
    public static func canonicalFamily(_ token: String) -> String {
        familyVariants[token] ?? token
    }

    static let variants: [String: String] = {
        var m = [String: String]()
        func add(_ root: String, _ others: [String]) { for o in others { m[o] = root } }
        // English nicknames.
        add("WILLIAM", ["BILL", "BILLY", "WILL", "WILLIE", "WILLY", "LIAM"])
        add("ROBERT", ["BOB", "BOBBY", "ROB", "ROBBIE", "BERT"])
        add("ELIZABETH", ["LIZ", "LIZZIE", "LIZZY", "BETH", "BETTY", "ELIZA", "BETSY", "ELISABETH", "LIBBY"])
        add("RICHARD", ["DICK", "RICK", "RICKY", "RICH", "RICHIE"])
        add("JAMES", ["JIM", "JIMMY", "JAMIE"])
        add("THOMAS", ["TOM", "TOMMY"])
        add("DAVID", ["DAVE", "DAVEY"])
        add("MICHAEL", ["MIKE", "MICK", "MICKEY", "MIKEY"])
        add("CHRISTOPHER", ["CHRIS", "KIT"])
        add("STEPHEN", ["STEVE", "STEVEN", "STEVIE"])
        add("ANTHONY", ["TONY", "ANTONY"])
        add("ANDREW", ["ANDY", "DREW"])
        add("PETER", ["PETE"])
        add("SAMUEL", ["SAM", "SAMMY"])
        add("DANIEL", ["DAN", "DANNY"])
        add("BENJAMIN", ["BEN", "BENNY"])
        add("JOSEPH", ["JOE", "JOEY"])
        add("JOHN", ["JACK", "JOHNNY", "JON"])
        add("JONATHAN", ["JONNY"])
        add("HENRY", ["HARRY", "HAL"])
        add("EDWARD", ["ED", "EDDIE", "TED", "TEDDY", "NED"])
        add("ALEXANDER", ["ALEX", "SANDY", "ALEKSANDER", "ALEKSANDR", "ALEXANDRU"])
        add("KATHERINE", ["KATE", "KATIE", "KATHY", "CATHERINE", "CATHY", "KATHRYN", "KAT", "KATARZYNA", "KASIA", "KATRINA"])
        add("JENNIFER", ["JEN", "JENNY"])
        add("SUSAN", ["SUE", "SUSIE", "SUZANNE"])
        add("MARGARET", ["MAGGIE", "MEG", "PEGGY", "MAGS"])
        add("REBECCA", ["BECKY", "BEX"])
        add("VICTORIA", ["VICKY", "VICKI", "TORI"])
        add("NICHOLAS", ["NICK", "NICKY", "NIC", "MIKOLAJ", "NICOLAE"])
        add("MATTHEW", ["MATT", "MATTY", "MATEUSZ"])
        add("CHARLES", ["CHARLIE", "CHAS", "CHUCK"])
        add("FREDERICK", ["FRED", "FREDDIE", "FREDDY"])
        add("PATRICK", ["PAT", "PADDY"])
        add("PATRICIA", ["TRISH", "PATSY", "PATTY"])
        add("DEBORAH", ["DEBBIE", "DEB", "DEBRA"])
        add("JACQUELINE", ["JACKIE"])
        add("ALEXANDRA", ["ALEKSANDRA", "OLA", "SASHA"])
        add("SAMANTHA", ["SAMMIE"])
        add("GEORGE", ["GEORGIE", "GHEORGHE", "JERZY"])
        add("JOSHUA", ["JOSH"])
        add("ABIGAIL", ["ABBY", "ABBIE"])
        add("GABRIEL", ["GABE"])
        add("NATHAN", ["NATE"])
        add("TIMOTHY", ["TIM", "TIMMY"])
        add("RAYMOND", ["RAY"])
        add("LAWRENCE", ["LARRY", "LAURENCE"])
        add("ELEANOR", ["ELLIE", "NELL", "NELLIE"])
        add("MARY", ["MOLLY", "POLLY", "MARIA", "MARIE"])
        // Polish diminutives.
        add("MALGORZATA", ["GOSIA", "MALGOSIA"])
        add("BARBARA", ["BASIA"])
        add("TOMASZ", ["TOMEK"])
        add("JAKUB", ["KUBA"])
        add("JOANNA", ["ASIA"])
        add("AGNIESZKA", ["AGA"])
        add("WOJCIECH", ["WOJTEK"])
        add("KRZYSZTOF", ["KRZYS"])
        add("PIOTR", ["PIOTREK"])
        add("ANDRZEJ", ["ANDRZEJEK"])
        // Romanian.
        add("IOAN", ["ION", "IONEL", "IONUT", "IOANA"])
        add("VASILE", ["VASILICA"])
        add("CONSTANTIN", ["COSTEL", "COSTI", "COSTICA"])
        add("STEFAN", ["STEFANUT"])
        // Albanian.
        add("GJON", ["GION", "DJON"])
        add("ARDIT", ["ARDITI"])
        add("KASTRIOT", ["KASTRIOTI"])
        add("FATJON", ["FATION"])
        add("ERION", ["ERJON"])
        // Arabic / Sudanese transliterations.
        add("MUHAMMAD", ["MOHAMMED", "MOHAMED", "MOHAMAD", "MOHAMMAD", "MUHAMMED", "MUHAMED", "MOHAMMAED", "MOHD", "MHD", "MOHAMMEDE", "MOHAMEED", "MOUHAMED", "MAHAMAT"])
        add("AHMAD", ["AHMED", "AHMET", "AHMEED", "AHMADU"])
        add("YUSUF", ["YOUSEF", "YOUSSEF", "YUSIF", "YOUSIF", "YOUSUF", "YUSEF", "JUSUF"])
        add("HUSSEIN", ["HUSSAIN", "HUSAIN", "HOSSEIN", "HUSEIN", "HOSEIN", "HUSSIEN"])
        add("HASSAN", ["HASAN", "HASSEN"])
        add("OSMAN", ["OTHMAN", "USMAN", "UTHMAN", "OSMANE"])
        add("IBRAHIM", ["EBRAHIM", "IBRAHEEM", "IBRAHIEM"])
        add("MUSTAFA", ["MOSTAFA", "MUSTAPHA", "MOSTAPHA"])
        add("MAHMOUD", ["MAHMUD", "MAHMOOD", "MEHMUD"])
        add("ABDULRAHMAN", ["ABDELRAHMAN", "ABDURRAHMAN", "ABDALRAHMAN", "ABDULRAHMANE", "ABDULRAHAMAN"])
        add("ABDULLAH", ["ABDALLAH", "ABDELLAH", "ABDULAH"])
        add("OMAR", ["OMER", "UMAR", "OMAAR"])
        add("ALI", ["ALY", "ALIY"])
        add("KHALID", ["KHALED", "HALID"])
        add("SALIH", ["SALEH", "SALAH"])
        add("ADAM", ["ADEM"])
        add("ISMAIL", ["ISMAEL", "ESMAIL"])
        add("FATIMA", ["FATMA", "FATIMAH", "FATOUMA"])
        add("AISHA", ["AYSHA", "AICHA", "AYESHA", "AISHAH"])
        // Eritrean / Tigrinya.
        add("YOHANNES", ["YOHANES", "JOHANNES", "YOHANNIS", "YEHANES"])
        add("TESFAYE", ["TESFAY", "TESFAI", "TESFAYEH"])
        add("HAILE", ["HAYLE", "HAYILE"])
        add("TEKLE", ["TEKLAY", "TECLE", "TEKLEH"])
        add("MEHARI", ["MEHARY", "MIHARI"])
        add("KIDANE", ["KIDANI", "KIDAN"])
        add("SEMERE", ["SEMERA", "SEMRE"])
        add("FILMON", ["FILIMON", "PHILEMON"])
        add("ABRAHAM", ["ABRHAM", "ABREHAM", "ABRAHIM"])
        add("GEBREMARIAM", ["GHEBREMARIAM", "GEBREMARYAM", "GEBREMARIYAM"])
        add("GEBREMEDHIN", ["GHEBREMEDHIN", "GEBREMEDIN"])
        add("TSEGAYE", ["TSEGAY", "TSEGAI"])
        // Vietnamese given names arrive without diacritics after folding; common spellings.
        add("THI", ["TI"])
        add("DUC", ["DUK"])
        add("QUANG", ["KUANG"])
        // Indian.
        add("MOHINDER", ["MOHINDAR", "MAHINDER"])
        add("SUKHWINDER", ["SUKHVINDER"])
        add("LAKSHMI", ["LAXMI"])
        return m
    }()

    static let familyVariants: [String: String] = {
        var m = [String: String]()
        func add(_ root: String, _ others: [String]) { for o in others { m[o] = root } }
        add("HOXHA", ["HODJA", "HOXA", "HODZHA", "HOXHE"])
        add("NGUYEN", ["NGUEN", "NGUYN", "NGYUEN", "WIN", "NGUYENTHI"])
        add("TRAN", ["TRANN"])
        add("MUHAMMAD", ["MOHAMMED", "MOHAMED", "MOHAMAD", "MOHAMMAD", "MUHAMMED"])
        add("AHMAD", ["AHMED"])
        add("HUSSEIN", ["HUSSAIN", "HUSAIN", "HOSSEIN"])
        add("HASSAN", ["HASAN"])
        add("OSMAN", ["OTHMAN", "USMAN"])
        add("IBRAHIM", ["EBRAHIM", "IBRAHEEM"])
        add("ABDULRAHMAN", ["ABDELRAHMAN", "ABDURRAHMAN"])
        add("GEBREMARIAM", ["GHEBREMARIAM", "GEBREMARYAM"])
        add("GEBREMEDHIN", ["GHEBREMEDHIN", "GEBREMEDIN"])
        add("TESFAYE", ["TESFAY", "TESFAI"])
        add("WOJCIK", ["VOYCHIK"])
        add("SZYMANSKI", ["SHIMANSKI"])
        add("KOWALSKI", ["KOVALSKI"])
        add("POPESCU", ["POPESKU"])
        add("CHAUDHRY", ["CHAUDHARY", "CHOUDHURY", "CHOWDHURY", "CHAUDHARI"])
        add("SINGH", ["SING"])
        add("WANG", ["WONG"])
        return m
    }()
}
