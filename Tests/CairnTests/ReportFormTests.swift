@testable import Cairn
import CairnCore
import Testing

/// The reports pages' forms read into their structs (`ReportForms.swift`, `PublicReportForms.swift`).
struct ReportFormTests {
    @Test func theReportFormReadsNumberedPeopleAndIndicatorSelectsInTheOrderShown() throws {
        let body = "_csrf=t&submission=abc&description=Three+strangers&dangerNow=on&exploitationTypes=criminal&exploitationTypes=labour"
            + "&persons%5B0%5D.name=Mary+Smith&persons%5B0%5D.age=67&persons[1].name=&persons[1].nationality=Irish&persons[3].name=Gap"
            + "&addresses[0].line=4+Canal+Row&addresses[0].postcode=WM3+2BB"
            + "&indicator:cuckooing.resident-scared=disclosed&indicator:ilo.deception=observed&indicator:ilo.abuse-of-vulnerability="
            + "&indicator:cuckooing.new-unknown-residents=observed&online=@x"
        let form = try ReportForm.decode(body: body)
        let input = form.input
        #expect(form.submissionKey == "abc")
        #expect(input.description == "Three strangers")
        #expect(input.dangerNow == true)
        #expect(!input.countyLines)
        #expect(input.exploitationTypes == ["criminal", "labour"])
        #expect(input.websites == "@x")
        #expect(input.anonymous)
        // Up to the first index without a name.
        #expect(input.persons == [.init(name: "Mary Smith", age: "67"), .init(name: "", nationality: "Irish")])
        #expect(input.addresses == [.init(line: "4 Canal Row", postcode: "WM3 2BB")])
        // The lists in their order, each list's items in the catalogue's; an empty select is not recorded.
        #expect(input.indicators.map(\.id) == ["ilo.deception", "cuckooing.resident-scared", "cuckooing.new-unknown-residents"])
        #expect(input.indicators.map(\.knowledge) == ["observed", "disclosed", "observed"])

        let bare = try ReportForm.decode(body: "description=x").input
        #expect(bare.dangerNow == false)
        #expect(bare.persons.isEmpty && bare.addresses.isEmpty && bare.indicators.isEmpty && bare.exploitationTypes.isEmpty)
    }

    @Test func aReportFieldSentTwiceIsABadRequest() throws {
        for body in ["description=a&description=b", "persons[0].name=a&persons[0].name=b", "indicator:ilo.deception=observed&indicator:ilo.deception=disclosed"] {
            #expect(throws: AppError.self, "\(body)") { try ReportForm.decode(body: body) }
            do { _ = try ReportForm.decode(body: body) } catch let error as AppError { #expect(error.status == .badRequest) }
        }
        // Other brackets are not structure the sender may bring.
        #expect(try ReportForm.decode(body: "persons[0][name]=a&persons[x].name=b&description[]=c").input.persons.isEmpty)
    }

    @Test func theOutcomeDateComesFromItsBoxesOrAsOneField() throws {
        let today = try CalendarDate(year: 2026, month: 12, day: 6)
        func outcomeDate(_ body: String) throws -> (String, FormDates) {
            let (form, dates) = try CloseReportForm.decodeWithDates(body: body, today: today)
            return (form.outcomeDate ?? "", dates)
        }
        let (date, dates) = try outcomeDate("outcome=no_further_action&outcomeDate-day=20&outcomeDate-month=11&outcomeDate-year=2026&outcomeDate=2020-01-01")
        #expect(date == "2026-11-20")
        #expect(dates.problems.isEmpty)
        #expect(try outcomeDate("outcomeDate=2026-11-20").0 == "2026-11-20")
        let (wrong, problems) = try outcomeDate("outcomeDate-day=31&outcomeDate-month=2&outcomeDate-year=2026")
        #expect(wrong == "31/2/2026")
        #expect(problems.problems.map { $0.field } == ["outcomeDate"])
        #expect(try outcomeDate("outcomeNote=x").0 == "")
    }

    @Test func thePublicFormReadsTheReportersAnswers() throws {
        let form = try PublicReportForm.decode(body: "lang=ro&dangerNow=no&description=d&contact=details&contactName=Ana&contactConsent=on&website_confirm=bot&submission=s1")
        let input = form.input(language: .ro)
        #expect(input.language == "ro")
        #expect(input.dangerNow == false)
        #expect(!input.anonymous && input.contactName == "Ana" && input.contactConsent)
        #expect(input.honeypot == "bot")
        #expect(form.submissionKey == "s1")
        let unanswered = try PublicReportForm.decode(body: "dangerNow=maybe&contact=anonymous").input(language: .en)
        #expect(unanswered.dangerNow == nil && unanswered.anonymous && !unanswered.contactConsent)
    }
}
