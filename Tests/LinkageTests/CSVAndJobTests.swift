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

    @Test func writerQuotesWhatNeedsItAndReadsBack() {
        let rows = [["1", "Smith, John", "said \"hi\""], ["2", "Ann", "two\nlines"], ["3", "", "plain"]]
        let text = CSV.write(header: ["id", "name", "note"], rows: rows)
        #expect(text == "id,name,note\n1,\"Smith, John\",\"said \"\"hi\"\"\"\n2,Ann,\"two\nlines\"\n3,,plain\n")
        let t = CSV.parse(Data(text.utf8))
        #expect(t.header == ["id", "name", "note"] && t.rows == rows && t.raggedRows == 0)
        #expect(CSV.write(header: ["a", "b"], rows: [["1", "2"]], lineEnding: "\r\n") == "a,b\r\n1,2\r\n")
        #expect(CSV.write(header: ["a"], rows: [[String]]()) == "a\n")
    }

    @Test func formulasAreDefusedOnlyWhenAsked() {
        // A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return) as a formula.
        for (value, defused) in [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"),
                                 ("=a,b", "\"'=a,b\""), ("\rx", "\"'\rx\""), ("plain", "plain"), ("a=b", "a=b"), ("", "")] {
            #expect(CSV.field(value, defuseFormulas: true) == defused, "\(value.debugDescription)")
        }
        #expect(CSV.field("=SUM(A1)") == "=SUM(A1)")
        #expect(CSV.record(["=1", "a,b"], defuseFormulas: true) == "'=1,\"a,b\"")
        #expect(CSV.record(["=1", "a,b"]) == "=1,\"a,b\"")
    }

    @Test func generatedPeopleAreWrittenAsCSVThatReadsBack() {
        let rows = PersonGenerator(seed: 7).rows(count: 200)
        let text = PersonGenerator.csv(rows)
        #expect(text.hasPrefix(PersonGenerator.header.joined(separator: ",") + "\n") && text.hasSuffix("\n") && !text.contains("\r"))
        let t = CSV.parse(Data(text.utf8))
        #expect(t.header == PersonGenerator.header && t.raggedRows == 0)
        #expect(t.rows == rows.map { [$0.recordID, $0.trueID, $0.givenName, $0.familyName, $0.dateOfBirth, $0.address, $0.town, $0.postcode, $0.phone, $0.email] })
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
