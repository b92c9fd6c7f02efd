// Name pools for the synthetic generator: common names among the UK's resident and
// trafficking-victim nationalities, with spelling variants seen in real records.
enum NamePools {
    struct Nationality: Sendable {
        let name: String
        let weight: Int
        let male: [String]
        let female: [String]
        let family: [String]
        /// Probability that a record writes the names in the other order.
        let swapRate: Double
    }

    static let nationalities: [Nationality] = [
        Nationality(name: "British", weight: 34,
            male: ["James", "John", "Robert", "Michael", "William", "David", "Richard", "Thomas", "Christopher", "Daniel",
                   "Matthew", "Anthony", "Andrew", "Joseph", "Steven", "Paul", "Mark", "Peter", "Stephen", "Samuel",
                   "Benjamin", "Jack", "Harry", "Oliver", "George", "Charles", "Edward", "Henry", "Alexander", "Nicholas",
                   "Liam", "Ryan", "Kieran", "Connor", "Callum", "Lewis", "Jamie", "Craig", "Gary", "Lee", "Dean", "Wayne",
                   "Scott", "Adam", "Luke", "Jordan", "Nathan", "Aaron", "Shane", "Darren"],
            female: ["Elizabeth", "Sarah", "Emma", "Laura", "Rebecca", "Jessica", "Charlotte", "Hannah", "Sophie", "Amy",
                     "Katherine", "Jennifer", "Susan", "Margaret", "Victoria", "Rachel", "Lucy", "Emily", "Chloe", "Megan",
                     "Lauren", "Amber", "Jade", "Kelly", "Claire", "Nicola", "Lisa", "Donna", "Tracey", "Karen", "Michelle",
                     "Samantha", "Natalie", "Gemma", "Leanne", "Stacey", "Kayleigh", "Danielle", "Zoe", "Holly"],
            family: ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
                     "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
                     "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
                     "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James",
                     "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
                     "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
                     "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum",
                     "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt",
                     "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
                     "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
                     "O'Brien", "McDonald", "Smith-Jones", "Fletcher", "Gibson"],
            swapRate: 0.03),
        Nationality(name: "Albanian", weight: 10,
            male: ["Ardit", "Arben", "Besnik", "Blerim", "Dritan", "Elton", "Endrit", "Erion", "Fatjon", "Gentian", "Gjon",
                   "Ilir", "Klodian", "Kastriot", "Marsel", "Olsi", "Renato", "Sokol", "Taulant", "Xhevdet", "Altin",
                   "Arjan", "Bujar", "Erjon", "Florian", "Gazmend", "Leonard", "Mario", "Redon", "Ylli"],
            female: ["Anila", "Blerta", "Drita", "Elona", "Enkeleda", "Fjona", "Ilda", "Jonida", "Klea", "Mirela",
                     "Rozana", "Sara", "Teuta", "Valbona", "Xhensila", "Arta", "Besa", "Dorina", "Ermira", "Lindita"],
            family: ["Hoxha", "Gashi", "Berisha", "Krasniqi", "Shehu", "Dervishi", "Kola", "Leka", "Marku", "Prifti",
                     "Bregu", "Cela", "Dedja", "Hysa", "Kastrati", "Lika", "Meta", "Mema", "Muca", "Ndreu", "Rama",
                     "Sula", "Tafa", "Xhafa", "Zeneli", "Basha", "Cani", "Duka", "Gjoka", "Koci"],
            swapRate: 0.05),
        Nationality(name: "Vietnamese", weight: 10,
            male: ["Minh", "Anh", "Duc", "Hung", "Tuan", "Long", "Nam", "Quang", "Thanh", "Hieu", "Khanh", "Phuc",
                   "Trung", "Dung", "Hai", "Huy", "Son", "Vinh", "Bao", "Dat", "Van Minh", "Van Nam", "Quoc Anh"],
            female: ["Lan", "Linh", "Mai", "Huong", "Thu", "Trang", "Ngoc", "Hoa", "Hanh", "Phuong", "Thao", "Yen",
                     "Thi Lan", "Thi Mai", "Thi Huong", "Nhung", "Van", "Tam", "Nga", "Hien"],
            family: ["Nguyen", "Nguyen", "Nguyen", "Nguyen", "Tran", "Tran", "Le", "Le", "Pham", "Pham", "Hoang", "Phan", "Vu", "Vo",
                     "Dang", "Bui", "Do", "Ho", "Ngo", "Duong", "Ly", "Dinh", "Trinh", "Truong", "Luong"],
            swapRate: 0.20),
        Nationality(name: "Romanian", weight: 10,
            male: ["Ion", "Andrei", "Alexandru", "Mihai", "Gheorghe", "Constantin", "Vasile", "Florin", "Marius", "Adrian",
                   "Cristian", "Daniel", "Stefan", "Ionut", "Razvan", "Bogdan", "Catalin", "Sorin", "Gabriel", "Nicolae",
                   "Dumitru", "Petru", "Cosmin", "Valentin", "Lucian"],
            female: ["Maria", "Elena", "Ioana", "Andreea", "Mihaela", "Alexandra", "Cristina", "Gabriela", "Roxana",
                     "Florentina", "Daniela", "Simona", "Loredana", "Nicoleta", "Raluca", "Adriana", "Georgiana", "Alina"],
            family: ["Popescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu",
                     "Ionescu", "Rusu", "Munteanu", "Constantin", "Marin", "Serban", "Lungu", "Florea", "Dinu", "Tudor",
                     "Moldovan", "Barbu", "Nistor", "Ene", "Cristea", "Toma", "Oprea", "Mihai", "Ursu", "Stanciu"],
            swapRate: 0.05),
        Nationality(name: "Polish", weight: 10,
            male: ["Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Jakub", "Łukasz", "Adam",
                   "Mateusz", "Kamil", "Wojciech", "Marek", "Grzegorz", "Dawid", "Bartosz", "Rafał", "Jan", "Sebastian"],
            female: ["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Joanna", "Barbara", "Ewa", "Magdalena", "Monika",
                     "Aleksandra", "Natalia", "Karolina", "Justyna", "Paulina", "Dorota", "Beata", "Marta", "Zofia"],
            family: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
                     "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
                     "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński",
                     "Wróbel", "Nowicki", "Majewski", "Olszewski", "Stępień", "Malinowski"],
            swapRate: 0.05),
        Nationality(name: "Eritrean", weight: 6,
            male: ["Yohannes", "Tesfaye", "Mehari", "Kidane", "Semere", "Filmon", "Abraham", "Daniel", "Haile", "Tekle",
                   "Berhane", "Michael", "Samuel", "Yonas", "Henok", "Dawit", "Amanuel", "Mebrahtu", "Goitom", "Habtom"],
            female: ["Helen", "Selam", "Saba", "Senait", "Freweini", "Rahwa", "Yordanos", "Luwam", "Mebrat", "Tsega",
                     "Winta", "Hiwet", "Eden", "Rahel", "Ruta", "Feven", "Nebiat", "Elsa"],
            family: ["Tesfaye", "Gebremariam", "Gebremedhin", "Tekle", "Haile", "Kidane", "Berhane", "Woldemichael",
                     "Mehari", "Yohannes", "Ghebreyesus", "Andemariam", "Abraha", "Tsegaye", "Habte", "Weldu", "Asfaha",
                     "Kahsay", "Negash", "Zerai", "Hagos", "Fessehaye", "Tewelde", "Okbamichael", "Solomon"],
            swapRate: 0.10),
        Nationality(name: "Sudanese", weight: 6,
            male: ["Mohammed", "Ahmed", "Osman", "Ibrahim", "Abdelrahman", "Mustafa", "Hassan", "Hussein", "Ali", "Omar",
                   "Yousif", "Khalid", "Salih", "Adam", "Ismail", "Abdallah", "Mahmoud", "Elsadig", "Babiker", "Musa"],
            female: ["Fatima", "Amna", "Aisha", "Mariam", "Hawa", "Zainab", "Samah", "Nafisa", "Huda", "Sara", "Khadija",
                     "Rasha", "Safa", "Marwa", "Asma", "Hiba"],
            family: ["Mohammed", "Ahmed", "Osman", "Ibrahim", "Abdelrahman", "Hassan", "Hussein", "Ali", "Adam", "Yousif",
                     "Abdalla", "Elhassan", "Musa", "Suleiman", "Idris", "Ishag", "Babiker", "Elamin", "Hamid", "Khalil"],
            swapRate: 0.08),
        Nationality(name: "Indian", weight: 8,
            male: ["Rahul", "Amit", "Raj", "Sanjay", "Vijay", "Arjun", "Rohit", "Suresh", "Ravi", "Anil", "Sunil", "Deepak",
                   "Manoj", "Harpreet", "Gurpreet", "Mohinder", "Sukhwinder", "Ajay", "Vikram", "Karan"],
            female: ["Priya", "Pooja", "Anjali", "Sunita", "Neha", "Kavita", "Lakshmi", "Deepa", "Meena", "Rani",
                     "Simran", "Manpreet", "Jaspreet", "Asha", "Divya", "Geeta"],
            family: ["Patel", "Singh", "Kumar", "Sharma", "Shah", "Gupta", "Kaur", "Mehta", "Reddy", "Joshi", "Chaudhry",
                     "Verma", "Mistry", "Desai", "Nair", "Rao", "Iyer", "Gill", "Sandhu", "Bhatt"],
            swapRate: 0.05),
        Nationality(name: "Chinese", weight: 6,
            male: ["Wei", "Jun", "Lei", "Hao", "Jie", "Ming", "Qiang", "Yong", "Jian", "Tao", "Bo", "Chao", "Peng", "Gang"],
            female: ["Li", "Mei", "Xiu", "Ying", "Hui", "Fang", "Jing", "Yan", "Lan", "Xiaoling", "Na", "Min", "Ling"],
            family: ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
                     "Hu", "Guo", "He", "Lin", "Luo", "Zheng"],
            swapRate: 0.25),
    ]

    /// Long tails of rarer names, composed from parts typical of each language, so that
    /// name frequencies look like a real population (a few very common names, many rare ones).
    static func tailFamily(_ nat: String, _ r: UInt64) -> String? {
        func c(_ a: [String], _ b: [String]) -> String { a[Int(r % UInt64(a.count))] + b[Int((r / 977) % UInt64(b.count))] }
        switch nat {
        case "British": return c(["Ash", "Brad", "Black", "Cal", "Carr", "Craw", "Dun", "Fair", "Gold", "Hart", "Hol", "Lang",
                                  "Mid", "New", "North", "Os", "Pem", "Ray", "Ross", "Shel", "Stan", "Sut", "Thorn", "Wal",
                                  "West", "Whit", "Wood", "Brom", "Chad", "Ed", "Har", "Ald", "Bar", "Cole", "Fen"],
                                 ["ley", "ton", "worth", "ford", "by", "field", "well", "wood", "man", "son", "ridge", "more",
                                  "dale", "ham", "stone", "bury", "croft", "land", "wick", "hurst"])
        case "Polish": return c(["Now", "Kowal", "Wiśni", "Zieliń", "Szyman", "Woź", "Kozł", "Jank", "Maz", "Kwiat", "Krawc",
                                 "Piotr", "Grab", "Paw", "Michal", "Wiecz", "Jabł", "Wrób", "Majew", "Olszew", "Mal", "Sob",
                                 "Dud", "Stef", "Bar", "Wal", "Czar", "Kub", "Lis", "Zaj"],
                                ["ski", "czyk", "ak", "ek", "owski", "iński", "ewicz", "ik"])
        case "Romanian": return c(["Pop", "Ion", "Radul", "Stan", "Dumitr", "Georg", "Marin", "Nistor", "Vas", "Mih", "Const",
                                   "Florest", "Tud", "Bog", "Cret", "Dobr", "Lup", "Manol", "Neag", "Ol", "Pet", "Sav", "Tom",
                                   "Vlad", "Zamfir"], ["escu", "eanu", "aru", "ache", "ei", "an"])
        case "Albanian": return c(["Hox", "Gash", "Ber", "Kras", "Sheh", "Derv", "Kol", "Lek", "Mark", "Prif", "Breg", "Cel",
                                   "Ded", "Hys", "Kastr", "Lik", "Met", "Mem", "Muc", "Ndr", "Ram", "Sul", "Taf", "Xhaf", "Zen"],
                                  ["a", "i", "aj", "ja", "iu", "ollari", "eshi"])
        case "Eritrean": return c(["Gebre", "Wolde", "Haile", "Tesfa", "Kidane", "Berhane", "Tekle", "Habte"],
                                  ["mariam", "michael", "selassie", "yesus", "giorgis", "medhin", "hiwet", "ab", "tsion", "kristos"])
        case "Sudanese": return "El" + ["amin", "hassan", "tayeb", "fadil", "nur", "sadig", "sheikh", "obeid", "mahdi", "rasheed",
                                        "tahir", "zubair", "bashir", "hadi", "jaali"][Int(r % 15)]
        case "Indian": return c(["Agar", "Bhat", "Chand", "Dhil", "Gar", "Jain", "Kap", "Mal", "Nag", "Pand", "Sax", "Tri", "Vas"],
                                ["wal", "ia", "oor", "hotra", "ey", "ena", "pathi", "ani", "rajan"])
        default: return nil
        }
    }

    static func tailGiven(_ nat: String, _ base: String, _ r: UInt64) -> String {
        switch nat {
        case "Vietnamese" where !base.contains(" "):
            return ["Van", "Thi", "Duc", "Minh", "Quoc", "Ngoc", "Thanh", "Hoang", "Huu", "Xuan"][Int(r % 10)] + " " + base
        case "Chinese":
            return ["Xiao", "Jia", "Zi", "Yu", "Hai", "Wen", "Jun", "Li", "Ming", "Hong"][Int(r % 10)]
                + ["ling", "hui", "wei", "jie", "yan", "hao", "tao", "mei", "feng", "yu"][Int((r / 31) % 10)]
        default: return base
        }
    }

    /// Spelling variants that real records use for the same person (transliteration and nicknames).
    static let variants: [String: [String]] = [
        "Mohammed": ["Mohamed", "Muhammad", "Mohammad", "Mohamad", "Muhammed"],
        "Ahmed": ["Ahmad"], "Yousif": ["Yusuf", "Yousef", "Youssef"], "Hussein": ["Hussain", "Husain"],
        "Osman": ["Othman", "Usman"], "Abdelrahman": ["Abdulrahman", "Abdel Rahman", "Abdurrahman"],
        "Mustafa": ["Mostafa", "Mustapha"], "Mahmoud": ["Mahmud"], "Ibrahim": ["Ebrahim"], "Hassan": ["Hasan"],
        "Abdallah": ["Abdullah"], "Abdalla": ["Abdullah", "Abdallah"], "Aisha": ["Aysha", "Ayesha"], "Fatima": ["Fatma"],
        "Omar": ["Umar"], "Khalid": ["Khaled"], "Salih": ["Saleh"],
        "Yohannes": ["Yohanes", "Johannes"], "Tesfaye": ["Tesfay", "Tesfai"], "Gebremariam": ["Ghebremariam", "Gebre Mariam"],
        "Gebremedhin": ["Ghebremedhin", "Gebre Medhin"], "Tekle": ["Teklay", "Tecle"], "Haile": ["Hayle"],
        "Tsegaye": ["Tsegay"], "Woldemichael": ["Wolde Michael", "Weldemichael"], "Ghebreyesus": ["Gebreyesus"],
        "Hoxha": ["Hoxa", "Hodja"], "Gjon": ["Gion"], "Erion": ["Erjon"], "Xhafa": ["Xafa"],
        "Ionut": ["Ionuț"], "Stefan": ["Ștefan"], "Serban": ["Șerban"], "Gheorghe": ["George"],
        "Paweł": ["Pawel"], "Michał": ["Michal"], "Łukasz": ["Lukasz"], "Rafał": ["Rafal"], "Małgorzata": ["Malgorzata", "Gosia"],
        "Wiśniewski": ["Wisniewski"], "Wójcik": ["Wojcik"], "Woźniak": ["Wozniak"], "Dąbrowski": ["Dabrowski"],
        "Kozłowski": ["Kozlowski"], "Pawłowski": ["Pawlowski"], "Jabłoński": ["Jablonski"], "Wróbel": ["Wrobel"],
        "Stępień": ["Stepien"], "Zieliński": ["Zielinski"], "Kamiński": ["Kaminski"], "Król": ["Krol"],
        "Katarzyna": ["Kasia"], "Jakub": ["Kuba"], "Tomasz": ["Tomek"], "Aleksandra": ["Ola"],
        "Nguyen": ["Nguyễn", "Nguyen"], "Tran": ["Trần"], "Le": ["Lê"], "Pham": ["Phạm"], "Duc": ["Đức"],
        "Hoang": ["Hoàng"], "Dang": ["Đặng"], "Bui": ["Bùi"], "Vu": ["Vũ"], "Do": ["Đỗ"],
        "William": ["Bill", "Will", "Billy"], "Robert": ["Bob", "Rob", "Bobby"], "Elizabeth": ["Liz", "Beth", "Lizzie"],
        "Richard": ["Rick", "Rich"], "James": ["Jim", "Jimmy"], "Thomas": ["Tom", "Tommy"], "Michael": ["Mike", "Mick"],
        "Christopher": ["Chris"], "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"], "Anthony": ["Tony"],
        "Andrew": ["Andy"], "Joseph": ["Joe"], "Steven": ["Steve"], "Stephen": ["Steve"], "Peter": ["Pete"],
        "Samuel": ["Sam"], "Benjamin": ["Ben"], "Alexander": ["Alex"], "Nicholas": ["Nick"], "Edward": ["Ed", "Ted"],
        "Katherine": ["Kate", "Katie", "Catherine"], "Jennifer": ["Jenny", "Jen"], "Susan": ["Sue"],
        "Margaret": ["Maggie", "Peggy"], "Rebecca": ["Becky"], "Victoria": ["Vicky"], "Samantha": ["Sam"],
        "Henry": ["Harry"], "Charles": ["Charlie"], "Nicola": ["Nicky"],
        "Harpreet": ["Harpret"], "Sukhwinder": ["Sukhvinder"], "Lakshmi": ["Laxmi"], "Chaudhry": ["Chaudhary", "Choudhury"],
        "Xiaoling": ["Xiao Ling"],
    ]

    static let towns: [(name: String, outward: [String])] = [
        ("London", ["E1", "E2", "E3", "E6", "E7", "E10", "E13", "E15", "E17", "N1", "N7", "N9", "N15", "N17", "N18", "NW10",
                    "SE1", "SE5", "SE15", "SE18", "SW2", "SW9", "SW16", "W3", "W12", "IG1", "CR0", "HA0", "UB3"]),
        ("Birmingham", ["B6", "B8", "B9", "B10", "B11", "B12", "B16", "B19", "B20", "B21", "B23", "B33"]),
        ("Manchester", ["M8", "M9", "M11", "M12", "M13", "M14", "M16", "M18", "M19", "M40"]),
        ("Leeds", ["LS4", "LS6", "LS7", "LS8", "LS9", "LS11", "LS12"]),
        ("Bradford", ["BD3", "BD5", "BD7", "BD8", "BD9"]),
        ("Sheffield", ["S2", "S3", "S4", "S9"]),
        ("Liverpool", ["L4", "L6", "L7", "L8", "L13"]),
        ("Leicester", ["LE1", "LE2", "LE4", "LE5"]),
        ("Nottingham", ["NG1", "NG3", "NG7"]),
        ("Bristol", ["BS2", "BS3", "BS5", "BS13"]),
        ("Newcastle upon Tyne", ["NE1", "NE4", "NE6"]),
        ("Glasgow", ["G20", "G21", "G31", "G42"]),
        ("Cardiff", ["CF10", "CF11", "CF24"]),
        ("Peterborough", ["PE1", "PE2"]),
        ("Luton", ["LU1", "LU2", "LU4"]),
        ("Southampton", ["SO14", "SO15"]),
        ("Hull", ["HU3", "HU5", "HU9"]),
        ("Stoke-on-Trent", ["ST1", "ST4", "ST6"]),
        ("Boston", ["PE21"]),
        ("Slough", ["SL1", "SL2"]),
    ]

    static let streets = ["High", "Station", "Church", "Victoria", "Park", "Green", "Manor", "Queens", "Kings", "Mill",
                          "New", "Grange", "Albert", "London", "Springfield", "York", "Chapel", "Alexandra", "George",
                          "Windsor", "Stanley", "Clarence", "Cromwell", "Nelson", "Elm", "Oak", "Beech", "Cedar", "Ash",
                          "Willow", "Hawthorn", "Holly", "Lime", "Maple", "Rose", "Mount", "Hill", "North", "South",
                          "Market", "Bridge", "Castle", "Water", "Cemetery", "Spring", "Cross", "Union", "Trinity",
                          "St Mary's", "St John's", "Belgrave", "Hamilton", "Ladypool", "Stratford", "Moseley", "Wilmslow",
                          "Dickenson", "Harehills", "Roundhay", "Chapeltown", "Lumb", "Great Horton", "Oldham", "Rochdale",
                          "Cheetham Hill", "Bury New", "Lodge", "Coventry", "Soho", "Dudley", "Walsall", "Lozells"]
    static let streetTypes: [(full: String, short: String)] = [("Road", "Rd"), ("Street", "St"), ("Avenue", "Ave"),
        ("Lane", "Ln"), ("Close", "Cl"), ("Drive", "Dr"), ("Terrace", "Terr"), ("Grove", "Gr"), ("Place", "Pl"), ("Crescent", "Cres")]
}
