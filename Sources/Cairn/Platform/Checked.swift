/// For a value a validator has just required: `Validator.check()` throws when it is missing,
/// so this never fails unless that logic slips, and then the request fails with 500 instead of
/// the process stopping.
extension Optional {
    func checked(_ what: String = "value") throws -> Wrapped {
        guard let self else {
            throw AppError(.internalServerError, title: "Something went wrong", "A \(what) Cairn had checked was missing. It has been logged.")
        }
        return self
    }
}
