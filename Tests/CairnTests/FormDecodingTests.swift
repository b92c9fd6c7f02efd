@testable import Cairn
import Testing

/// Forms read into `Decodable` structs (`FormInput`) with Hummingbird's decoder.
struct FormDecodingTests {
    struct Sample: FormInput {
        static let lists: Set<String> = ["roles"]
        let name: String
        let note: String?
        let roles: [String]?
        let consent: Checkbox?
        let count: Int?
    }

    @Test func fieldsListsAndCheckboxesAreRead() throws {
        let form = try Sample.decode(body: "_csrf=abc&name=Ann+O%27Neill&roles=caseworker&roles=analyst&consent=on&count=3")
        #expect(form.name == "Ann O'Neill")
        #expect(form.note == nil)
        #expect(form.roles == ["caseworker", "analyst"])
        #expect(form.consent.isOn)
        #expect(form.count == 3)
        let bare = try Sample.decode(body: "name=&roles=analyst")
        #expect(bare.name == "")
        #expect(bare.roles == ["analyst"])
        #expect(!bare.consent.isOn)
        #expect(try Sample.decode(body: "name=x").roles == nil)
    }

    @Test func malformedFormsAreBadRequestsNamingTheField() throws {
        for (body, words) in [("note=x", "name"), ("name=a&name=b", "name"), ("name=a&count=many", "wrong kind")] {
            do {
                _ = try Sample.decode(body: body)
                Issue.record("\(body) was read")
            } catch let error as AppError {
                #expect(error.status == .badRequest)
                #expect(error.detail.contains(words), "\(error.detail)")
            }
        }
        // Brackets are not the sender's to use: they cannot make a field an array or a map.
        #expect(try Sample.decode(body: "name=a&name[]=b&roles[x]=y").name == "a")
    }
}
