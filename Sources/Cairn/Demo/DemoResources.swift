import CairnCore
import Foundation

/// A dozen hub resources of the fictional Westmere partnership, public and partners-only, in
/// several languages, some with a second version and one withdrawn. Their files are made here
/// (a small PDF, a PNG, UTF-8 text), uploaded through `ResourceService` as the demo trainer and
/// coordinator, so they pass the same checks as any upload.
enum DemoResources {
    enum File: Sendable {
        case pdf(String)
        case png(red: UInt8, green: UInt8, blue: UInt8)
        case text(String)

        var bytes: [UInt8] {
            switch self {
            case .pdf(let line): DemoResources.pdf(line)
            case .png(let red, let green, let blue): DemoResources.png(width: 8, height: 8, rgb: (red, green, blue))
            case .text(let text): Array(text.utf8)
            }
        }

        var name: String {
            switch self {
            case .pdf: "leaflet.pdf"
            case .png: "poster.png"
            case .text: "leaflet.txt"
            }
        }
    }

    struct Item: Sendable {
        let title: String
        let summary: String
        let kind: ResourceKind
        let audience: String
        let topics: String
        let visibility: ResourceVisibility
        /// Language and file; a language given twice gets a second version.
        let files: [(String, File)]
        var withdrawn = false
    }

    static let rights = "Know your rights at work"
    static let items: [Item] = [
        Item(title: rights, summary: "Pay, hours, payslips, and who to call if your employer keeps your passport or your wages.",
             kind: .leaflet, audience: "Workers at risk in agriculture, car washes and nail bars", topics: "Employment rights, how to report",
             visibility: .public, files: [
                ("en", .pdf("Know your rights at work. Helpline 08000 121 700.")),
                ("en", .pdf("Know your rights at work (2nd edition). Helpline 08000 121 700.")),
                ("ro", .text("Cunoașteți-vă drepturile la locul de muncă.\nAveți dreptul la salariul minim, la fluturaș de salariu și la pauze.\nNimeni nu are voie să vă păstreze pașaportul.\nLinia de asistență: 08000 121 700\n")),
                ("pl", .text("Poznaj swoje prawa w pracy.\nMasz prawo do płacy minimalnej, odcinka wypłaty i przerw.\nNikt nie może zatrzymać Twojego paszportu.\nInfolinia: 08000 121 700\n")),
                ("bg", .text("Знайте правата си на работното място.\nИмате право на минимална заплата, фиш за заплата и почивки.\nНикой няма право да задържа паспорта ви.\nГореща линия: 08000 121 700\n")),
                ("sq", .text("Njihni të drejtat tuaja në punë.\nKeni të drejtë për pagën minimale, fletëpagesë dhe pushime.\nAskush nuk mund t'ju mbajë pasaportën.\nLinja e ndihmës: 08000 121 700\n")),
             ]),
        Item(title: "Spot the signs of modern slavery", summary: "A poster of the common signs: someone not in control of their documents, money or movements.",
             kind: .poster, audience: "The general public", topics: "Spotting the signs", visibility: .public, files: [
                ("en", .png(red: 0, green: 94, blue: 165)),
                ("ar", .text("تعرّف على علامات العبودية الحديثة.\nشخص لا يملك وثائقه أو ماله أو حرية تنقله.\nخط المساعدة: 08000 121 700\n")),
                ("vi", .text("Nhận biết dấu hiệu của nô lệ hiện đại.\nMột người không tự giữ giấy tờ, tiền bạc hoặc không được tự do đi lại.\nĐường dây trợ giúp: 08000 121 700\n")),
                ("ti", .text("ምልክታት ዘመናዊ ባርነት ፍለጡ።\nሰነዳቱ፣ ገንዘቡ ወይ ምንቅስቓሱ ዘይቆጻጸር ሰብ።\nመስመር ሓገዝ: 08000 121 700\n")),
             ]),
        Item(title: "How to report a concern", summary: "What to write down, who to call, and what happens after you report.",
             kind: .guide, audience: "The general public", topics: "How to report", visibility: .public, files: [
                ("en", .pdf("How to report a concern. Call 999 in an emergency.")),
                ("ro", .pdf("Cum raportati o ingrijorare. Sunati la 999 in caz de urgenta.")),
                ("ro", .pdf("Cum raportati o ingrijorare (editia a 2-a). Sunati la 999 in caz de urgenta.")),
             ]),
        Item(title: "Hotel staff: spotting exploitation", summary: "For reception, housekeeping and night staff: signs in bookings and rooms, and who to tell.",
             kind: .guide, audience: "Hotel staff", topics: "Spotting the signs, how to report", visibility: .partners, files: [
                ("en", .pdf("Hotel staff: spotting exploitation. Partners only.")),
             ]),
        Item(title: "County lines: safeguarding training slides", summary: "The slides of the half-day county lines session for schools and youth services.",
             kind: .slides, audience: "Teachers and youth workers", topics: "County lines", visibility: .partners, files: [
                ("en", .pdf("County lines: safeguarding training slides, version 1.")),
                ("en", .pdf("County lines: safeguarding training slides, version 2 (new referral route).")),
             ]),
        Item(title: "Car wash outreach leaflet", summary: "Handed out on outreach visits to hand car washes.",
             kind: .leaflet, audience: "Car wash workers", topics: "Employment rights", visibility: .public, files: [
                ("en", .text("Working at a car wash? You have the right to be paid for every hour you work.\nHelpline: 08000 121 700\n")),
                ("ro", .text("Lucrați la o spălătorie auto? Aveți dreptul să fiți plătit pentru fiecare oră lucrată.\nLinia de asistență: 08000 121 700\n")),
                ("sq", .text("Punoni në një lavazh makinash? Keni të drejtë të paguheni për çdo orë pune.\nLinja e ndihmës: 08000 121 700\n")),
             ]),
        Item(title: "Nail bar workers: your rights", summary: "Pay, documents and safety at work for nail bar staff.",
             kind: .leaflet, audience: "Nail bar workers", topics: "Employment rights", visibility: .public, files: [
                ("vi", .text("Làm việc ở tiệm nail? Bạn có quyền được trả lương cho mỗi giờ làm việc và tự giữ giấy tờ của mình.\nĐường dây trợ giúp: 08000 121 700\n")),
                ("en", .text("Working in a nail bar? You have the right to be paid for every hour and to keep your own documents.\nHelpline: 08000 121 700\n")),
             ]),
        Item(title: "Letting agents: checklist", summary: "Signs of exploitation in lettings: many tenants, cash rent, one person paying for everyone.",
             kind: .guide, audience: "Letting agents and landlords", topics: "Spotting the signs", visibility: .partners, files: [
                ("en", .text("Letting agents checklist\n- Many people in one property\n- Rent paid in cash by a third party\n- Tenants who never speak for themselves\n")),
             ]),
        Item(title: "GPs and A&E: signs in patients", summary: "For clinicians and reception staff: what to notice and how to refer.",
             kind: .guide, audience: "GPs and A&E staff", topics: "Spotting the signs, victim care and trauma-informed practice", visibility: .partners,
             files: [("en", .pdf("GPs and A&E: signs in patients. Partners only."))]),
        Item(title: "Jobcentre staff briefing", summary: "A short briefing for work coaches on signs of labour exploitation.",
             kind: .guide, audience: "Jobcentre staff", topics: "Labour exploitation", visibility: .partners, files: [
                ("en", .text("Jobcentre staff briefing: labour exploitation.\nSigns: someone else speaks for the claimant, several claims share one address or bank account.\n")),
                ("pl", .text("Informacja dla pracowników Jobcentre: wyzysk w pracy.\nSygnały: ktoś inny mówi za klienta, kilka wniosków z jednym adresem lub kontem bankowym.\n")),
             ]),
        Item(title: "Awareness poster for the general public", summary: "If something feels wrong, report it.",
             kind: .poster, audience: "The general public", topics: "How to report", visibility: .public, files: [
                ("en", .png(red: 212, green: 53, blue: 28)),
                ("pl", .png(red: 0, green: 112, blue: 60)),
             ]),
        Item(title: "Helpline poster (2024 edition)", summary: "Replaced by the awareness poster.",
             kind: .poster, audience: "The general public", topics: "How to report", visibility: .public, files: [
                ("en", .png(red: 80, green: 90, blue: 95)),
             ], withdrawn: true),
    ]

