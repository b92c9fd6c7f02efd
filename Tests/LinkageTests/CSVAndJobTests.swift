import Foundation
import Testing
@testable import Linkage

@Suite("CSV and the dedupe job")
struct CSVAndJobTests {
    @Test func rfc4180QuotesNewlinesAndBOM() {
        let text = "\u{FEFF}id,name,note\r\n1,\"Smith, John\",\"said \"\"hi\"\"\"\r\n2,Ann,\"two\nlines\"\n3,Bob,plain"
        let t = CSV.parse(Data(text.utf8))
        #expect(t.header == ["id", "name", "note"])
        #expect(t.rows == [["1", "Smith, John", "said \"hi\""], ["2", "Ann", "two\nlines"], ["3", "Bob", "plain"]])
        #expect(t.raggedRows == 0)
    }

    @Test func raggedRowsArePaddedWithAWarning() {
        let t = CSV.parse(Data("a,b,c\n1,2\n1,2,3,4\n\n5,6,7\n".utf8))
        #expect(t.rows == [["1", "2", ""], ["1", "2", "3"], ["5", "6", "7"]])
        #expect(t.raggedRows == 2)
        #expect(t.warnings.first == "line 2: 2 fields, expected 3")
    }

    @Test func escapeRoundTrips() {
        for s in ["plain", "a,b", "quote\"d", "new\nline", ""] {
            let t = CSV.parse(Data("x\n\(CSV.escape(s)),\n".utf8))
            #expect(t.rows.first?.first == s)
        }
    }

    @Test func mappingErrorsAreClear() {
        #expect(throws: LinkageError.badMapping("given_name")) { try DedupeJob.parseMapping(["given_name"]) }
        #expect(throws: LinkageError.unknownField("shoe_size")) { try DedupeJob.parseMapping(["shoe_size=x"]) }
        #expect(throws: LinkageError.noMapping) { try DedupeJob.parseMapping([]) }
        #expect((try? DedupeJob.parseMapping(["given_name=first", "POSTCODE = pc"])) == [.givenName: "first", .postcode: "pc"])
    }

    func temp(_ name: String, _ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linkage-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func missingColumnAndUnreadableFileAreReported() throws {
        let input = try temp("in.csv", "id,first,last\n1,John,Smith\n")
        let out = input.deletingLastPathComponent().appendingPathComponent("out.csv")
        let job = DedupeJob(input: input, idColumn: "id", mapping: [.givenName: "first", .postcode: "pc"], clustersOutput: out)
        #expect(throws: LinkageError.missingColumn("pc", available: ["id", "first", "last"])) { try job.run() }
        let noID = DedupeJob(input: input, idColumn: "ref", mapping: [.givenName: "first"], clustersOutput: out)
        #expect(throws: LinkageError.missingColumn("ref", available: ["id", "first", "last"])) { try noID.run() }
        let missing = DedupeJob(input: URL(fileURLWithPath: "/nonexistent/x.csv"), idColumn: "id", mapping: [.givenName: "first"], clustersOutput: out)
        do { _ = try missing.run(); Issue.record("expected an error") } catch {
            guard case .unreadableFile(let p, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(p == "/nonexistent/x.csv")
            #expect(error.description.hasPrefix("cannot read /nonexistent/x.csv"))
        }
        let empty = try temp("empty.csv", "")
        #expect(throws: LinkageError.emptyInput(empty.path)) {
            try DedupeJob(input: empty, idColumn: "id", mapping: [.givenName: "first"], clustersOutput: out).run()
        }
    }

    @Test func endToEndWritesClustersAndPairs() throws {
        let text = "\u{FEFF}ref,first,last,dob,pc,tel\n" +
            "1,William,Smith,14/03/1990,M14 5AB,07700 900123\n" +
            "2,Bill,Smith,1990-03-14,m145ab,+44 7700 900123\n" +
            "3,\"Nowak, Zofia\",,01/01/1970,LS8 2JX\n" +   // the full name in one column, and a short row
            "4,Zofia,Nowak,01/01/1970,LS8 2JX,\n"
        let input = try temp("people.csv", text)
        let clusters = input.deletingLastPathComponent().appendingPathComponent("clusters.csv")
        let pairs = input.deletingLastPathComponent().appendingPathComponent("pairs.csv")
        let job = DedupeJob(input: input, idColumn: "ref",
                            mapping: try DedupeJob.parseMapping(["given_name=first", "family_name=last", "date_of_birth=dob",
                                                                 "postcode=pc", "phone=tel"]),
                            clustersOutput: clusters, pairsOutput: pairs)
        let summary = try job.run()
        #expect(summary.raggedRows == 1)
        let c = try String(contentsOf: clusters, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(c == ["id,cluster_id", "1,1", "2,1", "3,3", "4,3"])
        let p = try String(contentsOf: pairs, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(p.first == "id_l,id_r,match_probability")
        #expect(p.dropFirst().contains { $0.hasPrefix("1,2,") })
    }
}
