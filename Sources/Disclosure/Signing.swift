// Signed releases: what a partnership publishes, in a hash chain, signed with Ed25519.

import Crypto
import Foundation

public struct PublishedCell: Codable, Sendable, Hashable {
    public let key: [String: String]
    /// nil where suppressed.
    public let value: Int?
    /// The 95% error of a noisy count; nil for suppression releases.
    public let error95: Double?

    public init(key: [String: String], value: Int?, error95: Double?) {
        self.key = key
        self.value = value
        self.error95 = error95
    }

    // Encode nulls explicitly so the JSON shape is the API's ("value": null).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(value, forKey: .value)
        try c.encode(error95, forKey: .error95)
    }
}

public struct PublishedTable: Codable, Sendable, Hashable {
    public let name: String
    public let dimensions: [String]
    public let cells: [PublishedCell]

    public init(name: String, dimensions: [String], cells: [PublishedCell]) {
        self.name = name
        self.dimensions = dimensions
        self.cells = cells
    }
}

public struct SignedRelease: Codable, Sendable, Hashable {
    public var partnership: String
    /// 1, 2, 3 … per partnership.
    public var sequence: Int
    public var id: String
    /// "2026-Q1" or "2026".
    public var period: String
    /// "suppression", "dp-laplace" or "dp-gaussian".
    public var method: String
    public var parameters: [String: String]
    /// The id of the earlier release this one corrects.
    public var revises: String?
    public var tables: [PublishedTable]
    /// Hex SHA-256 of the previous release's canonical bytes; nil for the first.
    public var previous: String?
    /// Base64 Ed25519 signature of the canonical bytes; empty when unsigned.
    public var signature: String

    public init(partnership: String, sequence: Int, id: String, period: String, method: String, parameters: [String: String],
                revises: String?, tables: [PublishedTable], previous: String?, signature: String = "") {
        self.partnership = partnership
        self.sequence = sequence
        self.id = id
        self.period = period
        self.method = method
        self.parameters = parameters
        self.revises = revises
        self.tables = tables
        self.previous = previous
        self.signature = signature
    }

    /// Deterministic JSON of everything but the signature: sorted keys, no whitespace, nulls written.
    public func canonicalBytes() -> [UInt8] {
        typealias V = CanonicalJSON.Value
        let tables: [V] = tables.map { t in
            .object([
                "name": .string(t.name),
                "dimensions": .array(t.dimensions.map { .string($0) }),
                "cells": .array(t.cells.map { c in
                    .object([
                        "key": .object(c.key.mapValues { .string($0) }),
                        "value": c.value.map { .int($0) } ?? .null,
                        "error95": c.error95.map { .double($0) } ?? .null,
                    ])
                }),
            ])
        }
        return CanonicalJSON.bytes(.object([
            "partnership": .string(partnership),
            "sequence": .int(sequence),
            "id": .string(id),
            "period": .string(period),
            "method": .string(method),
            "parameters": .object(parameters.mapValues { .string($0) }),
            "revises": revises.map { .string($0) } ?? .null,
            "tables": .array(tables),
            "previous": previous.map { .string($0) } ?? .null,
        ]))
    }

    /// Hex SHA-256 of the canonical bytes (what the next release names as `previous`).
    public var hash: String {
        SHA256.hash(data: canonicalBytes()).map { String(format: "%02x", $0) }.joined()
    }

    /// A copy signed with the partnership's key.
    public func signed(with key: Curve25519.Signing.PrivateKey) throws -> SignedRelease {
        var copy = self
        copy.signature = try key.signature(for: canonicalBytes()).base64EncodedString()
        return copy
    }

    /// Signs in place.
    public mutating func sign(with key: Curve25519.Signing.PrivateKey) throws {
        self = try signed(with: key)
    }

    enum CodingKeys: String, CodingKey {
        case partnership, sequence, id, period, method, parameters, revises, tables, previous, signature
    }

    /// Decodes; a missing signature reads as unsigned (so the verifier can say so).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        partnership = try c.decode(String.self, forKey: .partnership)
        sequence = try c.decode(Int.self, forKey: .sequence)
        id = try c.decode(String.self, forKey: .id)
        period = try c.decode(String.self, forKey: .period)
        method = try c.decode(String.self, forKey: .method)
        parameters = try c.decodeIfPresent([String: String].self, forKey: .parameters) ?? [:]
        revises = try c.decodeIfPresent(String.self, forKey: .revises)
        tables = try c.decode([PublishedTable].self, forKey: .tables)
        previous = try c.decodeIfPresent(String.self, forKey: .previous)
        signature = try c.decodeIfPresent(String.self, forKey: .signature) ?? ""
    }

    // Encode nulls explicitly for the API's shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(partnership, forKey: .partnership)
        try c.encode(sequence, forKey: .sequence)
        try c.encode(id, forKey: .id)
        try c.encode(period, forKey: .period)
        try c.encode(method, forKey: .method)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(revises, forKey: .revises)
        try c.encode(tables, forKey: .tables)
        try c.encode(previous, forKey: .previous)
        try c.encode(signature, forKey: .signature)
    }
}
