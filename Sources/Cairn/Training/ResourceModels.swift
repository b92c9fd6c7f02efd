import FluentKit
import Foundation

/// A hub resource: what it is, who it is for, and who may read it. Its files (one current
/// version per language, older versions kept) are `ResourceFileRecord`s.
final class ResourceRecord: Model, @unchecked Sendable {
    static let schema = "resources"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "kind") var kind: String
    @Field(key: "audience") var audience: String
    @Field(key: "topics") var topics: String
    @Field(key: "visibility") var visibility: String
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @Field(key: "created_by_id") var createdByID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var resourceKind: ResourceKind { ResourceKind(rawValue: kind) ?? .other }
    var resourceVisibility: ResourceVisibility { ResourceVisibility(rawValue: visibility) ?? .partners }
    var isPublic: Bool { resourceVisibility == .public && withdrawnAt == nil }
}

/// One uploaded file: a version of a resource in one language. The bytes are in
/// `ResourceBlob`, so lists never load them.
final class ResourceFileRecord: Model, @unchecked Sendable {
    static let schema = "resource_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "resource_id") var resourceID: UUID
    @Field(key: "language") var language: String
    @Field(key: "version") var version: Int
    @Field(key: "current") var current: Bool
    @Field(key: "file_name") var fileName: String
    @Field(key: "file_type") var fileType: String
    @Field(key: "byte_count") var byteCount: Int
    @Field(key: "sha256") var sha256: String
    /// What changed in this version, as the uploader put it (may be empty).
    @Field(key: "note") var note: String
    @Field(key: "uploaded_by_id") var uploadedByID: UUID
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}

    var type: ResourceFileType { ResourceFileType(rawValue: fileType) ?? .text }
}

/// The bytes of a `ResourceFileRecord` (same id), in the database so every instance serves them.
final class ResourceBlob: Model, @unchecked Sendable {
    static let schema = "resource_blobs"

    @ID(key: .id) var id: UUID?
    @Field(key: "data") var data: Data

    init() {}
}