    static func load(into services: AppServices, now: Date) async throws {
        let trainer = try await DemoReports.identity("trainer@demo.invalid", services)
        let hub = services.resources
        for (index, item) in items.enumerated() {
            let when = DemoReports.ago(now, days: Double(90 - index * 6))
            guard let first = item.files.first else { continue }
            let (firstLanguage, firstFile) = first
            let details = ResourceService.Details(title: item.title, summary: item.summary, kind: item.kind.rawValue, audience: item.audience,
                                                  topics: item.topics, visibility: item.visibility.rawValue)
            let resource = try await hub.create(details, language: firstLanguage, upload: .init(fileName: firstFile.name, bytes: firstFile.bytes),
                                                identity: trainer, address: "demo", now: when)
            let id = try resource.requireID()
            for (offset, (language, file)) in item.files.dropFirst().enumerated() {
                _ = try await hub.addVersion(id, language: language, upload: .init(fileName: file.name, bytes: file.bytes), identity: trainer,
                                             address: "demo", now: when.addingTimeInterval(Double(offset + 1) * 86_400))
            }
            if item.withdrawn { try await hub.withdraw(id, identity: trainer, address: "demo", now: when.addingTimeInterval(20 * 86_400)) }
        }
    }

    // MARK: Files

    /// A one-page PDF showing `line` (ASCII), with a correct cross-reference table.
    static func pdf(_ line: String) -> [UInt8] {
        let text = String(line.unicodeScalars.filter { $0.isASCII && $0.value >= 32 }.map(Character.init))
            .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
        let stream = "BT /F1 14 Tf 56 780 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    /// A PNG of one colour: RGB, 8 bits, the image data in one stored (uncompressed) deflate block.
    static func png(width: Int, height: Int, rgb: (UInt8, UInt8, UInt8)) -> [UInt8] {
        func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(UInt32(data.count)) + body + be32(crc32(body))
        }
        var raw: [UInt8] = []
        for _ in 0..<height {
            raw.append(0)
            for _ in 0..<width { raw += [rgb.0, rgb.1, rgb.2] }
        }
        let length = UInt16(raw.count)
        var zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        zlib += raw
        zlib += be32(adler32(raw))
        let header = be32(UInt32(width)) + be32(UInt32(height)) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
