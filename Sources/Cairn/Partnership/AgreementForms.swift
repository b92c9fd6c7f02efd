import CairnCore
import Foundation

/// Recording or changing an information-sharing agreement (`partnership/agreement-form`).
struct AgreementForm: DatedForm {
    static let lists: Set<String> = ["parties", "categories"]
    var title: String?
    var purpose: String?
    var parties: [String]?
    var categories: [String]?
    var lawfulBasis: String?
    var specialCondition: String?
    var signedOn: String?
    var reviewOn: String?
    var documentTitle: String?
    var documentUrl: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("signedOn", \.signedOn, DateInput.Rules(label: "The date it was signed", timing: .todayOrPast)),
         DateFormField("reviewOn", \.reviewOn, DateInput.Rules(label: "The review date"))]
    }

    var input: AgreementService.Input {
        AgreementService.Input(title: title ?? "", purpose: purpose ?? "", parties: parties ?? [], categories: categories ?? [],
                               lawfulBasis: lawfulBasis ?? "", specialCondition: specialCondition ?? "", signedOn: signedOn ?? "",
                               reviewOn: reviewOn ?? "", documentTitle: documentTitle ?? "", documentURL: documentUrl ?? "")
    }
}

/// Recording a review of an agreement, with the date of the next.
struct AgreementReviewForm: DatedForm {
    var nextReviewOn: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("nextReviewOn", \.nextReviewOn, DateInput.Rules(label: "The date of the next review", timing: .todayOrFuture))]
    }
}
